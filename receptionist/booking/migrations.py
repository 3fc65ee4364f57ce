"""Numbered schema migrations. Append new ones to MIGRATIONS; never edit one that has shipped.

Each migration runs in its own BEGIN IMMEDIATE transaction together with its row in
schema_migrations, so a failed migration leaves nothing behind and two processes starting at
once apply it exactly once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


_INITIAL = """
CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE resources (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('room_type', 'practitioner')),
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE services (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id TEXT NOT NULL,
    duration_min INTEGER NOT NULL,
    price_cents INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    phone TEXT NOT NULL,
    name TEXT,
    language TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, phone)
);
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled')),
    kind TEXT NOT NULL CHECK (kind IN ('stay', 'appointment')),
    resource_id TEXT NOT NULL,
    service_id TEXT,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers(id),
    customer_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    language TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    details_json TEXT NOT NULL DEFAULT '{}',
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    hold_expires_at TEXT,
    UNIQUE (tenant_id, code)
);
CREATE INDEX bookings_span ON bookings (tenant_id, resource_id, start_at, end_at);
CREATE INDEX bookings_phone ON bookings (tenant_id, phone);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    channel TEXT NOT NULL,
    caller_id TEXT,
    language TEXT,
    state_json TEXT NOT NULL DEFAULT '{}',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX conversations_tenant ON conversations (tenant_id, started_at);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('caller', 'bot', 'tool')),
    text TEXT NOT NULL,
    language TEXT,
    intent TEXT,
    meta_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX messages_conversation ON messages (tenant_id, conversation_id, at);
CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    phone TEXT NOT NULL,
    name TEXT,
    reason TEXT NOT NULL,
    language TEXT NOT NULL,
    conversation_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX callbacks_tenant ON callbacks (tenant_id, status, created_at);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_tenant ON audit_log (tenant_id, at);
"""

_API_TOKENS = """
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    tenant_id TEXT,
    prefix TEXT NOT NULL,
    salt TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_prefix ON api_tokens (prefix);
"""

_SMS_OUTBOX = """
CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
"""

# Tokens made before scopes had full access: they keep it ('write'). expires_at NULL: never expires.
_API_TOKEN_SCOPES = """
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'));
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
"""

# A write (create/cancel/reschedule) remembered by its idempotency key: a repeat with the same key and
# payload answers with the booking it made; the same key with another payload is refused.
_IDEMPOTENCY = """
CREATE TABLE idempotency_keys (
    tenant_id TEXT NOT NULL,
    key TEXT NOT NULL,
    action TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    code TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
"""

# Incoming texts are stored here before they are deleted from the SIM; `fingerprint` (sender, SMSC time,
# text, part) makes a re-read or a repeated +CMTI a no-op. status: new → done (replied) | limited | ignored.
_SMS_INBOX = """
CREATE TABLE sms_inbox (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    concat_ref INTEGER,
    concat_total INTEGER,
    concat_seq INTEGER,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'done', 'limited', 'ignored')),
    received_at TEXT NOT NULL,
    processed_at TEXT,
    reply_id INTEGER,
    UNIQUE (tenant_id, fingerprint)
);
CREATE INDEX sms_inbox_pending ON sms_inbox (status, id);
CREATE INDEX sms_inbox_sender ON sms_inbox (tenant_id, sender, received_at);
"""

# The outbox gives up after [sms] give_up_after_h: status 'failed' (SQLite cannot change a CHECK: rebuild).
_SMS_OUTBOX_FAILED = """
CREATE TABLE sms_outbox_v2 (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    failed_at TEXT
);
INSERT INTO sms_outbox_v2 (id, tenant_id, phone, text, kind, status, attempts, next_attempt_at, last_error,
                           created_at, sent_at)
    SELECT id, tenant_id, phone, text, kind, status, attempts, next_attempt_at, last_error, created_at, sent_at
    FROM sms_outbox;
