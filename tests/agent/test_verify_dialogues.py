"""Who may read, change or cancel a booking, end to end through the agent (rules only, no LLM): a real
SQLite calendar, the injected clock, and the real SMS outbox where one-time codes are queued."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from receptionist.agent import store
from receptionist.agent.session import Manage, SessionState
from receptionist.booking.models import Booking
from receptionist.clock import FakeClock
from receptionist.config.app import AppConfig
from tests.agent.harness import Conversation, prefill

OWNER = "+37251234567"
OTHER = "+37255555555"
SECRETS = ("Bruno", "10 Dec", "12 Dec", "December", "2 nights")  # what a stranger must never hear


def with_sms(config: AppConfig, enabled: bool = True) -> AppConfig:
    return replace(config, channels=replace(config.channels, sms=replace(config.channels.sms, enabled=enabled)))


@pytest.fixture
def booking(pet_config: AppConfig, db_path: Path, clock: FakeClock) -> Booking:
    return prefill(pet_config, db_path, clock, [{"room_type": "dog", "start": "2026-12-10", "end": "2026-12-12",
                                                 "pet_name": "Bruno", "phone": OWNER}])[0]


@pytest.fixture
def talk(pet_config: AppConfig, db_path: Path, clock: FakeClock):
    made: list[Conversation] = []

    def open_(*, sms: bool = True, **kwargs) -> Conversation:
        conv = Conversation(with_sms(pet_config, sms), db_path, clock, **kwargs)
        made.append(conv)
        return conv

    yield open_
    for conv in made:
        conv.close()


def status(conv: Conversation, code: str) -> str:
    calendar = conv.calendar()
    try:
        return calendar.get(conv.tenant.id, code).status
    finally:
        calendar.close()


def texted_codes(conv: Conversation) -> list[tuple[str, str]]:
    """(phone, one-time code) of every one-time-code text queued in the SMS outbox."""
    rows = conv.brain.worker.run_sync(lambda db: db.execute(
        "SELECT phone, text FROM sms_outbox WHERE kind = 'otp' ORDER BY id").fetchall())
    return [(phone, re.findall(r"\b\d{6}\b", text)[0]) for phone, text in rows]


def assert_nothing_leaked(text: str, booking: Booking) -> None:
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), text
    assert booking.code not in text, text


# -- phone line and SMS ----------------------------------------------------------------------------------

async def test_sms_caller_id_finds_and_cancels_their_own_booking(talk, booking):
    conv = talk(channel="sms", caller_id=OWNER)
    found = await conv.say("I want to cancel my booking")
    assert booking.code in found.text and "Bruno" in found.text and "cancel it?" in found.text
    done = await conv.say("yes")
    assert "cancelled" in done.text and status(conv, booking.code) == "cancelled"


async def test_sms_caller_id_with_several_bookings_hears_them_listed_and_picks_one(talk, booking, pet_config,
                                                                                    db_path, clock):
    second = prefill(pet_config, db_path, clock, [{"room_type": "cat", "start": "2026-12-20", "end": "2026-12-22",
                                                   "pet_name": "Luna", "phone": OWNER}])[0]
    conv = talk(channel="sms", caller_id=OWNER)
    listed = await conv.say("I need to cancel a booking")
    assert booking.code in listed.text and second.code in listed.text
    assert {o.value for o in listed.options} == {booking.code, second.code}
    picked = await conv.say(second.code)
    assert "Luna" in picked.text and "cancel it?" in picked.text
    await conv.say("yes")
    assert status(conv, second.code) == "cancelled" and status(conv, booking.code) == "confirmed"


async def test_a_call_from_another_number_with_the_code_is_a_stranger(talk, booking):
    conv = talk(channel="voice", caller_id=OTHER)
    asked = await conv.say(f"I want to cancel booking {booking.code}")
    assert "phone number" in asked.text
    assert_nothing_leaked(asked.text, booking)
    sent = await conv.say("5123 4567")
    assert "text message" in sent.text and texted_codes(conv)[-1][0] == OWNER  # the code goes to the owner
    assert_nothing_leaked(sent.text, booking)


# -- web chat --------------------------------------------------------------------------------------------

async def test_web_cancel_needs_code_phone_and_the_texted_code(talk, booking):
    conv = talk()
    asked = await conv.say("I want to cancel my booking")
    assert "confirmation number" in asked.text and "phone number" in asked.text
    sent = await conv.say(f"It's {booking.code}, my phone is 5123 4567")
    assert "text message" in sent.text
    assert_nothing_leaked(sent.text, booking)
    [(phone, code)] = texted_codes(conv)
    assert phone == OWNER
    state = conv.brain.worker.run_sync(store.load_state, conv.tenant.id, conv.session_id)[0]
    assert code not in state.to_json()  # only a hash of the one-time code is stored
    verified = await conv.say(code)
    assert "right code" in verified.text and "Bruno" in verified.text and "cancel it?" in verified.text
    done = await conv.say("yes")
    assert "cancelled" in done.text and status(conv, booking.code) == "cancelled"


async def test_web_change_goes_through_verification_then_moves(talk, booking):
    conv = talk()
    await conv.say("I need to move my booking")
    await conv.say(booking.code)
    await conv.say("+372 5123 4567")
    [(_, code)] = texted_codes(conv)
    dates = await conv.say(" ".join(code))  # typed digit by digit
    assert "new dates" in dates.text
    await conv.say("December 14 to December 16")
    moved = await conv.say("yes")
    assert moved.booking is not None and moved.booking.status == "confirmed"
    calendar = conv.calendar()
    try:
        assert str(calendar.get(conv.tenant.id, booking.code).request.start) == "2026-12-14"
    finally:
        calendar.close()


async def test_web_without_sms_becomes_a_callback_and_changes_nothing(talk, booking):
    conv = talk(sms=False)
    await conv.say("I want to cancel my booking")
    reply = await conv.say(f"{booking.code} and 5123 4567")
    assert "colleague will call you back" in reply.text
    assert_nothing_leaked(reply.text, booking)
    await conv.say("yes")
    calendar = conv.calendar()
    try:
        [callback] = calendar.list_callbacks(conv.tenant.id)
        assert callback.phone == OWNER and "unverified" in callback.reason
        assert calendar.get(conv.tenant.id, booking.code).status == "confirmed"
    finally:
        calendar.close()


async def test_wrong_phone_gets_the_neutral_reply_of_an_unknown_code(talk, booking):
    wrong_phone = await talk().say(f"cancel booking {booking.code}, my phone is +372 5555 5555")
    unknown_code = await talk().say("cancel booking BK-100001, my phone is +372 5123 4567")
    assert wrong_phone.text == unknown_code.text
    assert_nothing_leaked(wrong_phone.text, booking)
    assert wrong_phone.booking is None and not wrong_phone.options


async def test_a_said_phone_number_lists_nothing_on_the_web(talk, booking):
    reply = await talk().say("I want to cancel my booking, my number is 5123 4567")
    assert "confirmation number" in reply.text
    assert_nothing_leaked(reply.text, booking)


async def test_three_failed_lookups_lock_the_conversation(talk, booking):
    conv = talk()
    await conv.say("I want to cancel my booking")
    for guess in ("BK-100001", "BK-100002"):
        assert "couldn't match" in (await conv.say(f"{guess} and 5123 4567")).text
    locked = await conv.say("BK-100003 and 5123 4567")
    assert "can't look up bookings" in locked.text
    assert conv.brain.worker.run_sync(store.transcript, conv.tenant.id, conv.session_id)[-1].meta["lockout"] == "session"
    refused = await conv.say(f"I want to cancel booking {booking.code}, phone 5123 4567")  # even the right pair
    assert "can't look up bookings" in refused.text and texted_codes(conv) == []
    assert_nothing_leaked(refused.text, booking)
    assert status(conv, booking.code) == "confirmed"


async def test_wrong_one_time_codes_end_in_a_callback_offer(talk, booking):
    conv = talk()
    await conv.say(f"cancel {booking.code}, phone 5123 4567")
    [(_, code)] = texted_codes(conv)
    wrong = "000000" if code != "000000" else "111111"
    assert "isn't right" in (await conv.say(wrong)).text
    assert "isn't right" in (await conv.say(wrong)).text
    last = await conv.say(wrong)
    assert "what number should they call you back on" in last.text
    assert (await conv.say(code)).booking is None  # the real code no longer works
    assert status(conv, booking.code) == "confirmed"


async def test_an_expired_one_time_code_does_not_verify(talk, booking, clock):
    conv = talk()
    await conv.say(f"cancel {booking.code}, phone 5123 4567")
    [(_, code)] = texted_codes(conv)
    clock.advance(11 * 60)
    late = await conv.say(code)
    assert "expired" in late.text
    assert_nothing_leaked(late.text, booking)
    await conv.say("yes")
    assert status(conv, booking.code) == "confirmed"


async def test_a_state_saved_before_verification_existed_cannot_cancel(talk, booking, clock):
    conv = talk()
    old = SessionState(conv.session_id, conv.tenant.id, "web", mode="manage", asked="confirm",
                       manage=Manage(action="cancel", stage="confirm_cancel", code=booking.code))
    conv.brain.worker.run_sync(store.save_turn, old, clock.now(), [])
    reply = await conv.say("yes")
    assert status(conv, booking.code) == "confirmed"
    assert_nothing_leaked(reply.text, booking)
