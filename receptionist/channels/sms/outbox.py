"""Outgoing texts, persisted in SQLite (sms_outbox) before any attempt and retried with backoff until
sent: a message is never lost to a missing modem or a restart. A message still unsent `give_up_after_h`
after it was queued is marked 'failed' (a metric and a warning; staff see it with `receptionist sms list
--failed`; retention deletes it like a sent one). Log lines carry ids and codes only."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

import sqlite_utils
from prometheus_client import Counter

from receptionist.clock import Clock
from receptionist.dbworker import DbWorker
from receptionist.errors import ReceptionistError
from receptionist.ops.metrics import REGISTRY

log = logging.getLogger(__name__)


class Sender(Protocol):
    async def send(self, number: str, text: str) -> None:
        """Send one text (any length); raise on failure (a ReceptionistError with a code, ideally)."""


@dataclass(frozen=True, slots=True)
class OutgoingSms:
    id: int
    tenant_id: str
    phone: str
    text: str
    kind: str  # "reply" | "confirmation"
    status: str  # "queued" | "sent" | "failed"
    attempts: int
    next_attempt_at: str
    last_error: str | None = None
    created_at: str = ""


def timestamp(at: datetime) -> str:
    """The outbox's and inbox's time format: ISO-8601 UTC with milliseconds (sorts as text)."""
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds")


_COLUMNS = "id, tenant_id, phone, text, kind, status, attempts, next_attempt_at, last_error, created_at"
STATUSES = ("queued", "sent", "failed")
FAILED = Counter("receptionist_sms_failed", "Outgoing texts given up after [sms] give_up_after_h", ["kind"],
                 registry=REGISTRY)


def add(db: sqlite_utils.Database, tenant_id: str, phone: str, text: str, kind: str, at: str) -> int:
    """Queue a message inside the caller's transaction (see `insert` for one of its own)."""
    cur = db.execute("INSERT INTO sms_outbox (tenant_id, phone, text, kind, status, attempts, next_attempt_at, "
                     "created_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)", (tenant_id, phone, text, kind, at, at))
    return int(cur.lastrowid)


def insert(db: sqlite_utils.Database, tenant_id: str, phone: str, text: str, kind: str, at: str) -> int:
    with db.conn:
        return add(db, tenant_id, phone, text, kind, at)


def due(db: sqlite_utils.Database, at: str, limit: int) -> list[OutgoingSms]:
    return [OutgoingSms(*r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM sms_outbox WHERE status = 'queued' AND next_attempt_at <= ? "
        "ORDER BY next_attempt_at, id LIMIT ?", (at, limit)).fetchall()]


