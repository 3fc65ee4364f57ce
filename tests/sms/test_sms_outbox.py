"""The outbox keeps every message until the modem takes it: errors, a vanished modem, restarts."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from receptionist.channels.sms.outbox import Outbox, messages
from tests.sms.conftest import SmsEnv, eventually

CALLER = "+37251234567"


async def test_a_message_the_modem_refuses_is_kept_and_retried_with_backoff(sms_env, caplog):
    caplog.set_level(logging.INFO)
    outbox: Outbox = sms_env.runtime.outbox
    sms_env.modem.fail_sends = 2
    sms_id = await outbox.enqueue("pawsome", CALLER, "Tere! Teie broneering on kinnitatud.", "confirmation")
    await eventually(lambda: sms_env.modem.fail_sends == 1, what="first refused attempt")
    row = await _row(sms_env, sms_id)
    assert (row.status, row.attempts, row.last_error) == ("queued", 1, "sms-rejected")
    assert sms_env.modem.messages() == []
    sms_env.clock.advance(0.2)  # the first retry is due after retry_interval_s
    outbox.wake()
    await eventually(lambda: sms_env.modem.fail_sends == 0, what="second refused attempt")
    row = await _row(sms_env, sms_id)
    wait = datetime.fromisoformat(row.next_attempt_at) - sms_env.clock.now()
    assert row.attempts == 2 and wait == timedelta(seconds=0.4)  # the backoff doubled
    sms_env.clock.advance(0.4)
    outbox.wake()
    assert (await sms_env.replies(1)) == [(CALLER, "Tere! Teie broneering on kinnitatud.")]
    row = await _row(sms_env, sms_id)
    assert (row.status, row.attempts) == ("sent", 3)
    assert not [r for r in caplog.records if CALLER[4:] in r.getMessage()]


async def test_the_modem_going_away_loses_nothing(sms_env, caplog):
    caplog.set_level(logging.INFO)
    sms_env.modem.vanish()
    await eventually(lambda: not sms_env.runtime.link.connected, what="the link noticing")
    outbox = sms_env.runtime.outbox
    first = await outbox.enqueue("pawsome", CALLER, "first", "reply")
    second = await outbox.enqueue("pawsome", CALLER, "second", "reply")
    await eventually(lambda: _attempted(sms_env, first), what="an attempt while the modem is away")
    assert (await _row(sms_env, second)).status == "queued"
    assert any("sms-modem-down" in r.getMessage() or "unavailable" in r.getMessage() for r in caplog.records)
    sms_env.modem.appear()  # plugged back in: the link reconnects and the outbox retries at once
    sent = await sms_env.replies(2)
    assert sent == [(CALLER, "first"), (CALLER, "second")]
    assert {o.status for o in await sms_env.brain.worker.run(messages)} == {"sent"}


async def test_queued_messages_survive_a_restart(tmp_path, clock):
    env = SmsEnv(tmp_path, clock)
    env.modem.vanish()  # no modem at all at start: nothing crashes
    await env.start_without_modem()
    await env.runtime.outbox.enqueue("pawsome", CALLER, "kept across a restart", "reply")
    await env.runtime.close()
    env.runtime = None
    env.modem.appear()
    await env.start()
    try:
        assert (await env.replies(1)) == [(CALLER, "kept across a restart")]
    finally:
        await env.close()


def _attempted(env, sms_id):
    rows = env.brain.worker.run_sync(messages)
    return any(r.id == sms_id and r.attempts >= 1 for r in rows)


async def _row(env, sms_id):
    return next(r for r in await env.brain.worker.run(messages) if r.id == sms_id)
