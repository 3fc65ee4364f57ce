"""Opening the SQLite calendar: WAL, foreign keys, busy timeout, migrations, tenants synced from config."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlite_utils

from receptionist import profiles
from receptionist.booking.migrations import migrate
from receptionist.config.app import AppConfig

BUSY_TIMEOUT_S = 4.0  # < the HTTP client and tool timeouts: see receptionist/agent/tools.py


def connect(path: str | Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> sqlite_utils.Database:
    """One connection to the calendar file (created with its folder if missing). ":memory:" works too.

    The connection may be used from several threads, but not at the same time: CalendarService
    serialises its own calls. For parallel writers, give each its own connection.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=busy_timeout_s, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def open_calendar(path: str | Path, config: AppConfig, *, now: datetime | None = None) -> sqlite_utils.Database:
    """Connect, apply pending migrations and sync tenants/resources/services from config."""
    db = connect(path)
    migrate(db)
    sync_tenants(db, config, now=now)
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front, so check-then-insert is atomic."""
    conn = db.conn
    if conn.in_transaction:  # a stray implicit transaction would make BEGIN fail
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def sync_tenants(db: sqlite_utils.Database, config: AppConfig, *, now: datetime | None = None) -> None:
    """Upsert tenants and their resources/services from config; ones no longer configured are deactivated
    (kept, because old bookings refer to them)."""
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    with write_transaction(db) as conn:
        for name in profiles.names():  # the kinds every profile declares (bookings.kind, resources.kind)
            conn.execute("INSERT OR IGNORE INTO booking_kinds (kind) VALUES (?)", (profiles.get(name).name,))
            conn.execute("INSERT OR IGNORE INTO resource_kinds (kind) VALUES (?)", (profiles.get(name).resource_kind,))
        for t in config.tenants:
            conn.execute("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name", (t.id, t.name, at))
            conn.execute("UPDATE resources SET active = 0 WHERE tenant_id = ?", (t.id,))
            conn.execute("UPDATE services SET active = 0 WHERE tenant_id = ?", (t.id,))
            resources = [(r.id, r.kind, r.name, r.capacity) for r in profiles.of(t).resources(t)]
            for rid, kind, name, capacity in resources:
                conn.execute(
                    "INSERT INTO resources (tenant_id, id, kind, name, capacity, active) VALUES (?, ?, ?, ?, ?, 1) "
                    "ON CONFLICT (tenant_id, id) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
                    "capacity = excluded.capacity, active = 1", (t.id, rid, kind, name, capacity))
            for s in t.services:
                conn.execute(
                    "INSERT INTO services (tenant_id, id, duration_min, price_cents, active) VALUES (?, ?, ?, ?, 1) "
                    "ON CONFLICT (tenant_id, id) DO UPDATE SET duration_min = excluded.duration_min, "
                    "price_cents = excluded.price_cents, active = 1",
                    (t.id, s.id, s.duration_min, int(s.price * 100)))
