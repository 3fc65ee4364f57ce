"""`receptionist serve`: the one asyncio process. Loads and warms the models, starts the channels
that are enabled, tells systemd it is ready, runs until SIGINT/SIGTERM, then stops in reverse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from receptionist import systemd
from receptionist.app import Brain, Stopper, build_brain, start_channels
from receptionist.clock import Clock, SystemClock
from receptionist.config.app import AppConfig
from receptionist.ops import metrics
from receptionist.ops.retention import start_retention

log = logging.getLogger(__name__)


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
    """Build the brain (`model`: "load", or a TextModel/None to inject) and start the retention job and
    every enabled channel (receptionist.app.CHANNELS) on `running`, which is returned ready."""
    clock = clock or SystemClock()
    running = running or Running()
    t0 = time.monotonic()
    running.brain = await asyncio.to_thread(build_brain, config, clock=clock, model=model)
    brain = running.brain
    log.info("agent ready (models loaded and warm) in %.1fs", time.monotonic() - t0)
    metrics.set_model_loaded("llm", brain.model is not None)
    await metrics.prime(brain.worker)
    running.stoppers.append(("retention", start_retention(config, brain.worker, clock)))
    await start_channels(config, brain, clock, running)
    running.ready = True
    return running


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
