"""Every write exactly once: an answer that comes back late (after the write committed) is retried with
the same idempotency key, and the calendar answers with the first result instead of writing again."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from receptionist.agent.session import SessionState
from receptionist.agent.tools import Tools, write_key
from receptionist.booking.models import Customer, StayRequest
from receptionist.errors import BackendUnavailable, BookingError
from tests.agent.harness import Conversation, prefill

STAY = StayRequest("dog", date(2026, 12, 10), date(2026, 12, 15))
CALLER = "+37251234567"


class RecordingBackend:
    """A fake backend: answers writes from a script (an exception to raise, or a value to return) and
    records the key of every attempt."""

    def __init__(self, *script: object) -> None:
        self.script = list(script)
        self.keys: list[str | None] = []

    async def _answer(self, key: str | None) -> object:
        self.keys.append(key)
        step = self.script.pop(0)
        if step == "hang":
            await asyncio.sleep(30)
        if isinstance(step, BaseException):
            raise step
        return step

    async def create_booking(self, tenant_id, request, customer, *, details, channel, key=None):
        return await self._answer(key)

    async def cancel(self, tenant_id, code, *, key=None):
        return await self._answer(key)

    async def reschedule(self, tenant_id, code, request, *, key=None):
        return await self._answer(key)


def test_every_attempt_of_a_write_carries_the_same_key():
    backend = RecordingBackend("hang", BackendUnavailable("reset", code="backend-unreachable"), "booked")
    tools = Tools(backend, timeout_s=0.05, retries=2, backoff_s=0.0)
    with tools.recording() as calls:
        result = asyncio.run(tools.create_booking("pawsome", STAY, Customer("Mari", CALLER, "et"), details={},
                                                  channel="web", key="agent-1"))
    assert result == "booked" and backend.keys == ["agent-1"] * 3 and calls[-1].attempts == 3


@pytest.mark.parametrize("write", ["cancel", "reschedule", "create_booking"])
def test_a_write_without_a_key_still_retries_only_with_one(write):
    backend = RecordingBackend("hang", "done")
    tools = Tools(backend, timeout_s=0.05, retries=2, backoff_s=0.0)
    call = {"cancel": lambda: tools.cancel("pawsome", "BK-482913"),
            "reschedule": lambda: tools.reschedule("pawsome", "BK-482913", STAY),
            "create_booking": lambda: tools.create_booking("pawsome", STAY, Customer("Mari", CALLER, "et"),
                                                           details={}, channel="web")}[write]
    assert asyncio.run(call()) == "done"
    assert backend.keys[0] and backend.keys == [backend.keys[0]] * 2


def test_a_refused_write_is_not_retried():
    backend = RecordingBackend(BookingError("taken", code="full"))
    tools = Tools(backend, timeout_s=0.05, retries=2, backoff_s=0.0)
    with pytest.raises(BookingError):
        asyncio.run(tools.cancel("pawsome", "BK-482913", key="k"))
    assert backend.keys == ["k"]


def test_write_keys_name_the_session_the_turn_and_the_proposal():
    stay = "stay:dog:2026-12-10:2026-12-15"
    state = SessionState("s-1", "pawsome", "sms", turns=4)
    key = write_key(state, "create", stay)
    assert key == write_key(state, "create", stay)  # the same turn processed again: the same key
    others = {write_key(SessionState("s-2", "pawsome", "sms", turns=4), "create", stay),
              write_key(SessionState("s-1", "pawsome", "sms", turns=5), "create", stay),
              write_key(state, "create", "stay:dog:2026-12-11:2026-12-15"), write_key(state, "cancel", "BK-1")}
    assert key not in others and len(others) == 4


@pytest.fixture
def late(pet_config, tmp_path, clock):
    conv = Conversation(pet_config, tmp_path / "cal.db", clock, fault="slow-after-commit", channel="sms",
                        caller_id=CALLER, tool_timeout_s=0.3)
    yield conv
    conv.close()


def test_a_booking_answered_late_is_made_once_and_the_caller_is_told(late):
    summary = asyncio.run(late.say("I want to book a room for my dog Max from December 10 to 15"))
    assert "Shall I book it?" in summary.text
    reply = asyncio.run(late.say("yes"))
    calendar = late.calendar()
    try:
        stored = calendar.list_bookings("pawsome")
    finally:
        calendar.close()
    assert late.brain.agent.tools.backend.late == ["create_booking"]  # the first answer was held back
    assert len(stored) == 1 and reply.booking is not None and reply.booking.code == stored[0].code
    assert stored[0].code in reply.text and "confirmed" in reply.text


def test_a_cancel_and_a_move_answered_late_happen_once(late, pet_config, clock):
    booking = prefill(pet_config, late.db_path, clock, [{"room_type": "dog", "start": "2026-12-01",
                                                         "end": "2026-12-04", "phone": CALLER}])[0]
    tools = late.brain.agent.tools
    with tools.recording() as calls:
        moved = asyncio.run(tools.reschedule("pawsome", booking.code, STAY))
        cancelled = asyncio.run(tools.cancel("pawsome", booking.code))
    assert moved.request == STAY and calls[0].attempts == 2
    assert cancelled.status == "cancelled" and calls[1].attempts == 2
    assert tools.backend.late == ["reschedule", "cancel"]
    actions = late.brain.worker.run_sync(lambda db: db.execute(
        "SELECT action, COUNT(*) FROM audit_log WHERE action LIKE 'booking.%' GROUP BY action ORDER BY action"
    ).fetchall())
    assert actions == [("booking.cancel", 1), ("booking.create", 1), ("booking.move", 1)]
