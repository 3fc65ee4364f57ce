"""Callers' words are deleted after [privacy] retention_days, by the service itself."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import replace
from datetime import timedelta

from receptionist.app import open_worker
from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.config.privacy import PrivacyConfig
from receptionist.ops.retention import purge, recordings_dir, start_retention
from receptionist.service import start_service
from tests.conftest import NOW
from tests.ops.opskit import book_by_chat


def _conversations(config) -> int:
    cal = CalendarService(config.app.database, config, FakeClock(NOW))
    try:
        return cal.db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
    finally:
        cal.close()


async def test_old_conversations_recordings_and_sent_texts_go_recent_ones_stay(config, clock):
    await book_by_chat(config, config.app.database, clock)  # at 2026-11-24
    clock.advance(30 * 86400)
    await book_by_chat(config, config.app.database, clock, phone="+372 5555 0101", pet="Rex")
    rec = recordings_dir(config)
    rec.mkdir(parents=True)
    (rec / "old.wav").write_bytes(b"RIFF")
    (rec / "new.wav").write_bytes(b"RIFF")
    old = (NOW - timedelta(days=1)).timestamp()
    os.utime(rec / "old.wav", (old, old))
    os.utime(rec / "new.wav", (clock.now().timestamp(), clock.now().timestamp()))
    cal = CalendarService(config.app.database, config, clock)
    result = purge(cal.db, PrivacyConfig(retention_days=20), clock.now(), recordings=rec)
    assert result.counts["conversations"] == 1 and result.counts["messages"] >= 3 and result.counts["recordings"] == 1
    assert result.counts["bookings"] == 0  # bookings follow keep_bookings_for_days, not retention_days
    assert cal.db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 1
    assert [p.name for p in rec.iterdir()] == ["new.wav"]
    assert cal.db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "retention.purge"
    assert purge(cal.db, PrivacyConfig(retention_days=20), clock.now()).total == 0  # idempotent
    cal.close()


async def test_the_retention_task_runs_at_start_and_periodically_then_stops(config, clock):
    await book_by_chat(config, config.app.database, clock)
    clock.advance(100 * 86400)
    config = replace(config, privacy=PrivacyConfig(retention_days=90))
    worker = open_worker(config, clock)
    stop = start_retention(config, worker, clock, interval_s=0.05)
    try:
        for _ in range(100):
            if _conversations(config) == 0:
                break
            await asyncio.sleep(0.02)
        assert _conversations(config) == 0
    finally:
        t0 = time.monotonic()
        await stop()
        assert time.monotonic() - t0 < 1.0
        worker.close()


async def test_the_service_starts_retention_and_stops_it(config, clock):
    await book_by_chat(config, config.app.database, clock)
    clock.advance(400 * 86400)
    config = replace(config, channels=replace(config.channels, http=replace(config.channels.http, port=0)))
    running = await start_service(config, clock=clock, model=None)
    try:
        assert "retention" in [name for name, _ in running.stoppers]
        for _ in range(100):
            if _conversations(config) == 0:
                break
            await asyncio.sleep(0.02)
        assert _conversations(config) == 0
    finally:
        await running.stop()
