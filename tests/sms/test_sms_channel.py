"""SMS end to end over the real serial code (python-gsmmodem-new + pyserial) against a fake AT modem on a pty."""

from __future__ import annotations

import logging

from receptionist.channels.sms.channel import session_id
from receptionist.channels.sms.outbox import messages
from tests.sms.conftest import SmsEnv, eventually

CALLER = "+37251234567"


async def test_booking_by_sms_lands_in_the_calendar_and_is_confirmed(sms_env, caplog):
    caplog.set_level(logging.INFO)
    m = sms_env.modem
    m.receive(CALLER, "Hi, I want to book a room for my dog Max from December 10 to 15")
    number, confirm = (await sms_env.replies(1))[-1]  # the sender's number is known: straight to the summary
    assert number == CALLER and "€175" in confirm and "+372 5123 4567" in confirm and "Shall I book it?" in confirm
    assert confirm.endswith("1) Yes, book it 2) No, change something")
    m.receive(CALLER, "1")  # the first option, by number
    sent = await sms_env.replies(3)
    reply, confirmation = sorted(sent[1:], key=lambda s: "Pawsome" in s[1])
    assert "Your booking is confirmed" in reply[1]
    code = reply[1].rsplit(" ", 1)[-1].rstrip(".")
    assert confirmation == (CALLER, f"Pawsome Pet Hotel: your booking {code} is confirmed. "
                                    f"dog room, Max, 10 Dec – 15 Dec, 5 nights. Questions: +372 600 1234")

    found = await sms_env.brain.worker.run(lambda db: db.execute(
        "SELECT code, resource_id, start_at, end_at, channel, phone FROM bookings").fetchall())
    assert found == [(code, found[0][1], "2026-12-10", "2026-12-15", "sms", CALLER)]
    assert found[0][1].startswith("dog")
    await eventually(lambda: m.storage == {}, what="every received text deleted from the SIM")
    outbox = await sms_env.brain.worker.run(messages)
    assert {o.status for o in outbox} == {"sent"} and {o.kind for o in outbox} == {"reply", "confirmation"}
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and "5123" in r.getMessage()], \
        "phone numbers must not appear in log lines"


async def test_one_session_per_number_continues_across_days(sms_env):
    m = sms_env.modem
    m.receive(CALLER, "Hi, I want to book a room for my cat")
    await sms_env.replies(1)
    sms_env.clock.advance(3600)
    m.receive(CALLER, "from December 10 to 12")
    assert "cat room" in (await sms_env.replies(2))[-1][1]
    m.receive("+37259999999", "Hello")
    await sms_env.replies(3)
    sessions = await sms_env.brain.worker.run(lambda db: db.execute(
        "SELECT id, channel, caller_id FROM conversations ORDER BY started_at").fetchall())
    assert sessions == [(session_id("pawsome", CALLER), "sms", CALLER),
                        (session_id("pawsome", "+37259999999"), "sms", "+37259999999")]


async def test_multipart_unicode_in_and_out(sms_env):
    m = sms_env.modem
    m.receive("+37255555555", "Здравствуйте, хочу забронировать комнату для кошки с 10 по 12 декабря", parts=3)
    number, text = (await sms_env.replies(1))[0]
    assert number == "+37255555555"
    assert "комната для кошек" in text and "50 евро" in text  # understood only when all three parts were joined
    ucs2 = [p for p in m.submitted if p["text"] and any("а" <= ch <= "я" for ch in p["text"])]
    assert len(ucs2) >= 2 and all("udh" in p for p in ucs2)  # a long Cyrillic reply goes out in UCS2 parts


async def test_replies_are_cut_to_max_parts(tmp_path, clock):
    env = await SmsEnv(tmp_path, clock, max_parts=1).start()
    try:
        env.modem.receive(CALLER, "Хочу забронировать комнату для собаки с 10 по 15 декабря")
        text = (await env.replies(1))[0][1]
        assert len(text) <= 70 and text.endswith("...") and text.startswith("Хорошие новости")  # one UCS2 segment
        assert len(env.modem.submitted) == 1
    finally:
        await env.close()


async def test_texts_that_arrived_while_away_are_read_at_connect(tmp_path, clock):
    env = SmsEnv(tmp_path, clock)
    env.modem.store(CALLER, "I want to book a room for my dog")
    await env.start()
    try:
        assert "check in" in (await env.replies(1))[0][1]
        await eventually(lambda: env.modem.storage == {}, what="stored text deleted")
    finally:
        await env.close()
