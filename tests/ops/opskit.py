"""Test helpers for ops: a caller who booked by chat, texts in the outbox, a callback request."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from receptionist.booking.models import Customer, StayRequest
from receptionist.booking.service import CalendarService
from receptionist.channels.sms import outbox
from receptionist.clock import FakeClock
from receptionist.config.app import AppConfig
from tests.agent.harness import Conversation

PHONE = "+372 5123 4567"
E164 = "+37251234567"
OTHER = "+372 5555 0101"


async def book_by_chat(config: AppConfig, db_path: Path, clock: FakeClock, *, phone: str = PHONE,
                       pet: str = "Max", channel: str = "web", caller_id: str | None = None) -> str:
    """A whole English booking conversation with the real agent; returns the confirmation code."""
    conv = Conversation(config, db_path, clock, channel=channel, caller_id=caller_id)
    try:
        start = clock.now().date() + timedelta(days=16)  # 10 to 15 December when the clock says 24 November
        end = start + timedelta(days=5)
        await conv.say(f"Hi, I want to book a room for my dog {pet} from {start:%B} {start.day} to {end:%B} {end.day}", "en")
        reply = await conv.say(phone)
        done = await conv.say(reply.options[0].value if reply.options else "yes")
        assert done.booking is not None, done.text
        return done.booking.code
    finally:
        conv.close()


def seed_other_records(config: AppConfig, db_path: Path, clock: FakeClock, phone: str = PHONE) -> None:
    """A past stay, a callback request and two texts for `phone`, plus one booking of another caller."""
    cal = CalendarService(db_path, config, clock)
    try:
        tenant = config.default_tenant.id
        cal.create_booking(tenant, StayRequest("cat", date(2026, 12, 1), date(2026, 12, 3)),
                           Customer("Other Person", OTHER, "en"), details={"pet_name": "Tom"}, channel="cli")
        cal.add_callback(tenant, phone=phone.replace(" ", ""), name="Mari", reason="question about prices",
                         language="en", conversation_id=None)
        at = clock.now().isoformat(timespec="milliseconds")
        outbox.insert(cal.db, tenant, phone.replace(" ", ""), "Your booking is confirmed", "confirmation", at)
        outbox.insert(cal.db, tenant, OTHER.replace(" ", ""), "Hello other", "reply", at)
    finally:
        cal.close()
