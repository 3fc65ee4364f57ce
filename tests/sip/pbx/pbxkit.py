"""A SIP line wired as `receptionist serve` wires it (its events feed the metrics `doctor` reads), with
stand-in speech sessions, registering with a Kamailio on loopback; and a caller through that Kamailio."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

from receptionist.channels.sip.events import RegistrationChanged
from receptionist.config.sip import SipConfig
from receptionist.ops import metrics
from siphelpers import FakeAgent, FakeCallbacks, sip_config, tone_sessions
from sippkit import Sipp, SippResult

SCENARIOS = Path(__file__).parent / "scenarios"


def line_config(pbx_port: int, *, transport: str = "udp", user: str = "reception", password: str = "s3cret",
                register_interval_s: int = 60, **overrides: Any) -> SipConfig:
    return sip_config(registrar=f"sip:127.0.0.1:{pbx_port}", user=user, password=password, transport=transport,
                      register_interval_s=register_interval_s, allowed_sources=(), **overrides)


class LineEvents(list):
    """Every event the line reported, in order."""

    def registrations(self) -> list[RegistrationChanged]:
        return [e for e in self if isinstance(e, RegistrationChanged)]

    def registered(self) -> int:
        """How many successful registrations (first one and refreshes) the line has seen."""
        return sum(1 for e in self.registrations() if e.registered)


@asynccontextmanager
async def pbx_line(cfg: SipConfig, tenant: Any, events: LineEvents, *, greeting_s: float = 0.5,
                   agent: Any = None) -> AsyncIterator[Any]:
    from receptionist.channels.sip.line import SipLine

    def on_event(kind: str, event: Any) -> None:
        events.append(event)
        metrics.line_event(kind, event)  # as the service does

    line = SipLine(cfg, agent or FakeAgent(), callbacks=FakeCallbacks(), tenant=tenant,
                   sessions=tone_sessions(greeting_s), on_event=on_event)
    await line.start()
    try:
        yield line
    finally:
        await asyncio.wait_for(line.stop(), 15)


async def call_through(workdir: Path, pbx_port: int, *, callee: str = "reception", hold_ms: int = 1500,
                       timeout_s: float = 40) -> SippResult:
    """One call from sipp to `callee` at the PBX; ok when it was answered and hung up cleanly."""
    sipp = Sipp(workdir, pbx_port, scenarios=SCENARIOS)
    return await sipp.run("proxied_call", callee=callee, hold_ms=hold_ms, timeout_s=timeout_s)
