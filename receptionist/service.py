"""`receptionist serve`: the one asyncio process. Loads and warms the models, starts the channels
that are enabled, tells systemd it is ready, runs until SIGINT/SIGTERM, then stops in reverse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from receptionist import systemd
from receptionist.app import Brain, build_brain, build_voice_engines
from receptionist.clock import Clock, SystemClock
from receptionist.config.app import AppConfig
from receptionist.ops import metrics
from receptionist.ops.retention import start_retention

log = logging.getLogger(__name__)
Stopper = Callable[[], Awaitable[None]]


@dataclass
class Running:
    """What is running, and how to stop each part (in reverse order of starting)."""

    brain: Brain | None = None
    ready: bool = False
    stoppers: list[tuple[str, Stopper]] = field(default_factory=list)
    ports: dict[str, int] = field(default_factory=dict)

    async def stop(self) -> None:
        for name, stop in reversed(self.stoppers):
            try:
                await stop()
            except Exception:  # one part failing to stop never keeps the others running
                log.exception("stopping %s failed", name)
        self.stoppers.clear()
        if self.brain is not None:
            await asyncio.to_thread(self.brain.close)
            self.brain = None


async def start_service(config: AppConfig, *, clock: Clock | None = None, model: Any = "load",
                        running: Running | None = None) -> Running:
    clock = clock or SystemClock()
    running = running or Running()
    t0 = time.monotonic()
    running.brain = await asyncio.to_thread(build_brain, config, clock=clock, model=model)
    brain = running.brain
    log.info("agent ready (models loaded and warm) in %.1fs", time.monotonic() - t0)
    metrics.set_model_loaded("llm", brain.model is not None)
    await metrics.prime(brain.worker)
    running.stoppers.append(("retention", start_retention(config, brain.worker, clock)))
    channels = config.channels
    if channels.http.enabled:
        from receptionist.channels.http.server import build_app, build_staff_app, start_http
        from receptionist.channels.http.services import HttpServices

        services = HttpServices(config, brain.agent, brain.worker, clock, ready=lambda: running.ready)
        runner = await start_http(build_app(services), channels.http.host, channels.http.port)
        running.stoppers.append(("http", runner.cleanup))
        running.ports["http"] = _bound_port(runner, channels.http.port)
        log.info("http shim listening on %s:%d", channels.http.host, running.ports["http"])
        if (staff_app := build_staff_app(services)) is not None and channels.http.staff_listen is not None:
            host, port = channels.http.staff_listen  # the staff API and /metrics, off the public listener
            staff_runner = await start_http(staff_app, host, port)
            running.stoppers.append(("http staff", staff_runner.cleanup))
            running.ports["http-staff"] = _bound_port(staff_runner, port)
    if channels.sms.enabled:
        from receptionist.channels.sms.runtime import start_sms

        sms = await start_sms(config, brain.agent, brain.worker, clock)
        running.stoppers.append(("sms", sms.close))
        if brain.otp is not None:  # one-time codes go out at once, not at the outbox's next poll
            brain.otp.wake = sms.outbox.wake
    if channels.sip.enabled:
        line = await _start_sip(config, brain, clock, running)
        running.ports["sip"] = line.port
    running.ready = True
    return running


async def _start_sip(config: AppConfig, brain: Brain, clock: Clock, running: Running) -> Any:
    """The phone line with the voice pipeline; if the speech models fail to load, the line still
    answers in keypad mode (a spoken prompt asks for a callback number)."""
    from receptionist.channels.sip.line import SipLine, voice_sessions

    cfg = config.channels.sip
    tenant = config.tenant(cfg.tenant)
    sessions = None
    try:
        engines = await asyncio.to_thread(build_voice_engines, config.voice, tenant.languages)
    except Exception:
        log.exception("speech models failed to load: the phone line answers in keypad mode")
    else:
        running.stoppers.append(("voice engines", lambda: asyncio.to_thread(engines.close)))
        sessions = voice_sessions(engines, config.voice, clock, tenant.languages, tenant=tenant)
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

    line = SipLine(cfg, brain.agent, callbacks=brain.local, tenant=tenant, clock=clock, sessions=sessions,
                   on_event=on_event)
    await line.start()
    running.stoppers.append(("sip", line.stop))
    metrics.watch_active_calls(lambda: line.active_calls)
    log.info("sip line listening on %s:%d", cfg.bind, line.port)
    return line


def _bound_port(runner: Any, default: int) -> int:
    for site in getattr(runner, "sites", []):
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or []:
            return sock.getsockname()[1]
    return default


async def serve(config: AppConfig, *, clock: Clock | None = None, stop: asyncio.Event | None = None,
                on_ready: Callable[[Running], None] | None = None) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set). `on_ready(running)` is called once everything has
    started (the CLI prints what listens where on a terminal)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    running = Running()
    try:
        await start_service(config, clock=clock, running=running)
        systemd.notify("READY=1\nSTATUS=answering")
        log.info("receptionist is ready")
        if on_ready is not None:
            on_ready(running)
        interval = systemd.watchdog_interval_s()
        while not stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), interval or 3600)
            if interval:
                systemd.notify("WATCHDOG=1")
    finally:
        systemd.notify("STOPPING=1")
        log.info("stopping")
        await running.stop()
        log.info("stopped")
