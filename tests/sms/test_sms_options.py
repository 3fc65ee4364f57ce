"""The options last offered to a number ("reply 1 or 2") are kept in a bounded map: a day at most."""

from __future__ import annotations

from receptionist.channels.sms.channel import OPTIONS_KEPT_S

CALLER = "+37251234567"


async def caller_texts(sms_env) -> list[str]:
    rows = await sms_env.db(lambda db: db.execute(
        "SELECT text FROM messages WHERE role = 'caller' ORDER BY id").fetchall())
    return [text for (text,) in rows]


async def test_a_number_picks_an_option_offered_today(sms_env):
    sms_env.modem.receive(CALLER, "Hi, I want to book a room for my dog Max from December 10 to 15")
    assert (await sms_env.replies(1))[-1][1].endswith("1) Yes, book it 2) No, change something")
    sms_env.clock.advance(OPTIONS_KEPT_S - 60)
    sms_env.modem.receive(CALLER, "2")
    await sms_env.replies(2)
    assert (await caller_texts(sms_env))[-1] != "2"  # read as the second option's value


async def test_options_offered_more_than_a_day_ago_are_forgotten(sms_env):
    sms_env.modem.receive(CALLER, "Hi, I want to book a room for my dog Max from December 10 to 15")
    await sms_env.replies(1)
    sms_env.clock.advance(OPTIONS_KEPT_S + 60)
    sms_env.modem.receive(CALLER, "2")
    await sms_env.replies(2)
    assert (await caller_texts(sms_env))[-1] == "2"  # a bare number, no longer an option
