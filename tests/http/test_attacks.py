"""Attacks on other people's bookings through the running HTTP shim (the public web chat, rules only, a real
SQLite calendar): enumerating codes, guessing with a wrong phone, a forged caller id, a forged
X-Forwarded-For. Each must fail, leave the bookings untouched and say nothing about them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from receptionist.booking.models import Booking, Customer, StayRequest
from receptionist.clock import FakeClock
from receptionist.config.app import AppConfig
from tests.http.shim import Shim, shim_config

OWNER = "+372 5123 4567"
OWNER_E164 = "+37251234567"
WRONG = "+372 5555 5555"
# What a stranger must never hear about the prefilled bookings: pets, dates, nights.
SECRETS = ("Bruno", "Luna", "10 Dec", "12 Dec", "20 Dec", "22 Dec", "December", "nights")


def attack_config(tmp_path: Path, **agent: int) -> AppConfig:
    config = shim_config(tmp_path, rate_limit=100000, rate_burst=100000)  # the HTTP rate limit is not under test
    return replace(config, agent=replace(config.agent, **agent))


@pytest.fixture
async def shim_and_bookings(tmp_path: Path, clock: FakeClock):
    shim = Shim(attack_config(tmp_path), clock)
    await shim.start_client()
    made = [await shim.calendar(lambda cal, pet=pet, start=start: cal.create_booking(
        "pawsome", StayRequest("dog", date(2026, 12, start), date(2026, 12, start + 2)),
        Customer("Mari Tamm", OWNER, "en"), details={"pet_name": pet, "pet_type": "dog"}, channel="web"))
        for pet, start in (("Bruno", 10), ("Luna", 20))]
    yield shim, made
    await shim.close()


async def say(shim: Shim, message: str, session: str | None = None, headers: dict | None = None) -> dict:
    body = {"message": message, "language": "en"}
    if session:
        body["session_id"] = session
    resp = await shim.client.post("/api/v1/chat", json=body, headers=headers or {})  # type: ignore[union-attr]
    assert resp.status == 200, await resp.text()
    return await resp.json()


def assert_silent_about(reply: dict, bookings: list[Booking]) -> None:
    text = reply["reply"]
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), text
    for b in bookings:
        assert b.code not in text, text
    assert reply["booking"] is None
    assert all(b.code not in str(o) for o in reply["options"] for b in bookings)


async def untouched(shim: Shim, bookings: list[Booking]) -> bool:
    now = [await shim.calendar(lambda cal, code=b.code: cal.get("pawsome", code)) for b in bookings]
    return [(b.status, b.request) for b in now] == [(b.status, b.request) for b in bookings]


async def lockouts(shim: Shim, scope: str) -> float:
    text = await (await shim.client.get("/metrics")).text()  # type: ignore[union-attr]
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == "receptionist_lookup_lockouts_total" and s.labels == {"tenant": "pawsome", "scope": scope})


def guesses(real: list[Booking], n: int) -> list[str]:
    """Codes an attacker tries: made-up ones with the real ones in between."""
    codes = [f"BK-{700000 + i * 7919}" for i in range(n)]
    codes[1], codes[4] = real[0].code, real[1].code
    return codes


async def test_enumerating_codes_alone_learns_nothing_and_changes_nothing(shim_and_bookings):
    shim, bookings = shim_and_bookings
    replies = set()
    for code in guesses(bookings, 8):  # a fresh conversation per code, as a script would
        first = await say(shim, f"cancel {code}")
        second = await say(shim, "yes", first["session_id"])
        for reply in (first, second):
            assert_silent_about(reply, bookings)
        replies.add((first["reply"], second["reply"]))
    assert len(replies) == 1  # real and made-up codes get the very same replies
    assert await untouched(shim, bookings)


async def test_enumerating_codes_with_a_phone_from_one_client_is_locked_out(shim_and_bookings):
    shim, bookings = shim_and_bookings
    before = await lockouts(shim, "client")
    texts = []
    for code in guesses(bookings, 13):
        first = await say(shim, f"cancel {code}, my phone is {WRONG}")
        second = await say(shim, "yes", first["session_id"])
        for reply in (first, second):
            assert_silent_about(reply, bookings)
        texts.append(first["reply"])
    assert all("couldn't match" in t for t in texts[:9])
    assert all("can't look up bookings" in t for t in texts[9:])  # 10 failures per client and hour
    assert await lockouts(shim, "client") == before + 1
    # Locked: even the right code and phone now get no further from this client.
    right = await say(shim, f"cancel {bookings[0].code}, my phone is {OWNER}")
    assert "can't look up bookings" in right["reply"]
    assert_silent_about(right, bookings)
    assert await untouched(shim, bookings)


async def test_guessing_the_phone_for_a_known_code_is_neutral_then_locked(shim_and_bookings):
    shim, bookings = shim_and_bookings
    code = bookings[0].code
    unknown = await say(shim, f"cancel BK-123457, my phone is {OWNER}")
    first = await say(shim, f"cancel {code}, my phone is {WRONG}")
    assert first["reply"] == unknown["reply"]  # "no such code" and "phone does not match" read the same
    session = first["session_id"]
    for phone in ("+372 5555 5556", "+372 5555 5557"):
        reply = await say(shim, f"{code} and {phone}", session)
        assert_silent_about(reply, bookings)
    assert "can't look up bookings" in reply["reply"]  # the third failure in this conversation
    assert await untouched(shim, bookings)


async def test_a_forged_caller_id_in_the_request_is_not_trusted(shim_and_bookings):
    shim, bookings = shim_and_bookings
    body = {"message": "I want to cancel my booking", "language": "en", "caller_id": OWNER_E164, "channel": "sms"}
    resp = await shim.client.post("/api/v1/chat", json=body)  # type: ignore[union-attr]
    if resp.status == 200:  # unknown fields ignored: the web chat still asks for code and phone
        reply = await resp.json()
        assert "confirmation number" in reply["reply"]
        assert_silent_about(reply, bookings)
    else:
        assert resp.status == 422
    assert await untouched(shim, bookings)


async def test_a_different_forged_x_forwarded_for_per_request_does_not_escape_the_limit(shim_and_bookings):
    shim, bookings = shim_and_bookings
    texts = []
    for i, code in enumerate(guesses(bookings, 12)):
        forged = {"X-Forwarded-For": f"203.0.113.{i + 1}"}  # no proxy is trusted: the header is ignored
        reply = await say(shim, f"cancel {code}, my phone is {WRONG}", headers=forged)
        assert_silent_about(reply, bookings)
        texts.append(reply["reply"])
    assert "can't look up bookings" in texts[9] and "can't look up bookings" in texts[-1]
    assert await untouched(shim, bookings)


async def test_the_tenant_limit_sends_everyone_to_staff(tmp_path: Path, clock: FakeClock):
    shim = Shim(attack_config(tmp_path, lookup_failures_per_tenant=4, lookup_failures_per_client=1000), clock)
    await shim.start_client()
    try:
        before = await lockouts(shim, "tenant")
        for i in range(4):  # four clients behind different addresses would do the same; here: sessions
            await say(shim, f"cancel BK-{810000 + i}, my phone is {WRONG}")
        assert await lockouts(shim, "tenant") == before + 1
        honest = await say(shim, f"cancel BK-{820000}, my phone is {OWNER}")
        assert "can't look up bookings" in honest["reply"]
    finally:
        await shim.close()
