"""A small harness for talking to the real agent in tests: a real SQLite file, an injected clock,
an optional language model (real or scripted) and optional booking-backend faults."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from receptionist.agent.tools import LocalBackend
from receptionist.app import Brain, build_brain
from receptionist.booking.models import AppointmentRequest, Booking, Customer, StayRequest
from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.config.app import AppConfig
from receptionist.errors import BookingError
from receptionist.events import AgentReply, IncomingMessage


WRITES = ("create_booking", "cancel", "reschedule")


class FaultyBackend:
    """Wraps the local calendar and injects one kind of fault: down, slow, reject (a 4xx), or
    slow-after-commit: the first call of each write is done (committed) but its answer comes only after
    `after_commit_s` — longer than the tool waits; later calls are answered at once."""

    def __init__(self, inner: LocalBackend, fault: str, *, after_commit_s: float = 2.0) -> None:
        self.inner = inner
        self.fault = fault
        self.after_commit_s = after_commit_s
        self.calls = 0
        self.late: list[str] = []  # writes whose answer was held back

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)
        if not callable(method):
            return method

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.fault == "down":
                raise ConnectionRefusedError("booking backend refused the connection")
            if self.fault == "slow":
                await asyncio.sleep(30)
            if self.fault == "reject" and name == "create_booking":
                raise BookingError("backend rejected the request", code="invalid-request")
            result = await method(*args, **kwargs)
            if self.fault == "slow-after-commit" and name in WRITES and name not in self.late:
                self.late.append(name)
                await asyncio.sleep(self.after_commit_s)
            return result

        return call


class ScriptedModel:
    """A TextModel that answers from a script ("intent|topic|name" lines, or exceptions to raise)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.owners: list[Any] = []  # the Owner each request came with

    async def complete(self, system: str, user: str, *, grammar: str, timeout_s: float,
                       max_tokens: int | None = None, owner: Any = None) -> str:
        self.prompts.append(user)
        self.owners.append(owner)
        answer = self.answers.pop(0) if self.answers else "other|none|"
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        pass


class Conversation:
    def __init__(self, config: AppConfig, db_path: Path, clock: FakeClock, *, model: Any = None,
                 fault: str | None = None, channel: str = "web", caller_id: str | None = None,
                 tool_timeout_s: float = 0.3, client: str | None = None) -> None:
        self.config = replace(config, agent=replace(config.agent, tool_timeout_s=tool_timeout_s))
        self.db_path = db_path
        self.clock = clock
        self.model = model
        self.fault = fault
        self.channel = channel
        self.caller_id = caller_id
        self.client = client
        self.session_id = uuid.uuid4().hex
        self.tenant = self.config.default_tenant
        self.brain = self._build()

    def _build(self) -> Brain:
        brain = build_brain(self.config, clock=self.clock, database=self.db_path, model=self.model, warm=False)
        if self.fault:
            brain.agent.tools.backend = FaultyBackend(brain.local, self.fault)
        return brain

    def restart(self) -> None:
        """Simulate a process restart: everything in memory is dropped; the database stays."""
        self.brain.worker.close()
        self.brain = self._build()

    async def say(self, text: str, hint: str | None = None) -> AgentReply:
        msg = IncomingMessage(text=text, channel=self.channel, session_id=self.session_id,  # type: ignore[arg-type]
                              tenant_id=self.tenant.id, received_at=self.clock.now(), language_hint=hint,
                              caller_id=self.caller_id, client=self.client)
        reply = await self.brain.agent.handle(msg)
        self.clock.advance(5)
        return reply

    def calendar(self) -> CalendarService:
        return CalendarService(self.db_path, self.config, self.clock)

    def close(self) -> None:
        self.brain.worker.close()


def prefill(config: AppConfig, db_path: Path, clock: FakeClock, items: list[Mapping[str, Any]]) -> list[Booking]:
    """Bookings that exist before the conversation (to fill capacity, or to cancel/move)."""
    calendar = CalendarService(db_path, config, clock)
    tenant = config.default_tenant
    made: list[Booking] = []
    try:
        for item in items:
            for _ in range(int(item.get("count", 1))):
                if "room_type" in item:
                    request: Any = StayRequest(item["room_type"], _date(item["start"]), _date(item["end"]))
                    details = {"pet_name": item.get("pet_name", "Rex"), "pet_type": item["room_type"]}
                else:
                    from datetime import datetime

                    at = datetime.fromisoformat(str(item["at"])).replace(tzinfo=tenant.tz)
                    request = AppointmentRequest(item["service"], at, item.get("practitioner"))
                    details = {}
                customer = Customer(item.get("name", "Prefilled Customer"), item.get("phone", "+372 5000 0000"),
                                    item.get("language", tenant.default_language))
                made.append(calendar.create_booking(tenant.id, request, customer, details=details, channel="cli"))
    finally:
        calendar.close()
    return made


def _date(value: Any):
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))


def talk(config_file: str | Path, lines: list[str], *, model: Any = None, channel: str = "voice",
         caller_id: str | None = None, now: Any = None) -> list[str]:
    """The replies, in order, of one conversation that says `lines` to a fresh brain on a temporary
    database: config file relative to the repository root, the rules only unless a model is given
    (a ScriptedModel that knows nothing by default), the clock at 24 November 2026 09:00 UTC."""
    import tempfile
    from datetime import datetime, timezone

    from receptionist.config.app import load_config

    root = Path(__file__).resolve().parents[2]
    clock = FakeClock(now or datetime(2026, 11, 24, 9, tzinfo=timezone.utc))
    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversation(load_config(root / config_file), Path(tmp) / "c.db", clock,
                            model=model or ScriptedModel(), channel=channel, caller_id=caller_id)
        try:
            return [asyncio.run(conv.say(line)).text for line in lines]
        finally:
            conv.close()
