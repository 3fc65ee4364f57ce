"""The outbox keeps every message until the modem takes it: errors, a vanished modem, restarts."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from receptionist.booking.db import open_calendar
from receptionist.channels.sms import inbox
from receptionist.channels.sms.modem import ModemError
from receptionist.channels.sms.outbox import Outbox, give_up, insert, messages, next_due, timestamp
from receptionist.config import load_config
from receptionist.config.privacy import PrivacyConfig
from receptionist.ops.metrics import REGISTRY
from receptionist.ops.retention import purge
from tests.cli.conftest import Cli
from tests.conftest import PET_CONFIG, copy_config
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


class RefusingSender:
    """A modem that refuses every text."""

    def __init__(self) -> None:
        self.tries = 0

    async def send(self, number: str, text: str) -> None:
        self.tries += 1
        raise ModemError("refused", code="sms-rejected")


def failed_total() -> float:
    return REGISTRY.get_sample_value("receptionist_sms_failed_total", {"kind": "confirmation"}) or 0.0


async def test_a_text_unsent_for_give_up_after_h_is_marked_failed_and_no_longer_tried(tmp_path, clock, caplog):
    env = SmsEnv(tmp_path, clock)
    sender = RefusingSender()
    outbox = Outbox(env.brain.worker, sender, clock, retry_s=60, give_up_after_s=24 * 3600)
    before = failed_total()
    try:
        sms_id = await outbox.enqueue("pawsome", CALLER, "Your booking BK-482913 is confirmed", "confirmation")
        await outbox.flush()
        clock.advance(23 * 3600)  # still trying within the day
        await outbox.flush()
        assert (await _row(env, sms_id)).status == "queued" and sender.tries == 2
        clock.advance(3600)
        assert await outbox.flush() == 0
        row = await _row(env, sms_id)
        assert (row.status, row.attempts, row.last_error) == ("failed", 2, "sms-rejected")
        assert sender.tries == 2 and failed_total() - before == 1
        assert await env.brain.worker.run(next_due) is None  # nothing left to wake up for
        assert any("given up" in r.getMessage() for r in caplog.records)
        assert not [r for r in caplog.records if CALLER[4:] in r.getMessage() or "BK-" in r.getMessage()]
    finally:
        await env.close()


def test_staff_list_failed_texts_and_send_one_again(tmp_path, clock):
    cli = Cli(copy_config(PET_CONFIG, tmp_path))
    db = open_calendar(load_config(cli.config).app.database, load_config(cli.config), now=clock.now())
    at = timestamp(clock.now())
    failed_id = insert(db, "pawsome", CALLER, "Your booking is confirmed", "confirmation", at)
    insert(db, "pawsome", CALLER, "A sent one", "reply", at)
    give_up(db, timestamp(clock.now() + timedelta(seconds=1)), at)  # both were queued before: both failed
    mark_sent_id = messages(db)[1].id
    db.execute("UPDATE sms_outbox SET status = 'sent' WHERE id = ?", (mark_sent_id,))
    db.conn.commit()
    listed = cli.json("sms", "list", "--failed")
    assert [(m["id"], m["status"], m["phone"]) for m in listed] == [(failed_id, "failed", CALLER)]
    assert "+372 5123 4567" in cli.ok("sms", "list").stdout
    assert "queued again" in cli.ok("sms", "retry", str(failed_id)).stdout
    assert [m.status for m in messages(db)] == ["queued", "sent"]
    assert cli.fails("sms", "retry", str(failed_id)).stderr.startswith("error [not-found]")
    assert "Example" in cli.ok("sms", "list", "--help").stdout
    db.conn.close()


def test_retention_deletes_old_texts_received_sent_and_failed_but_not_queued_ones(tmp_path, clock):
    db = open_calendar(tmp_path / "cal.db", load_config(PET_CONFIG), now=clock.now())
    old = timestamp(clock.now() - timedelta(days=100))
    for status in ("sent", "failed", "queued"):
        sms_id = insert(db, "pawsome", CALLER, f"an old {status} text", "reply", old)
        db.execute("UPDATE sms_outbox SET status = ? WHERE id = ?", (status, sms_id))
    db.conn.commit()
    inbox.store(db, "pawsome", CALLER, "an old incoming text", None, "t0", old)
    inbox.store(db, "pawsome", CALLER, "a recent incoming text", None, "t1", timestamp(clock.now()))
    result = purge(db, PrivacyConfig(retention_days=90), clock.now())
    assert (result.counts["sms"], result.counts["sms_inbox"]) == (2, 1)
    assert [m.status for m in messages(db)] == ["queued"]  # still to be sent (it fails by itself in a day)
    assert [t.text for t in inbox.texts(db)] == ["a recent incoming text"]
    db.conn.close()


async def test_a_one_time_code_is_blanked_in_the_database_once_sent(sms_env):
    outbox: Outbox = sms_env.runtime.outbox
    sms_id = await outbox.enqueue("pawsome", CALLER, "Your code is 482913.", "otp")
    assert (await sms_env.replies(1)) == [(CALLER, "Your code is 482913.")]  # the phone got the code
    for _ in range(200):  # the outbox marks the row sent just after the modem took it
        row = await _row(sms_env, sms_id)
        if row.status == "sent":
            break
        await asyncio.sleep(0.02)
    assert row.status == "sent" and "482913" not in row.text
