"""The composition root: reads config, opens the calendar, loads and warms the models, builds the
agent and the channels, runs, shuts down. Nothing else builds the object graph."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import timezone
from pathlib import Path
from typing import Any, Awaitable, Callable, Protocol

from receptionist.agent.callbacks import CallbackDesk
from receptionist.agent.conversation import Agent
from receptionist.agent.extract import name_occurs_in
from receptionist.agent.extract.numbers import warm_up as warm_number_words
from receptionist.agent.knowledge import KnowledgeBase, load_knowledge
from receptionist.agent.language import LEXICON
from receptionist.agent.extract import PET_ALIASES
from receptionist.agent.llm import Understanding, make_name_validator
from receptionist.agent.tools import BookingBackend, LocalBackend, Tools
from receptionist.backends import registry
from receptionist.backends.base import SpeechToText, TextToSpeech, TurnModel, VadModel
from receptionist.booking.db import open_calendar
from receptionist.clock import Clock, SystemClock
from receptionist.config.app import AppConfig
from receptionist.config.sip import SipConfig
from receptionist.config.tenant import TenantConfig
from receptionist.config.voice import VoiceChoice, VoiceConfig
from receptionist.dbworker import DbWorker
from receptionist.errors import ModelError
from receptionist.pipeline.engines import VoiceEngines, warm_up
from receptionist.pipeline.worker import Activity

log = logging.getLogger(__name__)


@dataclass
class Brain:
    """The agent and what it owns; `close()` releases the model and the database thread."""

    agent: Agent
    worker: DbWorker
    local: LocalBackend
    model: Any = None
    closers: list[Any] = field(default_factory=list)
    otp: "OtpTexter | None" = None  # one-time codes by SMS (None when SMS is off)

    def close(self) -> None:
        for close in self.closers:
            close()
        if self.model is not None:
            self.model.close()
        self.worker.close()


class OtpTexter:
    """The agent's `OtpSender` when SMS is enabled: a one-time code is queued in the SMS outbox (persisted,
    retried) with kind "otp". `wake` (set by whoever runs the outbox) sends it at once instead of at the
    outbox's next poll."""

    def __init__(self, worker: DbWorker, clock: Clock) -> None:
        self.worker = worker
        self.clock = clock
        self.wake: Callable[[], None] | None = None

    async def send(self, tenant_id: str, phone: str, text: str) -> None:
        from receptionist.channels.sms.outbox import insert

        at = self.clock.now().astimezone(timezone.utc).isoformat(timespec="milliseconds")
        sms_id = await self.worker.run(insert, tenant_id, phone, text, "otp", at)
        log.info("one-time code queued as sms %d", sms_id)
        if self.wake is not None:
            self.wake()


def open_worker(config: AppConfig, clock: Clock, database: Path | None = None) -> DbWorker:
    path = database or config.app.database
    return DbWorker(lambda: open_calendar(path, config, now=clock.now()))


def load_llm(config: AppConfig) -> Any:
    """The configured language model (`[llm] engine`, through backends/registry.py), or None when
    disabled in config. ModelError `llm-missing` when its file is absent."""
    if not config.llm.enabled:
        return None
    return registry.create(registry.LLM, config.llm.engine, config.llm, key="llm.engine")


def build_brain(config: AppConfig, *, clock: Clock | None = None, database: Path | None = None,
                model: Any = "load", backend: BookingBackend | None = None, warm: bool = True) -> Brain:
    """Build the agent. `model="load"` loads the configured LLM; pass a TextModel (or None) to inject one;
    `backend` replaces the local calendar as the booking backend (e.g. an HTTP backend or a test fake)."""
    clock = clock or SystemClock()
    worker = open_worker(config, clock, database)
    worker.run_sync(lambda db: None)  # open + migrate now: fail at start-up, not on the first caller
    local = LocalBackend(worker, config, clock)
    if model == "load":
        model = load_llm(config)
    if backend is None and config.agent.booking_backend == "http":
        from receptionist.agent.http_backend import HttpBackend

        backend = HttpBackend(config.agent.backend_url or "", token=config.agent.backend_token)
    tools = Tools(backend or local, timeout_s=config.agent.tool_timeout_s, retries=config.agent.tool_retries)
    knowledge: dict[str, KnowledgeBase] = {t.id: load_knowledge(t.knowledge_dir) for t in config.tenants}
    common = set().union(*LEXICON.values(), *PET_ALIASES.values())
    names_ok = make_name_validator(name_occurs_in, common)
    understanding = {
        t.id: Understanding(model, t, knowledge[t.id], timeout_s=config.llm.timeout_s, name_validator=names_ok)
        for t in config.tenants
    }
    if warm:
        warm_number_words()  # Vabamorf loads here (~1 s), not on the first caller's turn
    if model is not None and warm and hasattr(model, "warm"):
        model.warm(*understanding[config.default_tenant.id].warm_args())
    otp = OtpTexter(worker, clock) if config.channels.sms.enabled else None
    agent = Agent(config, clock, worker, tools, CallbackDesk(local), knowledge, understanding, otp_sender=otp)
    brain = Brain(agent, worker, local, model, otp=otp)
    closer = getattr(backend, "close_sync", None)
    if closer:
        brain.closers.append(closer)
    return brain


