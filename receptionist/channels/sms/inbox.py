"""Incoming texts, stored in SQLite (sms_inbox) before they are deleted from the SIM.

A text is stored once: its fingerprint (sender, the network's timestamp, text, part of a long message)
is unique per tenant, so a repeated +CMTI or the same message read again at connect is a no-op. A
stored text is 'new' until it is answered: `finish` queues the reply in the outbox and marks the
text(s) done in ONE transaction, so after a crash a text is either answered or still 'new' (and is
processed again, once, at the next start). Functions here take the database and run on its thread.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from receptionist.channels.sms import outbox

STATUSES = ("new", "done", "limited", "ignored")


@dataclass(frozen=True, slots=True)
class StoredSms:
    id: int
    tenant_id: str
    sender: str  # E.164, or as it came for an alphanumeric sender
    text: str
    concat: tuple[int, int, int] | None  # (reference, total parts, part number) of a long message
    status: str
    received_at: str  # ISO-8601 UTC (milliseconds)


_COLUMNS = "id, tenant_id, sender, text, concat_ref, concat_total, concat_seq, status, received_at"


def _row(r: tuple) -> StoredSms:
    concat = (int(r[4]), int(r[5]), int(r[6])) if r[4] is not None else None
    return StoredSms(r[0], r[1], r[2], r[3], concat, r[7], r[8])


def fingerprint(sender: str, sent_at: str | None, text: str, concat: tuple[int, int, int] | None) -> str:
    """What makes a text the same text when it is read twice."""
    parts = (sender, sent_at or "", text, ",".join(map(str, concat or ())))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def store(db: sqlite_utils.Database, tenant_id: str, sender: str, text: str, concat: tuple[int, int, int] | None,
          sent_at: str | None, at: str) -> int | None:
    """Keep one incoming text (committed on return); None when it was stored before."""
    with db.conn:
        cur = db.execute(
            "INSERT OR IGNORE INTO sms_inbox (tenant_id, sender, text, concat_ref, concat_total, concat_seq, "
            "fingerprint, status, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?)",
            (tenant_id, sender, text, *(concat or (None, None, None)), fingerprint(sender, sent_at, text, concat), at))
    return int(cur.lastrowid) if cur.rowcount == 1 else None


def pending(db: sqlite_utils.Database, tenant_id: str) -> list[StoredSms]:
    """Texts not answered yet, oldest first."""
    return [_row(r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM sms_inbox WHERE tenant_id = ? AND status = 'new' ORDER BY id", (tenant_id,))]


def recent_messages(db: sqlite_utils.Database, tenant_id: str, sender: str, since: str, up_to_id: int) -> int:
    """How many messages (a long message counts once) the sender sent since `since`, up to `up_to_id`."""
    row = db.execute("SELECT COUNT(*) FROM sms_inbox WHERE tenant_id = ? AND sender = ? AND received_at >= ? "
                     "AND id <= ? AND (concat_seq IS NULL OR concat_seq = 1)",
                     (tenant_id, sender, since, up_to_id)).fetchone()
    return int(row[0])


def finish(db: sqlite_utils.Database, ids: tuple[int, ...], status: str, at: str,
           reply: tuple[str, str, str] | None = None) -> int | None:
    """Mark texts `status` and, in the same transaction, queue `reply` = (tenant, phone, text) in the outbox.
    Returns the outbox id; None without a reply, or when a text was already finished (nothing is done)."""
    if status not in STATUSES[1:]:
        raise ValueError(f"finish needs one of {STATUSES[1:]} (got {status!r})")
    with db.conn:
        marks = ", ".join("?" * len(ids))
        still_new = db.execute(f"SELECT COUNT(*) FROM sms_inbox WHERE status = 'new' AND id IN ({marks})",
                               ids).fetchone()[0]
        if still_new != len(ids):  # answered already: never a second reply
            return None
        reply_id = outbox.add(db, reply[0], reply[1], reply[2], "reply", at) if reply else None
        db.conn.executemany("UPDATE sms_inbox SET status = ?, processed_at = ?, reply_id = ? WHERE id = ? "
                       "AND status = 'new'", [(status, at, reply_id, i) for i in ids])
    return reply_id


def texts(db: sqlite_utils.Database, status: str | None = None, tenant_id: str | None = None) -> list[StoredSms]:
    """Stored texts (all, or one status / one tenant's), oldest first."""
    return [_row(r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM sms_inbox WHERE (:s IS NULL OR status = :s) AND (:t IS NULL OR tenant_id = :t) "
        "ORDER BY id", {"s": status, "t": tenant_id})]


@dataclass(frozen=True, slots=True)
class Unit:
    """One message to answer: a single text, or the parts of a long one joined in order."""

    ids: tuple[int, ...]
    sender: str
    text: str


def assemble(stored: list[StoredSms], now: datetime, wait: timedelta) -> list[Unit]:
    """Pending texts → whole messages in arrival order (pure). The parts of a long message are joined once
    all have arrived, or, when some never come, after `wait` from its first part (what did arrive)."""
    units: list[tuple[int, Unit]] = []
    groups: dict[tuple[str, int, int], list[StoredSms]] = {}
    for sms in stored:
        if sms.concat is None or sms.concat[1] <= 1:
            units.append((sms.id, Unit((sms.id,), sms.sender, sms.text)))
        else:
            groups.setdefault((sms.sender, sms.concat[0], sms.concat[1]), []).append(sms)
    for (sender, _, total), parts in groups.items():
        by_seq: dict[int, StoredSms] = {}
        for part in parts:
            by_seq.setdefault(part.concat[2], part)  # type: ignore[index]
        first = min(parts, key=lambda p: p.id)
        complete = all(i in by_seq for i in range(1, total + 1))
        if complete or now - datetime.fromisoformat(first.received_at) >= wait:
            ordered = [by_seq[i] for i in sorted(by_seq)]
            units.append((first.id, Unit(tuple(p.id for p in parts), sender, "".join(p.text for p in ordered))))
    return [unit for _, unit in sorted(units, key=lambda u: u[0])]
