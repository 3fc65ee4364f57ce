"""What happens on one answered call, independent of pjsua2 (unit-tested with fakes).

    conversation (VoiceSession) ──reply.handoff / handoff key──▶ transfer (REFER) ──fails / no target──┐
          │ speech models missing or crashed                                                         ▼
          └──────────────────────────────────────────────────────────────────────▶ keypad callback request
    reply.end_of_conversation ──▶ hang up after the goodbye was heard

The line cancels `run()` when the caller hangs up (at any moment); `run()` hangs up itself otherwise.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Protocol

from receptionist.audio.io import AudioSink
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.policy import KeypadEntry
from receptionist.channels.sip.prompts import Prompter, prompt_text
from receptionist.clock import Clock
from receptionist.config.sip import SipConfig
from receptionist.events import AgentReply, IncomingMessage
from receptionist.pipeline.brain import Brain, OnHolding
from receptionist.pipeline.timing import BotSpoke
from receptionist.pipeline.voice_session import CallInfo, EventHook

log = logging.getLogger(__name__)

KEY_TIMEOUT_S = 10.0  # waiting for the first / next key of a number
TRANSFER_TIMEOUT_S = 20.0


class CallControl(Protocol):
    """What the flow may do to its call (pjsua2-backed in the line, a fake in tests)."""

    async def hangup(self) -> None: ...

    async def transfer(self, target: str) -> None:
        """Send REFER; raises when it cannot even be sent. Progress arrives via `CallFlow.on_transfer`."""


class CallbackStore(Protocol):
    async def add_callback(self, tenant_id: str, *, phone: str, name: str | None, reason: str, language: str,
                           conversation_id: str | None) -> Any: ...


class Session(Protocol):
    async def run(self, source: AsyncIterator[AudioChunk]) -> None: ...


SessionFactory = Callable[[CallInfo, Brain, AudioSink, EventHook], Session]


@dataclass(frozen=True, slots=True)
class CallOutcome:
    how: str  # "caller-hung-up" (never returned: the task is cancelled) | "bye" | "transferred" | "callback" | ...
    callback_stored: bool = False
    degraded: bool = False


class _CallBrain:
    """The agent as this call sees it: passes the caller id to the greeting and watches every reply for
    a hand-off request or the end of the conversation."""

    def __init__(self, agent: Any, flow: "CallFlow") -> None:
        self._agent = agent
        self._flow = flow
        params = inspect.signature(agent.greeting).parameters
        self._greeting_takes_caller = "caller_id" in params

    async def greeting(self, session_id: str, tenant_id: str, channel: str) -> AgentReply:
        if self._greeting_takes_caller:
            reply = await self._agent.greeting(session_id, tenant_id, channel, caller_id=self._flow.caller_id)
        else:
            reply = await self._agent.greeting(session_id, tenant_id, channel)
        self._flow.language = reply.language
        return reply

    async def handle(self, msg: IncomingMessage, *, on_holding: OnHolding | None = None) -> AgentReply:
        reply = await self._agent.handle(msg, on_holding=on_holding)
        self._flow.language = reply.language
        if reply.handoff:
            self._flow.pending = "handoff"
        elif reply.end_of_conversation:
            self._flow.pending = "bye"
        return reply

    async def note_heard(self, session_id: str, heard_text: str) -> None:
        await self._agent.note_heard(session_id, heard_text)


class CallFlow:
    def __init__(self, *, call: CallInfo, cfg: SipConfig, agent: Any, callbacks: CallbackStore,
                 control: CallControl, source: Callable[[], AsyncIterator[AudioChunk]], sink: AudioSink,
                 sessions: SessionFactory | None, prompter: Prompter, clock: Clock, language: str,
                 business: str = "", on_event: EventHook | None = None) -> None:
        self.call, self.cfg, self.agent, self.callbacks = call, cfg, agent, callbacks
        self.control, self.source, self.sink, self.sessions = control, source, sink, sessions
        self.prompter, self.clock, self.language, self.business = prompter, clock, language, business
        self._on_event = on_event
        self.caller_id = call.caller_id
        self.pending: str | None = None  # "handoff" | "bye": act after the reply is heard
        self._action: asyncio.Future[str] | None = None
        self._early_action: str | None = None  # asked for before the conversation started (the hand-off key)
        self._keys: asyncio.Queue[str] = asyncio.Queue()
        self._keypad_mode = False
        self._handing_off = False  # from the hand-off on, keys are kept for the keypad
        self._session: Any = None  # the conversation (VoiceSession) while it runs
        self.held = False  # the caller has the call on hold
        self._transfer: asyncio.Future[int] | None = None
        self.outcome: CallOutcome | None = None

    # ---- inputs from the line (event loop) ------------------------------------------------------
    def on_dtmf(self, digit: str) -> None:
        """A key press; none is lost: keys typed after the hand-off key (during the transfer attempt, before
        the keypad prompt) are kept for the keypad, and a hand-off key pressed before the conversation has
        started is acted on as soon as it starts."""
        if self._keypad_mode:
            self.prompter.stop()
            self._keys.put_nowait(digit)
        elif self._handing_off:
            self._keys.put_nowait(digit)
        elif self._session is not None and self._session.on_key(digit):
            return  # typed at the number or date question: the conversation's answer
        elif digit == self.cfg.handoff_key:
            log.info("sip: call %s: hand-off key pressed", self.call.session_id[:8])
            self._act("handoff")

    def on_hold(self, held: bool) -> None:
        """The caller put the call on hold or resumed it: the conversation, when it runs (or once it
        starts), stops counting silence on the line while held."""
        self.held = held
        hook = getattr(self._session, "on_hold", None)
        if hook is not None:
            hook(held)

    def on_transfer(self, status: int, final: bool) -> None:
        if self._transfer is not None and not self._transfer.done() and (final or status >= 200):
            self._transfer.set_result(status)

    # ---- the call ------------------------------------------------------------------------------
    async def run(self) -> CallOutcome:
        try:
            async with asyncio.timeout(self.cfg.max_call_s):
                self.outcome = await self._run()
        except TimeoutError:
            log.info("sip: call %s reached max_call_s", self.call.session_id[:8])
            self.outcome = CallOutcome("max-duration")
        await self.control.hangup()
        return self.outcome

    async def _run(self) -> CallOutcome:
        if self.sessions is None:
            return await self._keypad("degraded")
        try:
            action = await self._converse()
        except Exception as exc:  # noqa: BLE001 - the speech path died: never dead air
            log.error("sip: call %s: speech path failed (%s), keypad fallback", self.call.session_id[:8],
                      type(exc).__name__)
            log.debug("sip: speech path traceback", exc_info=exc)  # DEBUG only: may carry caller content
            return await self._keypad("degraded")
        if action == "handoff":
            return await self._handoff()
        await self._drain()
        return CallOutcome(action)

    def _act(self, action: str) -> None:
        if action == "handoff":
            self._handing_off = True
        if self._action is None:
            self._early_action = self._early_action or action
        elif not self._action.done():
            self._action.set_result(action)

    def _session_event(self, at: float, event: Any) -> None:
        if self._on_event is not None:
            self._on_event(at, event)
        if isinstance(event, BotSpoke) and self.pending is not None:
            self._act(self.pending)

    async def _converse(self) -> str:
        assert self.sessions is not None
        self._action = asyncio.get_running_loop().create_future()
        if self._early_action is not None:
            return self._early_action
        session = self.sessions(self.call, _CallBrain(self.agent, self), self.sink, self._session_event)
        self._session = session if hasattr(session, "on_key") else None
        if self.held:  # put on hold before the conversation started
            self.on_hold(True)
        task = asyncio.create_task(session.run(self.source()))
        try:
            done, _ = await asyncio.wait({task, self._action}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not task.done():
                task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._session = None
        if self._action in done:
            return self._action.result()
        task.result()  # re-raises a crash of the speech path
        return getattr(session, "ended_by", None) or "ended"  # "caller-silent": abandoned, no callback

    async def _drain(self, limit_s: float = 3.0) -> None:
        """Let the last words reach the caller before hanging up or transferring."""
        waited = 0.0
        while self.sink.pending_samples() > 0 and waited < limit_s:
            await self.clock.sleep(0.05)
            waited += 0.05

    async def _handoff(self) -> CallOutcome:
        self._handing_off = True
        target = self.cfg.transfer_target
        if target:
            await self._drain()
            self._transfer = asyncio.get_running_loop().create_future()
            try:
                await self.control.transfer(target)
                status = await self._within(self._transfer, TRANSFER_TIMEOUT_S)
            except Exception as exc:  # noqa: BLE001 - fall back to a callback request
                log.warning("sip: call %s: transfer failed (%s)", self.call.session_id[:8], type(exc).__name__)
                status = None
            if status is not None and 200 <= status < 300:
                log.info("sip: call %s transferred", self.call.session_id[:8])
                return CallOutcome("transferred")
            log.warning("sip: call %s: transfer not completed (status %s)", self.call.session_id[:8], status)
        return await self._keypad("handoff")

    # ---- keypad callback request ------------------------------------------------------------------
    async def _keypad(self, why: str) -> CallOutcome:
        self._keypad_mode = True
        lang, degraded = self.language, why == "degraded"
        intro = "degraded" if degraded else "no_person"
        await self._say(prompt_text(intro, lang, business=self.business or ""))
        ask = "ask_number_or_hash" if self.caller_id else "ask_number"
        entry = KeypadEntry()
        for _ in range(3):
            if self._keys.empty():  # the caller may already be typing
                await self._say(prompt_text(ask, lang))
            number = await self._read_number(entry)
            if number == "" and self.caller_id:
                number = self.caller_id
            if number and await self._store(number, why):
                await self._say(prompt_text("taken", lang))
                return CallOutcome("callback", callback_stored=True, degraded=degraded)
            if number:
                await self._say(prompt_text("invalid", lang))
        stored = bool(self.caller_id) and await self._store(self.caller_id or "", why)
        await self._say(prompt_text("taken" if stored else "goodbye", lang))
        return CallOutcome("callback" if stored else "no-number", callback_stored=stored, degraded=degraded)

    async def _read_number(self, entry: KeypadEntry) -> str | None:
        """Digits until `#`; None when nothing more is typed for KEY_TIMEOUT_S."""
        while True:
            key = await self._within(self._keys.get(), KEY_TIMEOUT_S)
            if key is None:
                return entry.push("#") or None if entry.digits else None
            number = entry.push(key)
            if number is not None:
                return number

    async def _store(self, phone: str, why: str) -> bool:
        reason = "asked for a person" if why == "handoff" else "speech unavailable"
        try:
            await self.callbacks.add_callback(self.call.tenant_id, phone=phone, name=None, reason=reason,
                                              language=self.language, conversation_id=self.call.session_id)
        except Exception as exc:  # noqa: BLE001 - invalid number or the database failed
            log.warning("sip: call %s: callback not stored (%s)", self.call.session_id[:8],
                        getattr(exc, "code", type(exc).__name__))
            return False
        log.info("sip: call %s: callback request stored", self.call.session_id[:8])
        return True

    async def _say(self, text: str) -> None:
        if self._keypad_mode and not self._keys.empty():
            return
        try:
            await self.prompter.say(self.sink, text, self.language)
        except Exception as exc:  # noqa: BLE001 - even espeak failed: keep going (keys still work)
            log.error("sip: prompt failed (%s)", type(exc).__name__)
            log.debug("sip: prompt traceback", exc_info=exc)

    async def _within(self, awaitable: Any, seconds: float) -> Any:
        """`awaitable`'s result, or None after `seconds` on the injected clock."""
        work = asyncio.ensure_future(awaitable)
        timer = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait({work, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
            if not work.done():
                work.cancel()
            await asyncio.gather(work, timer, return_exceptions=True)
        return work.result() if work.done() and not work.cancelled() else None