# ------------------------------------------------------------------ voice engines (backends/registry.py)


def build_stt(cfg: VoiceConfig) -> SpeechToText:
    """The speech recogniser `[stt] engine` names. ModelError `model-missing` when its files are absent."""
    return registry.create(registry.STT, cfg.stt.engine, cfg.stt, key="stt.engine")


def build_vad_factory(cfg: VoiceConfig) -> Callable[[], VadModel]:
    """A maker of the VAD `[vad] engine` names (a VAD carries state: one per call). One is made now, so that
    a missing model fails at start-up, not on the first call."""
    registry.create(registry.VAD, cfg.vad.engine, cfg.vad, key="vad.engine")
    return lambda: registry.create(registry.VAD, cfg.vad.engine, cfg.vad, key="vad.engine")


def build_voices(cfg: VoiceConfig, languages: tuple[str, ...]) -> dict[str, TextToSpeech]:
    """language → the voice `[tts.<lang>]` names, for those of `languages` that have one; languages
    with the same choice (engine, model, voice, speed) share one instance."""
    made: dict[VoiceChoice, TextToSpeech] = {}
    voices: dict[str, TextToSpeech] = {}
    for lang in languages:
        choice = cfg.tts.voices.get(lang)
        if choice is None:
            continue
        if choice.model is None and choice.voice is None:
            choice = replace(choice, voice=lang)  # a voice named by its language code (espeak-ng)
        if choice not in made:
            made[choice] = _create_voice(choice, lang)
        voices[lang] = made[choice]
    return voices


def _create_voice(choice: VoiceChoice, lang: str) -> TextToSpeech:
    """The voice `choice` names, or its `fallback` (festival -> espeak-ng) when its engine or voice is not
    installed (ModelError "model-missing"; `receptionist doctor` says which one a language gets)."""
    try:
        return registry.create(registry.TTS, choice.engine, choice, key=f"tts.{lang}.engine")
    except ModelError as exc:
        if choice.fallback is None or exc.code != "model-missing":
            raise
        log.warning("tts.%s: %s; speaking with %s %s instead", lang, exc, choice.fallback.engine,
                    choice.fallback.voice or choice.fallback.model)
        return _create_voice(choice.fallback, lang)


def build_turn_model(cfg: VoiceConfig) -> TurnModel | None:
    """The end-of-turn model `[turn] model` names, None when it is "off"."""
    if cfg.turn.model == "off":
        return None
    return registry.create(registry.TURN, cfg.turn.model, cfg.turn, key="turn.model")


def build_voice_engines(cfg: VoiceConfig, languages: tuple[str, ...] = ("en", "et", "ru"),
                        activity: Activity | None = None, *, warm: bool = True) -> VoiceEngines:
    """The process-wide voice engines (VAD maker, STT, one voice per language), warmed with one tiny
    inference each unless `warm` is False. Close them with `VoiceEngines.close()`."""
    engines = VoiceEngines(build_vad_factory(cfg), build_stt(cfg), build_voices(cfg, languages),
                           activity or Activity(), build_turn_model(cfg))
    if warm:
        warm_up(engines)
    return engines


# ------------------------------------------------------------------ channels


Stopper = Callable[[], Awaitable[None]]


class ChannelHost(Protocol):
    """Where a starting channel registers itself (receptionist.service.Running): `stoppers` are awaited in
    reverse order at shutdown (a part added before a later step fails is still stopped), `ports` name what
    was bound, `ready` is True once every channel has started."""

    ready: bool
    stoppers: list[tuple[str, Stopper]]
    ports: dict[str, int]


