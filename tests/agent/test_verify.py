"""The verification state machine (receptionist/agent/verify.py) with a fake clock, a fake look-up, a fake
text sender that records what it sends, and the real lock-out counters in a real SQLite file."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from receptionist.agent import otp
from receptionist.agent.lockout import LookupGuard, LookupLimits, Who
from receptionist.agent.session import Manage, SessionState
from receptionist.agent.verify import Context, Outcome, Said, Verifier
from receptionist.booking.db import open_calendar
from receptionist.booking.models import Booking, StayRequest
from receptionist.clock import FakeClock
from receptionist.config.app import AppConfig
from receptionist.dbworker import DbWorker
from receptionist.errors import BookingError

OWNER = "+37251234567"
STRANGER = "+37255555555"


def _booking(code: str, phone: str = OWNER, *, start: str = "2026-12-10", status: str = "confirmed") -> Booking:
    day = date.fromisoformat(start)
    return Booking(code=code, tenant_id="pawsome", status=status,  # type: ignore[arg-type]
                   request=StayRequest("dog", day, day + timedelta(days=2)), resource_id="dog-1",
                   customer_name="Mari", phone=phone, language="en", price=Decimal("70"), currency="EUR",
                   details={"pet_name": "Rex"})


class FakeCalendar:
    """The look-up the verifier is given (Tools.find's shape), over a fixed list of bookings."""

    def __init__(self, *bookings: Booking) -> None:
        self.bookings = list(bookings)
        self.lookups: list[tuple[str | None, str | None]] = []

    async def __call__(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]:
        self.lookups.append((code, phone))
        if code is not None and not re.fullmatch(r"BK-\d{4,8}", code):
            raise BookingError("not a booking code", code="not-found")
        return [b for b in self.bookings if (code is None or b.code == code) and (phone is None or b.phone == phone)]


class FakeTexts:
    """An OtpSender that records (tenant, phone, text); `fail` makes it raise."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail = fail

    async def send(self, tenant_id: str, phone: str, text: str) -> None:
        if self.fail:
            raise ConnectionError("the outbox is gone")
        self.sent.append((tenant_id, phone, text))

    def last_code(self) -> str:
        return re.findall(r"\b\d{6}\b", self.sent[-1][2])[0]


@pytest.fixture
def worker(tmp_path: Path, pet_config: AppConfig, clock: FakeClock):
    w = DbWorker(lambda: open_calendar(tmp_path / "calendar.db", pet_config, now=clock.now()))
    yield w
    w.close()


class Rig:
    def __init__(self, worker: DbWorker, clock: FakeClock, pet_config: AppConfig, calendar: FakeCalendar,
                 texts: FakeTexts | None, limits: LookupLimits = LookupLimits()) -> None:
        self.clock = clock
        self.calendar = calendar
        self.texts = texts
        self.tenant = pet_config.default_tenant
        self.guard = LookupGuard(worker, clock, limits)
        self.verifier = Verifier(calendar, self.guard, clock, sender=texts, otp_valid=timedelta(minutes=10),
                                 otp_tries=3, rng=random.Random(1))

    def context(self, *, session: str = "s1", client: str | None = "client-a", caller_id: str | None = None) -> Context:
        return Context(self.tenant, Who(self.tenant.id, session, client), date(2026, 11, 24), caller_id,
                       lambda code, minutes: f"Pawsome: {code} is your code. Valid for {minutes} min.")

    async def step(self, m: Manage, said: Said, **ctx: str | None) -> Outcome:
        return await self.verifier.step(m, said, self.context(**ctx))  # type: ignore[arg-type]


def rig(worker, clock, pet_config, *bookings: Booking, texts: FakeTexts | None = None, **limits) -> Rig:
    return Rig(worker, clock, pet_config, FakeCalendar(*bookings), texts, LookupLimits(**limits))


CANCEL = Manage(action="cancel")


# -- the phone line and SMS: the caller id is the owner ------------------------------------------------------

async def test_caller_id_with_one_upcoming_booking_is_verified_without_asking(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), _booking("BK-999999", STRANGER))
    out = await r.step(CANCEL, Said(), caller_id=OWNER)
    assert out.next == "verified" and out.booking is not None and out.booking.code == "BK-123456"
    assert out.manage.verified and out.manage.code == "BK-123456"


async def test_caller_id_with_several_bookings_lists_them_and_a_pick_verifies(worker, clock, pet_config):
    mine = [_booking("BK-111111"), _booking("BK-222222", start="2026-12-20")]
    r = rig(worker, clock, pet_config, *mine, _booking("BK-333333", status="cancelled"))
    out = await r.step(CANCEL, Said(), caller_id=OWNER)
    assert out.next == "ask" and out.say == ("several_found",)
    assert {b.code for b in out.listed} == {"BK-111111", "BK-222222"}  # the cancelled one is not offered
    picked = await r.step(out.manage, Said(code="BK-222222"), caller_id=OWNER)
    assert picked.next == "verified" and picked.booking.code == "BK-222222"  # type: ignore[union-attr]
    by_choice = await r.step(out.manage, Said(choice=1), caller_id=OWNER)
    assert by_choice.next == "verified" and by_choice.booking.code == out.manage.candidates[0]  # type: ignore[union-attr]


async def test_caller_id_giving_a_code_of_their_own_booking_is_verified(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"))
    out = await r.step(CANCEL, Said(code="BK-123456"), caller_id=OWNER)
    assert out.next == "verified" and out.say == ()


async def test_caller_id_giving_someone_elses_code_is_a_stranger_and_hears_nothing_about_it(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456", OWNER))
    theirs = await r.step(CANCEL, Said(code="BK-123456"), caller_id=STRANGER)
    missing = await r.step(CANCEL, Said(code="BK-654321"), caller_id=STRANGER)
    assert theirs.say == missing.say == ("ask_booking_phone",)  # the same reply: existence is not revealed
    assert theirs.booking is None and theirs.listed == () and not theirs.manage.verified


async def test_caller_id_without_bookings_is_asked_for_the_code(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456", OWNER))
    out = await r.step(CANCEL, Said(), caller_id=STRANGER)
    assert out.say == ("none_for_caller",) and out.listed == ()


async def test_a_said_phone_number_never_lists_bookings(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456", OWNER), texts=FakeTexts())
    out = await r.step(CANCEL, Said(phone=OWNER))  # the web: "my number is +372 5123 4567"
    assert out.say == ("ask_code_only",) and out.listed == () and out.booking is None
    assert all(phone is None for _, phone in r.calendar.lookups)  # no look-up by a claimed phone at all
    on_phone = await r.step(CANCEL, Said(phone=OWNER), caller_id=STRANGER)  # another number on the line
    assert on_phone.say == ("ask_code_only",) and on_phone.listed == ()


# -- the web: code + phone, then a one-time code ------------------------------------------------------------

async def test_web_asks_for_what_is_missing_before_any_lookup(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts())
    assert (await r.step(CANCEL, Said())).say == ("ask_code_and_phone",)
    asked = await r.step(CANCEL, Said(code="BK-123456"))
    assert asked.say == ("ask_booking_phone",) and asked.manage.claim_code == "BK-123456"
    assert r.calendar.lookups == []


async def test_web_code_and_phone_then_the_texted_code_verifies(worker, clock, pet_config):
    texts = FakeTexts()
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=texts)
    first = await r.step(CANCEL, Said(code="BK-123456"))
    sent = await r.step(first.manage, Said(phone=OWNER))
    assert sent.say == ("otp_sent",) and sent.manage.stage == "otp" and sent.booking is None
    assert [(t, p) for t, p, _ in texts.sent] == [("pawsome", OWNER)]
    code = texts.last_code()
    assert code not in sent.manage.__repr__() and sent.manage.otp_digest  # only a hash is kept
    ok = await r.step(sent.manage, Said(otp=code))
    assert ok.next == "verified" and ok.say == ("verified",) and ok.booking.code == "BK-123456"  # type: ignore[union-attr]


async def test_wrong_phone_and_unknown_code_get_the_same_neutral_reply(worker, clock, pet_config):
    texts = FakeTexts()
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=texts)
    wrong_phone = await r.step(CANCEL, Said(code="BK-123456", phone=STRANGER))
    no_code = await r.step(CANCEL, Said(code="BK-654321", phone=OWNER), session="s2")
    assert wrong_phone.say == no_code.say == ("not_verified",)
    assert wrong_phone.booking is None and wrong_phone.listed == () and texts.sent == []
    assert wrong_phone.manage.claim_code is None and wrong_phone.manage.claim_phone is None


async def test_without_sms_a_matching_request_becomes_a_callback_to_the_bookings_phone(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=None)
    out = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER))
    assert out.next == "callback_taken" and out.callback_to == OWNER and out.say == ("verify_callback",)
    assert out.booking is None


async def test_a_text_that_cannot_be_queued_falls_back_to_staff(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts(fail=True))
    out = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER))
    assert out.next == "callback_taken" and out.callback_to == OWNER


async def test_wrong_one_time_codes_are_allowed_three_tries_then_count_as_a_failure(worker, clock, pet_config):
    texts = FakeTexts()
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=texts)
    m = (await r.step(CANCEL, Said(code="BK-123456", phone=OWNER))).manage
    wrong = "000000" if texts.last_code() != "000000" else "111111"
    first = await r.step(m, Said(otp=wrong))
    second = await r.step(first.manage, Said(otp=wrong))
    assert first.say == second.say == ("otp_wrong",) and second.manage.otp_tries_left == 1
    third = await r.step(second.manage, Said(otp=wrong))
    assert third.next == "ask_callback" and third.say == ("otp_failed",) and not third.manage.verified
    assert await r.guard.locked(Who("pawsome", "s1", "client-a")) is None  # one failure of three so far
    assert (await r.step(third.manage, Said(otp=texts.last_code()))).next != "verified"  # the code is gone


async def test_the_one_time_code_expires(worker, clock, pet_config):
    texts = FakeTexts()
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=texts)
    m = (await r.step(CANCEL, Said(code="BK-123456", phone=OWNER))).manage
    clock.advance(10 * 60)
    late = await r.step(m, Said(otp=texts.last_code()))
    assert late.say == ("otp_expired",) and late.next == "ask" and late.manage.stage == "identify"
    assert late.booking is None


async def test_a_missing_one_time_code_is_asked_for_again(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts())
    m = (await r.step(CANCEL, Said(code="BK-123456", phone=OWNER))).manage
    again = await r.step(m, Said())
    assert again.say == ("otp_ask",) and again.manage.otp_tries_left == 3


async def test_one_phone_gets_a_limited_number_of_codes_then_staff_call_back(worker, clock, pet_config):
    texts = FakeTexts()
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=texts, otp_texts_per_phone=2)
    outs = [await r.step(CANCEL, Said(code="BK-123456", phone=OWNER), session=f"s{i}") for i in range(3)]
    assert [o.next for o in outs] == ["ask", "ask", "callback_taken"] and len(texts.sent) == 2


# -- lock-outs ------------------------------------------------------------------------------------------

async def test_three_failures_lock_the_session(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts())
    outs = [await r.step(CANCEL, Said(code=f"BK-10000{i}", phone=OWNER)) for i in range(3)]
    assert [o.say for o in outs[:2]] == [("not_verified",)] * 2
    assert outs[2].say == ("lookup_locked",) and outs[2].lockout == "session" and outs[2].next == "ask_callback"
    right = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER))  # even the right pair is refused now
    assert right.say == ("lookup_locked",) and right.locked == "session" and right.lockout is None
    assert r.texts is not None and r.texts.sent == []


async def test_a_client_is_locked_across_sessions(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts(), per_client=4)
    outs = [await r.step(CANCEL, Said(code=f"BK-20000{i}", phone=OWNER), session=f"s{i}") for i in range(4)]
    assert outs[-1].lockout == "client"
    other_client = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER), session="new", client="client-b")
    assert other_client.say == ("otp_sent",)
    same_client = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER), session="new2")
    assert same_client.locked == "client"


async def test_the_tenant_lock_sends_everyone_to_staff_and_lifts_after_the_window(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts(), per_tenant=5)
    outs = [await r.step(CANCEL, Said(code=f"BK-30000{i}", phone=OWNER), session=f"s{i}", client=f"c{i}")
            for i in range(5)]
    assert outs[-1].lockout == "tenant"
    anyone = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER), session="x", client="fresh")
    assert anyone.locked == "tenant" and anyone.say == ("lookup_locked",)
    clock.advance(61 * 60)
    later = await r.step(CANCEL, Said(code="BK-123456", phone=OWNER), session="y", client="fresh")
    assert later.say == ("otp_sent",)


async def test_lockouts_survive_a_restart(tmp_path, clock, pet_config):
    def open_worker() -> DbWorker:
        return DbWorker(lambda: open_calendar(tmp_path / "restart.db", pet_config, now=clock.now()))

    before = open_worker()
    try:
        r = rig(before, clock, pet_config, _booking("BK-123456"), texts=FakeTexts())
        for i in range(3):
            await r.step(CANCEL, Said(code=f"BK-40000{i}", phone=OWNER))
    finally:
        before.close()
    after = open_worker()
    try:
        guard = LookupGuard(after, clock, LookupLimits())
        assert await guard.locked(Who("pawsome", "s1", "client-a")) == "session"
    finally:
        after.close()


async def test_the_counters_hold_no_phone_numbers_or_session_ids(worker, clock, pet_config):
    r = rig(worker, clock, pet_config, _booking("BK-123456"), texts=FakeTexts())
    await r.step(CANCEL, Said(code="BK-123456", phone=STRANGER), session="session-secret", client=STRANGER)
    await r.step(CANCEL, Said(code="BK-123456", phone=OWNER), session="session-secret", client=STRANGER)
    rows = await worker.run(lambda db: db.execute("SELECT * FROM lookup_events").fetchall())
    assert len(rows) == 2
    dump = repr(rows)
    assert "5555555" not in dump and "1234567" not in dump and "session-secret" not in dump


# -- the pieces ------------------------------------------------------------------------------------------

def test_one_time_codes_are_six_digits_and_only_their_hash_matches():
    issued = otp.issue(datetime(2026, 1, 1, tzinfo=timezone.utc), timedelta(minutes=10), random.Random(3))
    assert re.fullmatch(r"\d{6}", issued.code)
    assert otp.matches(issued.code, issued.salt, issued.digest)
    assert not otp.matches(f"{(int(issued.code) + 1) % 10**6:06d}", issued.salt, issued.digest)
    assert issued.code not in issued.digest


@pytest.mark.parametrize("text, code", [
    ("482913", "482913"), ("482 913", "482913"), ("the code is 4-8-2-9-1-3", "482913"),
    ("four eight two nine one three", "482913"), ("neli kaheksa kaks üheksa üks kolm", "482913"),
    ("четыре восемь два девять один три", "482913"), ("12345", None), ("1234567", None), ("I didn't get it", None),
])
def test_spoken_and_typed_one_time_codes_are_read(text: str, code: str | None):
    assert otp.parse_code(text) == code


def test_saved_states_from_before_verification_load_unverified():
    old = ('{"session_id": "s", "tenant_id": "pawsome", "channel": "web", "manage": {"action": "cancel", '
           '"stage": "confirm_cancel", "code": "BK-1234", "new": {}}}')
    state = SessionState.from_json(old)
    assert state.manage is not None and state.manage.stage == "confirm_cancel" and not state.manage.verified
    newer = SessionState(session_id="s", tenant_id="pawsome", channel="web",
                         manage=replace(CANCEL, stage="choose", candidates=("BK-111111",)))
    data = newer.to_json().replace('"verified": false', '"verified": false, "from_the_future": 1')
    assert SessionState.from_json(data).manage == newer.manage