def next_due(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT MIN(next_attempt_at) FROM sms_outbox WHERE status = 'queued'").fetchone()
    return row[0] if row else None


SENT_OTP_TEXT = "[one-time code, removed after sending]"


def mark_sent(db: sqlite_utils.Database, sms_id: int, at: str) -> None:
    """Mark a text sent. A one-time code (kind "otp") is blanked at once: once on the phone, nobody
    with the database (a backup, a staff listing) may read it and pass a verification."""
    with db.conn:
        db.execute("UPDATE sms_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
                   "text = CASE WHEN kind = 'otp' THEN ? ELSE text END WHERE id = ?", (at, SENT_OTP_TEXT, sms_id))


def mark_retry(db: sqlite_utils.Database, sms_id: int, error: str, retry_at: str) -> None:
    with db.conn:
        db.execute("UPDATE sms_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                   (error, retry_at, sms_id))


def give_up(db: sqlite_utils.Database, queued_before: str, at: str) -> list[OutgoingSms]:
    """Mark every message queued at or before `queued_before` and still unsent failed; returns them."""
    with db.conn:
        stale = [OutgoingSms(*r) for r in db.execute(
            f"SELECT {_COLUMNS} FROM sms_outbox WHERE status = 'queued' AND created_at <= ? ORDER BY id",
            (queued_before,)).fetchall()]
        db.conn.executemany("UPDATE sms_outbox SET status = 'failed', failed_at = ?, "
                       "last_error = COALESCE(last_error, 'sms-expired') WHERE id = ?", [(at, m.id) for m in stale])
    return stale


def requeue(db: sqlite_utils.Database, sms_id: int, at: str) -> bool:
    """Staff: send a failed message again (its give-up clock starts anew). False when it is not failed."""
    with db.conn:
        cur = db.execute("UPDATE sms_outbox SET status = 'queued', failed_at = NULL, next_attempt_at = ?, "
                         "created_at = ? WHERE id = ? AND status = 'failed'", (at, at, sms_id))
    return cur.rowcount == 1


def reschedule_all(db: sqlite_utils.Database, at: str) -> None:
    with db.conn:
        db.execute("UPDATE sms_outbox SET next_attempt_at = ? WHERE status = 'queued' AND next_attempt_at > ?", (at, at))


def messages(db: sqlite_utils.Database, status: str | None = None, tenant_id: str | None = None) -> list[OutgoingSms]:
    """Messages (all, or one status / one tenant's), oldest first."""
    return [OutgoingSms(*r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM sms_outbox WHERE (:s IS NULL OR status = :s) AND (:t IS NULL OR tenant_id = :t) "
        "ORDER BY id", {"s": status, "t": tenant_id}).fetchall()]


class Outbox:
    def __init__(self, worker: DbWorker, sender: Sender, clock: Clock, *, retry_s: float = 30.0,
                 max_retry_s: float = 900.0, batch: int = 20, idle_poll_s: float = 60.0,
                 give_up_after_s: float = 24 * 3600.0) -> None:
        self._worker = worker
        self._sender = sender
        self._clock = clock
        self._retry_s = retry_s
        self._max_retry_s = max_retry_s
        self._give_up_after = timedelta(seconds=give_up_after_s)
        self._batch = batch
        self._idle_poll_s = idle_poll_s
        self._wake = asyncio.Event()

    async def enqueue(self, tenant_id: str, phone: str, text: str, kind: str = "reply") -> int:
        """Persist a message (committed before this returns) and wake the sender."""
        sms_id = await self._worker.run(insert, tenant_id, phone, text, kind, timestamp(self._clock.now()))
        self._wake.set()
        return sms_id

    def wake(self) -> None:
        self._wake.set()

    async def retry_now(self) -> None:
        """The modem is back: make every queued message due now and wake the sender."""
        await self._worker.run(reschedule_all, timestamp(self._clock.now()))
        self._wake.set()

    def backoff(self, attempts: int) -> float:
        return min(self._retry_s * (2 ** max(0, attempts - 1)), self._max_retry_s)

    async def expire(self) -> list[OutgoingSms]:
        """Give up on messages queued longer than `give_up_after_s`: marked failed, counted, logged (ids only)."""
        now = self._clock.now()
        stale = await self._worker.run(give_up, timestamp(now - self._give_up_after), timestamp(now))
        for sms in stale:
            FAILED.labels(sms.kind).inc()
            log.warning("sms %d (%s) given up after %d attempt(s) [%s]", sms.id, sms.kind, sms.attempts,
                        sms.last_error or "sms-expired")
        return stale

    async def flush(self) -> int:
        """One pass over the messages due now; returns how many were sent. Stops at the first modem failure."""
        await self.expire()
        sent = 0
        for sms in await self._worker.run(due, timestamp(self._clock.now()), self._batch):
            try:
                await self._sender.send(sms.phone, sms.text)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure is retried later, never lost
                code = exc.code if isinstance(exc, ReceptionistError) else type(exc).__name__
                wait = self.backoff(sms.attempts + 1)
                retry_at = timestamp(self._clock.now() + timedelta(seconds=wait))
                await self._worker.run(mark_retry, sms.id, code, retry_at)
                log.warning("sms %d (%s) not sent, attempt %d [%s]; retrying in %.0f s",
                            sms.id, sms.kind, sms.attempts + 1, code, wait)
                break
            await self._worker.run(mark_sent, sms.id, timestamp(self._clock.now()))
            log.info("sms %d (%s) sent after %d attempt(s)", sms.id, sms.kind, sms.attempts + 1)
            sent += 1
        return sent

    async def run(self) -> None:
        """Send due messages forever; wakes on enqueue/wake() or when the next retry falls due."""
        while True:
            self._wake.clear()
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database hiccupped: try again later, never die
                log.exception("sms outbox pass failed")
            nxt = await self._worker.run(next_due)
            wait = self._idle_poll_s
            if nxt is not None:
                wait = min(wait, max(0.05, (datetime.fromisoformat(nxt) - self._clock.now()).total_seconds()))
            try:
                await asyncio.wait_for(self._wake.wait(), wait)
            except asyncio.TimeoutError:
                pass