DROP TABLE sms_outbox;
ALTER TABLE sms_outbox_v2 RENAME TO sms_outbox;
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
"""

# Failed booking look-ups and one-time-code texts, for lock-outs (receptionist/agent/lockout.py). Keys are
# hashes (no phone numbers, no session ids); rows older than a day are pruned by the agent.
_LOOKUP_EVENTS = """
CREATE TABLE lookup_events (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('failure', 'otp')),
    session_key TEXT NOT NULL,
    client_key TEXT,
    target_key TEXT,
    at TEXT NOT NULL
);
CREATE INDEX lookup_events_tenant ON lookup_events (tenant_id, kind, at);
CREATE INDEX lookup_events_session ON lookup_events (session_key, kind, at);
CREATE INDEX lookup_events_client ON lookup_events (client_key, kind, at);
CREATE INDEX lookup_events_target ON lookup_events (target_key, kind, at);
CREATE INDEX lookup_events_at ON lookup_events (at);
"""

# Kinds are data the business profiles declare (receptionist/profiles/): a booking's kind ("stay",
# "appointment", "table", ...) and a resource's kind ("room_type", "practitioner", "table", ...) are rows of
# booking_kinds / resource_kinds (sync_tenants adds every registered profile's), no longer CHECK lists. SQLite
# cannot change a CHECK: resources and bookings are rebuilt once, every row kept (ids included).
_KINDS_AS_DATA = """
CREATE TABLE booking_kinds (kind TEXT PRIMARY KEY);
CREATE TABLE resource_kinds (kind TEXT PRIMARY KEY);
INSERT INTO booking_kinds (kind) VALUES ('stay'), ('appointment');
INSERT OR IGNORE INTO booking_kinds (kind) SELECT DISTINCT kind FROM bookings;
INSERT INTO resource_kinds (kind) VALUES ('room_type'), ('practitioner');
INSERT OR IGNORE INTO resource_kinds (kind) SELECT DISTINCT kind FROM resources;
CREATE TABLE resources_v2 (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES resource_kinds(kind),
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
INSERT INTO resources_v2 (tenant_id, id, kind, name, capacity, active)
    SELECT tenant_id, id, kind, name, capacity, active FROM resources;
DROP TABLE resources;
ALTER TABLE resources_v2 RENAME TO resources;
CREATE TABLE bookings_v2 (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled')),
    kind TEXT NOT NULL REFERENCES booking_kinds(kind),
    resource_id TEXT NOT NULL,
    service_id TEXT,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers(id),
    customer_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    language TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    details_json TEXT NOT NULL DEFAULT '{}',
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    hold_expires_at TEXT,
    UNIQUE (tenant_id, code)
);
INSERT INTO bookings_v2 (id, tenant_id, code, status, kind, resource_id, service_id, start_at, end_at, customer_id,
                         customer_name, phone, language, price_cents, currency, details_json, channel, created_at,
                         updated_at, hold_expires_at)
    SELECT id, tenant_id, code, status, kind, resource_id, service_id, start_at, end_at, customer_id, customer_name,
           phone, language, price_cents, currency, details_json, channel, created_at, updated_at, hold_expires_at
    FROM bookings;
DROP TABLE bookings;
ALTER TABLE bookings_v2 RENAME TO bookings;
CREATE INDEX bookings_span ON bookings (tenant_id, resource_id, start_at, end_at);
CREATE INDEX bookings_phone ON bookings (tenant_id, phone);
"""

MIGRATIONS: list[Migration] = [
    Migration(1, "initial calendar schema", _INITIAL),
    Migration(2, "http api tokens", _API_TOKENS),
    Migration(3, "sms outbox", _SMS_OUTBOX),
    Migration(4, "api token scopes and expiry", _API_TOKEN_SCOPES),
    Migration(5, "idempotency keys for booking writes", _IDEMPOTENCY),
    Migration(6, "sms inbox", _SMS_INBOX),
    Migration(7, "sms outbox: failed messages", _SMS_OUTBOX_FAILED),
    Migration(8, "failed booking look-ups and one-time-code texts", _LOOKUP_EVENTS),
    Migration(9, "booking and resource kinds as data the profiles declare", _KINDS_AS_DATA),
]


def migrate(db: sqlite_utils.Database, migrations: list[Migration] | None = None) -> list[int]:
    """Apply pending migrations in order; returns the versions applied now (empty when up to date)."""
    migrations = sorted(MIGRATIONS if migrations is None else migrations, key=lambda m: m.version)
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration versions: {versions}")
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                 "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    conn.commit()
    applied_now: list[int] = []
    for m in migrations:
        if _is_applied(conn, m.version):  # cheap check without taking the write lock
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _is_applied(conn, m.version):  # another process got there first
                conn.rollback()
                continue
            for statement in split_statements(m.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", (m.version, m.name))
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        applied_now.append(m.version)
    return applied_now


def _is_applied(conn: sqlite3.Connection, version: int) -> bool:
    return conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone() is not None


def applied_versions(db: sqlite_utils.Database) -> list[int]:
    if not db["schema_migrations"].exists():
        return []
    return [row[0] for row in db.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers with inner semicolons stay whole)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:60]}...")
    return statements
