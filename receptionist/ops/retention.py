"""Retention: callers' words are kept `[privacy] retention_days`, then deleted — automatically.

`purge()` deletes conversations (with their messages) last touched before the cutoff; texts (received,
sent or given up on), done callback requests, write idempotency keys and recordings (files under
`<data_dir>/recordings`) older than it; and bookings that ended more than `keep_bookings_for_days` ago
(with customers left without any booking or recent contact). `start_retention()` runs it in the service
now and every `purge_interval_h`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Awaitable, Callable

import sqlite_utils

from receptionist.booking.db import write_transaction
from receptionist.booking.hours import iso_utc
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.config.privacy import PrivacyConfig
from receptionist.dbworker import DbWorker

log = logging.getLogger(__name__)
Stopper = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PurgeResult:
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _ms(at: datetime) -> str:
    """The conversation store's and SMS outbox's timestamp format (sorts as text)."""
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def purge(db: sqlite_utils.Database, policy: PrivacyConfig, at: datetime, *,
          recordings: Path | None = None) -> PurgeResult:
    cutoff = at - timedelta(days=policy.retention_days)
    c_ms, c_s = _ms(cutoff), iso_utc(cutoff)
    keep_until = iso_utc(at - timedelta(days=policy.keep_bookings_for_days))
    counts: dict[str, int] = {}
    with write_transaction(db) as conn:
        old = "SELECT id FROM conversations WHERE updated_at < ?"
        counts["messages"] = conn.execute(f"DELETE FROM messages WHERE conversation_id IN ({old})", (c_ms,)).rowcount
        counts["conversations"] = conn.execute("DELETE FROM conversations WHERE updated_at < ?", (c_ms,)).rowcount
        counts["sms"] = conn.execute("DELETE FROM sms_outbox WHERE status IN ('sent', 'failed') AND created_at < ?",
                                     (c_ms,)).rowcount
        counts["sms_inbox"] = conn.execute("DELETE FROM sms_inbox WHERE received_at < ?", (c_ms,)).rowcount
        counts["idempotency_keys"] = conn.execute("DELETE FROM idempotency_keys WHERE created_at < ?",
                                                  (c_s,)).rowcount
        counts["callbacks"] = conn.execute("DELETE FROM callbacks WHERE status = 'done' AND created_at < ?",
                                           (c_s,)).rowcount
        counts["bookings"] = conn.execute("DELETE FROM bookings WHERE end_at < ?", (keep_until,)).rowcount
        counts["customers"] = conn.execute(
            "DELETE FROM customers WHERE updated_at < ? AND NOT EXISTS "
            "(SELECT 1 FROM bookings b WHERE b.customer_id = customers.id) AND NOT EXISTS "
            "(SELECT 1 FROM callbacks c WHERE c.tenant_id = customers.tenant_id AND c.phone = customers.phone)",
            (c_s,)).rowcount
        counts["recordings"] = _purge_files(recordings, cutoff) if recordings else 0
        if any(counts.values()):
            detail = json.dumps({"cutoff": c_s, "counts": counts}, sort_keys=True)
            for (tenant_id,) in conn.execute("SELECT id FROM tenants ORDER BY id").fetchall():
                conn.execute("INSERT INTO audit_log (tenant_id, at, actor, action, detail_json) "
                             "VALUES (?, ?, 'retention', 'retention.purge', ?)", (tenant_id, iso_utc(at), detail))
    return PurgeResult(counts)


def _purge_files(folder: Path, cutoff: datetime) -> int:
    if not folder.is_dir():
        return 0
    limit = cutoff.timestamp()
    removed = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:  # vanished or not ours: the next pass tries again
            continue
    return removed


def recordings_dir(config: AppConfig) -> Path:
    return config.app.data_dir / "recordings"


def start_retention(config: AppConfig, worker: DbWorker, clock: Clock, *,
                    interval_s: float | None = None) -> Stopper:
    """Purge now and then every `[privacy] purge_interval_h` in the background; returns `await stop()`."""
    interval = interval_s if interval_s is not None else config.privacy.purge_interval_h * 3600
    stop = asyncio.Event()
    rec = recordings_dir(config)

    async def loop() -> None:
        while not stop.is_set():
            try:
                result = await worker.run(lambda db: purge(db, config.privacy, clock.now(), recordings=rec))
                if result.total:
                    log.info("retention: deleted %s", ", ".join(f"{k}={v}" for k, v in result.counts.items() if v))
            except asyncio.CancelledError:
                raise
            except Exception:  # a locked or damaged database: try again next time, never die
                log.exception("retention pass failed")
            try:
                await asyncio.wait_for(stop.wait(), interval)
            except asyncio.TimeoutError:
                pass

    task = asyncio.create_task(loop(), name="retention")

    async def stopper() -> None:
        stop.set()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

    return stopper
