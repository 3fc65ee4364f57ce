"""The phone line: answers every admitted call and runs one `CallFlow` per call.

    line = SipLine(config.channels.sip, brain.agent, callbacks=brain.local, tenant=config.tenant(...),
                   sessions=voice_sessions(engines, config.voice, clock, tenant.languages), clock=clock)
    await line.start()      # binds the SIP port; raises SipError when it cannot
    ...
    await line.stop()       # cancels every call (BYE), then destroys the SIP library

`sessions=None` (speech models missing) still answers: the keypad callback flow, spoken by espeak-ng.
Caller numbers and words never appear in INFO logs: calls are named by their short session id.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from receptionist.audio.io import AudioSink
from receptionist.backends.base import TextToSpeech
from receptionist.channels.sip.endpoint import SipEndpoint
from receptionist.channels.sip.events import (CallEnded, CallOffered, CallRejected, DtmfReceived, HoldChanged,
                                              MediaReady, RegistrationChanged, SipEvent, TransferStatus)
from receptionist.channels.sip.flow import CallbackStore, CallFlow, SessionFactory
from receptionist.channels.sip.media_port import CallAudio
from receptionist.channels.sip.prompts import Prompter, espeak_voices
from receptionist.clock import Clock, SystemClock
from receptionist.config.sip import SipConfig
from receptionist.config.tenant import TenantConfig
from receptionist.pipeline.brain import Brain
from receptionist.pipeline.voice_session import CallInfo, EventHook

log = logging.getLogger(__name__)

MEDIA_WAIT_S = 5.0


def voice_sessions(engines: Any, voice_cfg: Any, clock: Clock, languages: tuple[str, ...], *,
                   tenant: Any = None) -> SessionFactory:
    """A SessionFactory over loaded VoiceEngines (receptionist.pipeline.engines). `tenant`: the
    business whose words bias the transcriber (its name, rooms, services), when given."""
    from receptionist.pipeline.engines import build_session
    from receptionist.pipeline.stt_prompts import stt_prompts

    prompts = stt_prompts(languages, tenant, enabled=voice_cfg.stt.prompt)

    def make(call: CallInfo, brain: Brain, sink: AudioSink, on_event: EventHook) -> Any:
        return build_session(engines, voice_cfg, call=call, brain=brain, sink=sink, clock=clock,
                             languages=languages, on_event=on_event, keypad=True, prompts=prompts)

    return make


@dataclass
class _Call:
    key: str
    audio: CallAudio
    flow: CallFlow
    media: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[Any] | None = None
    ended: bool = False


class _Control:
    def __init__(self, line: "SipLine", key: str) -> None:
        self._line, self._key = line, key

    async def hangup(self) -> None:
        await self._line._on_sip(lambda call: call.hangup_now(), self._key)

    async def transfer(self, target: str) -> None:
        await self._line._on_sip(lambda call: call.transfer(target), self._key, must_exist=True)


class SipLine:
    def __init__(self, cfg: SipConfig, agent: Any, *, callbacks: CallbackStore, tenant: TenantConfig,
                 sessions: SessionFactory | None, clock: Clock | None = None,
                 prompt_voices: Mapping[str, TextToSpeech] | None = None,
                 on_event: Callable[[str, Any], None] | None = None) -> None:
        self.cfg, self.agent, self.callbacks, self.tenant = cfg, agent, callbacks, tenant
        self.sessions = sessions
        self.clock = clock or SystemClock()
        self._prompt_voices = prompt_voices
        self._espeak: Mapping[str, TextToSpeech] | None = None
        self._on_event = on_event
        self._calls: dict[str, _Call] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._endpoint: SipEndpoint | None = None
        self.rejected: dict[int, int] = {}  # status -> count
        self.finished: list[Any] = []  # CallOutcome of each call that ended
        self.registration: RegistrationChanged | None = None  # the last word from the registrar, if any

    # ---- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        loop = self._loop
        self._endpoint = SipEndpoint(self.cfg, self._post, lambda: CallAudio(loop))
        await asyncio.to_thread(self._endpoint.start)
        log.info("sip: line listening on %s:%d/%s (max %d calls%s)", self.cfg.bind, self.port, self.cfg.transport,
                 self.cfg.max_calls, ", degraded: keypad only" if self.sessions is None else "")

    async def stop(self) -> None:
        tasks = [c.task for c in self._calls.values() if c.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._endpoint is not None:
            await asyncio.to_thread(self._endpoint.stop)
            self._endpoint = None
        for call in list(self._calls.values()):
            await self._end(call)
        log.info("sip: line stopped")

    @property
    def port(self) -> int:
        return self._endpoint.local_port if self._endpoint else 0

    @property
    def free_ports(self) -> int:
        """Media ports ready for a call (`max_calls` when idle; fewer while calls hold them or right after)."""
        return self._endpoint.free_ports if self._endpoint else 0

    @property
    def active_calls(self) -> int:
        return sum(1 for c in self._calls.values() if not c.ended)

    def flow(self, index: int = -1) -> CallFlow:
        """The CallFlow of a current call (tests, diagnostics)."""
        return list(self._calls.values())[index].flow

    # ---- SIP thread -> event loop ---------------------------------------------------------------
    def _post(self, event: SipEvent) -> None:  # SIP / media thread
        loop = self._loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._dispatch, event)
        except RuntimeError:
            pass  # the loop is gone: shutting down

    def _dispatch(self, event: SipEvent) -> None:
        if self._on_event is not None:
            self._on_event("sip", event)
        if isinstance(event, CallOffered):
            self._offered(event)
            return
        if isinstance(event, CallRejected):
            self.rejected[event.status] = self.rejected.get(event.status, 0) + 1
            return
        if isinstance(event, RegistrationChanged):
            self.registration = event
            return
        call = self._calls.get(event.call_key)
        if call is None:
            return
        if isinstance(event, MediaReady):
            call.media.set()
        elif isinstance(event, DtmfReceived):
            log.debug("sip: call %s dtmf via %s", event.call_key, event.method)
            call.flow.on_dtmf(event.digit)
        elif isinstance(event, HoldChanged):
            call.flow.on_hold(event.held)
        elif isinstance(event, TransferStatus):
            call.flow.on_transfer(event.status, event.final)
        elif isinstance(event, CallEnded):
            call.ended = True
            if event.by != "local" and call.task is not None and not call.task.done():
                call.task.cancel()  # the caller is gone: everything of this call stops now

    def _offered(self, event: CallOffered) -> None:
        session_id = uuid.uuid4().hex
        info = CallInfo(session_id=session_id, tenant_id=self.tenant.id, channel="voice", caller_id=event.caller_id)
        audio = event.audio
        flow = CallFlow(call=info, cfg=self.cfg, agent=self.agent, callbacks=self.callbacks,
                        control=_Control(self, event.call_key), source=audio.frames, sink=audio.sink,
                        sessions=self.sessions, prompter=Prompter(self._voices, self.clock), clock=self.clock,
                        language=self.cfg.greeting_language or self.tenant.default_language,
                        business=self.tenant.name,
                        on_event=(lambda at, ev: self._on_event("session", ev)) if self._on_event else None)
        call = _Call(event.call_key, audio, flow)
        self._calls[event.call_key] = call
        call.task = asyncio.create_task(self._run_call(call), name=f"sip-call-{event.call_key}")
        log.info("sip: call %s answered (session %s)", event.call_key, session_id[:8])

    async def _run_call(self, call: _Call) -> None:
        try:
            try:
                await asyncio.wait_for(call.media.wait(), MEDIA_WAIT_S)
            except TimeoutError:
                log.warning("sip: call %s: no media after %.0f s (sip-media-lost)", call.key, MEDIA_WAIT_S)
            outcome = await call.flow.run()
            log.info("sip: call %s finished: %s", call.key, outcome.how)
            self.finished.append(outcome)
        except asyncio.CancelledError:
            log.info("sip: call %s ended by the caller", call.key)
            self.finished.append(call.flow.outcome)
            raise
        except Exception:
            log.exception("sip: call %s failed", call.key)
        finally:
            await asyncio.shield(self._end(call))

    async def _end(self, call: _Call) -> None:
        if self._calls.pop(call.key, None) is None:
            return
        call.audio.close()
        try:
            await self.agent.end_session(call.flow.call.session_id)
        except Exception as exc:  # noqa: BLE001 - the call is over either way
            log.warning("sip: saving the end of call %s failed (%s)", call.key, type(exc).__name__)

    # ---- helpers ----------------------------------------------------------------------------------
    def _voices(self) -> Mapping[str, TextToSpeech]:
        if self._prompt_voices:
            return self._prompt_voices
        if self._espeak is None:
            self._espeak = espeak_voices()
        return self._espeak

    async def _on_sip(self, fn: Callable[[Any], Any], key: str, *, must_exist: bool = False) -> None:
        endpoint = self._endpoint
        if endpoint is None:
            if must_exist:
                raise RuntimeError("the SIP line is stopped")
            return

        def run() -> Any:
            call = endpoint.call(key)
            if call is None or call.ended:
                if must_exist:
                    raise RuntimeError("the call is over")
                return None
            return fn(call)

        await asyncio.wrap_future(endpoint.submit(run))
