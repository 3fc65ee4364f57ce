"""Connection settings, numbered migrations (idempotent, transactional) and tenant sync."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from receptionist.agent.http_backend import DEFAULT_TIMEOUT_S as HTTP_TIMEOUT_S
from receptionist.booking.db import BUSY_TIMEOUT_S, connect, open_calendar, sync_tenants
from receptionist.booking.migrations import MIGRATIONS, Migration, applied_versions, migrate, split_statements
from receptionist.config.agent import AgentConfig

TABLES = {"tenants", "resources", "services", "customers", "bookings", "conversations", "messages", "callbacks",
          "audit_log", "idempotency_keys", "sms_inbox", "sms_outbox", "schema_migrations"}


def test_connection_pragmas(db_path):
    db = connect(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == int(BUSY_TIMEOUT_S * 1000)


def test_timeouts_are_ordered_inside_out():
    """A write waiting for the lock fails before the HTTP client gives up on it, and that before the tool
    does: an inner layer has answered before an outer one retries (receptionist/agent/tools.py)."""
    assert BUSY_TIMEOUT_S < HTTP_TIMEOUT_S < AgentConfig().tool_timeout_s


def test_migrations_are_idempotent(db_path):
    db = connect(db_path)
    assert migrate(db) == [m.version for m in MIGRATIONS]
    assert migrate(db) == []
    assert migrate(connect(db_path)) == []
    assert TABLES <= set(db.table_names())
    assert applied_versions(db) == [m.version for m in MIGRATIONS]
    for table in TABLES - {"tenants", "schema_migrations"}:
        assert "tenant_id" in db[table].columns_dict, table


def test_appended_migration_runs_once_and_failures_roll_back(db_path):
    db = connect(db_path)
    migrate(db)
    extra = Migration(99, "notes", "ALTER TABLE bookings ADD COLUMN note TEXT;\nCREATE INDEX b_note ON bookings (note);")
    assert migrate(db, MIGRATIONS + [extra]) == [99]
    assert migrate(db, MIGRATIONS + [extra]) == []
    assert "note" in db["bookings"].columns_dict
    broken = Migration(100, "broken", "CREATE TABLE half (x);\nCREATE TABLE half (x);")
    with pytest.raises(sqlite3.OperationalError):
        migrate(db, MIGRATIONS + [extra, broken])
    assert "half" not in db.table_names() and 100 not in applied_versions(db)
    with pytest.raises(ValueError, match="duplicate"):
        migrate(db, [extra, replace(extra, name="again")])


def test_split_statements_keeps_triggers_whole():
    sql = "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\n"
    assert len(split_statements(sql)) == 2


def test_sync_tenants(db_path, two_config):
    db = open_calendar(db_path, two_config)
    sync_tenants(db, two_config)  # idempotent
    assert [r["id"] for r in db["tenants"].rows] == ["pawsome", "kesklinna"]
    resources = {(r["tenant_id"], r["id"]): (r["kind"], r["capacity"], r["active"]) for r in db["resources"].rows}
    assert resources[("pawsome", "dog")] == ("room_type", 6, 1)
    assert resources[("kesklinna", "dr-tamm")] == ("practitioner", 1, 1)
    services = {r["id"]: (r["duration_min"], r["price_cents"]) for r in db["services"].rows}
    assert services["physio"] == (45, 6000)
    pawsome = two_config.tenants[0]
    fewer = replace(two_config, tenants=(replace(pawsome, room_types=pawsome.room_types[:1]), two_config.tenants[1]))
    sync_tenants(db, fewer)  # a room type removed from config is kept (old bookings) but inactive
    active = {r["id"]: r["active"] for r in db["resources"].rows_where("tenant_id = ?", ["pawsome"])}
    assert active == {"dog": 1, "cat": 0}


def test_foreign_keys_are_enforced(db_path, pet_config):
    db = open_calendar(db_path, pet_config)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO callbacks (tenant_id, phone, reason, language, status, created_at) "
                   "VALUES ('ghost', '+37251234567', 'x', 'en', 'open', 'now')")