ChannelStarter = Callable[[AppConfig, Brain, Clock, ChannelHost], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Channel:
    """One way callers reach the brain: `enabled(config)` says whether `serve` starts it, `start` builds
    and starts it (registering its stoppers and ports on the host)."""

    enabled: Callable[[AppConfig], bool]
    start: ChannelStarter


def build_http_services(config: AppConfig, brain: Brain, clock: Clock,
                        ready: Callable[[], bool] | None = None) -> Any:
    """What the web chat / booking API shim needs (channels.http.services.HttpServices); `ready` says
    whether the models are loaded and warm (always True when None)."""
    from receptionist.channels.http.services import HttpServices

    extra = {} if ready is None else {"ready": ready}
    return HttpServices(config, brain.agent, brain.worker, clock, **extra)


async def start_http_channel(config: AppConfig, brain: Brain, clock: Clock, host: ChannelHost) -> None:
    """The web chat and booking API on [http] host:port, and the staff API on `staff_listen` when set."""
    from receptionist.channels.http.server import build_app, build_staff_app, start_http

    cfg = config.channels.http
    services = build_http_services(config, brain, clock, ready=lambda: host.ready)
    runner = await start_http(build_app(services), cfg.host, cfg.port)
    host.stoppers.append(("http", runner.cleanup))
    host.ports["http"] = bound_port(runner, cfg.port)
    log.info("http shim listening on %s:%d", cfg.host, host.ports["http"])
    if (staff_app := build_staff_app(services)) is not None and cfg.staff_listen is not None:
        staff_host, port = cfg.staff_listen  # the staff API and /metrics, off the public listener
        staff_runner = await start_http(staff_app, staff_host, port)
        host.stoppers.append(("http staff", staff_runner.cleanup))
        host.ports["http-staff"] = bound_port(staff_runner, port)


async def start_sms_channel(config: AppConfig, brain: Brain, clock: Clock, host: ChannelHost) -> None:
    """The GSM modem: incoming texts to the agent, the outbox, confirmations and one-time codes."""
    from receptionist.channels.sms.runtime import start_sms

    sms = await start_sms(config, brain.agent, brain.worker, clock)
    host.stoppers.append(("sms", sms.close))
    if brain.otp is not None:  # one-time codes go out at once, not at the outbox's next poll
        brain.otp.wake = sms.outbox.wake


def build_sip_line(sip: SipConfig, voice: VoiceConfig, agent: Any, *, callbacks: Any, tenant: TenantConfig,
                   clock: Clock, engines: VoiceEngines | None, tenant_words: bool = True,
                   on_event: Callable[[str, Any], None] | None = None) -> Any:
    """The phone line (channels.sip.line.SipLine, not started: `await line.start()`). `engines=None`
    (speech models missing) answers in keypad mode; `tenant_words` biases the transcriber with the
    tenant's words (its name, rooms, services)."""
    from receptionist.channels.sip.line import SipLine, voice_sessions

    sessions = None
    if engines is not None:
        sessions = voice_sessions(engines, voice, clock, tenant.languages, tenant=tenant if tenant_words else None)
    return SipLine(sip, agent, callbacks=callbacks, tenant=tenant, clock=clock, sessions=sessions,
                   on_event=on_event)


async def start_sip_channel(config: AppConfig, brain: Brain, clock: Clock, host: ChannelHost) -> None:
    """The phone line with the voice pipeline; if the speech models fail to load, the line still
    answers in keypad mode (a spoken prompt asks for a callback number)."""
    from receptionist.ops import metrics

    cfg = config.channels.sip
    tenant = config.tenant(cfg.tenant)
    engines = None
    try:
        engines = await asyncio.to_thread(build_voice_engines, config.voice, tenant.languages)
    except Exception:
        log.exception("speech models failed to load: the phone line answers in keypad mode")
    else:
        host.stoppers.append(("voice engines", lambda: asyncio.to_thread(engines.close)))
        for role in ("vad", "stt", "tts"):
            metrics.set_model_loaded(role, True)
    pending: set[asyncio.Task] = set()

    def on_event(kind: str, event: object) -> None:
        metrics.line_event(kind, event)
        session_id = getattr(event, "session_id", None)
        if session_id and type(event).__name__ in ("TurnTiming", "BargeInTiming"):
            data = {k: getattr(event, k) for k in getattr(event, "__dataclass_fields__", {})}
            task = asyncio.ensure_future(brain.agent.record_event(session_id, {type(event).__name__: data}))
            pending.add(task)
            task.add_done_callback(pending.discard)

    line = build_sip_line(cfg, config.voice, brain.agent, callbacks=brain.local, tenant=tenant, clock=clock,
                          engines=engines, on_event=on_event)
    await line.start()
    host.stoppers.append(("sip", line.stop))
    metrics.watch_active_calls(lambda: line.active_calls)
    host.ports["sip"] = line.port
    log.info("sip line listening on %s:%d", cfg.bind, line.port)


async def run_mic(engines: VoiceEngines, voice: VoiceConfig, languages: tuple[str, ...], agent: Any, *,
                  input_device: str | None = None, output_device: str | None = None,
                  on_event: Callable[[float, Any], None] | None = None) -> None:
    """One conversation through the local microphone and speaker (channels/mic.py), until cancelled."""
    from receptionist.channels.mic import run_mic_session

    await run_mic_session(engines, voice, languages, agent, input_device=input_device,
                          output_device=output_device, on_event=on_event)


# The channels `serve` starts, in this order, each when its config section enables it. A new channel is
# its module under channels/ (with its starter, or the starter here), one line here, and its config
# section (config/channels.py; its name in config/app.py CHANNEL_SECTIONS). tests/toychannel adds one.
CHANNELS: dict[str, Channel] = {
    "http": Channel(lambda c: c.channels.http.enabled, start_http_channel),
    "sms": Channel(lambda c: c.channels.sms.enabled, start_sms_channel),
    "sip": Channel(lambda c: c.channels.sip.enabled, start_sip_channel),
}


async def start_channels(config: AppConfig, brain: Brain, clock: Clock, host: ChannelHost) -> None:
    """Start every enabled channel of CHANNELS, in order."""
    for channel in CHANNELS.values():
        if channel.enabled(config):
            await channel.start(config, brain, clock, host)


def bound_port(runner: Any, default: int) -> int:
    """The TCP port an aiohttp runner actually bound (port 0 asks for any), else `default`."""
    for site in getattr(runner, "sites", []):
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or []:
            return sock.getsockname()[1]
    return default
