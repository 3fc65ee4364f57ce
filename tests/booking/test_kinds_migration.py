"""Migration 9: booking and resource kinds become data the business profiles declare (booking_kinds,
resource_kinds) instead of CHECK lists. Run on a copy of a database populated under migration 8: every
row of every table comes through unchanged, the bookings still read back, and a new profile's kind is
accepted once synced while an undeclared kind is still refused."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from receptionist import profiles
from receptionist.booking.db import connect, sync_tenants
from receptionist.booking.migrations import MIGRATIONS, migrate
from receptionist.booking.service import CalendarService

BEFORE_KINDS = [m for m in MIGRATIONS if m.version <= 8]
AT = "2026-11-20T10:00:00+00:00"


def _populate(path) -> None:
    db = connect(path)
    migrate(db, BEFORE_KINDS)
    run = db.conn.execute
    for tenant in ("pawsome", "kesklinna"):
        run("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)", (tenant, tenant.title(), AT))
    run("INSERT INTO resources VALUES ('pawsome', 'dog', 'room_type', 'dog room', 6, 1)")
    run("INSERT INTO resources VALUES ('pawsome', 'old-suite', 'room_type', 'suite', 1, 0)")
    run("INSERT INTO resources VALUES ('kesklinna', 'dr-tamm', 'practitioner', 'Dr. Kadri Tamm', 1, 1)")
    run("INSERT INTO services VALUES ('kesklinna', 'checkup', 20, 4500, 1)")
    run("INSERT INTO customers (id, tenant_id, phone, name, language, created_at, updated_at) "
        "VALUES (3, 'pawsome', '+37251234567', 'Mari Tamm', 'et', ?, ?)", (AT, AT))
    run("INSERT INTO customers (id, tenant_id, phone, name, language, created_at, updated_at) "
        "VALUES (8, 'kesklinna', '+37255551234', 'John Smith', 'en', ?, ?)", (AT, AT))
    columns = ("id, tenant_id, code, status, kind, resource_id, service_id, start_at, end_at, customer_id, "
               "customer_name, phone, language, price_cents, currency, details_json, channel, created_at, updated_at, "
               "hold_expires_at")
    rows = [
        (11, "pawsome", "BK-482913", "confirmed", "stay", "dog", None, "2026-12-10", "2026-12-15", 3, "Mari Tamm",
         "+37251234567", "et", 17500, "EUR", '{"pet_name": "Muki", "pet_type": "dog"}', "web", AT, AT, None),
        (12, "pawsome", "BK-4521", "cancelled", "stay", "old-suite", None, "2026-12-01", "2026-12-03", 3, "Mari Tamm",
         "+37251234567", "et", 9000, "EUR", "{}", "cli", AT, AT, None),
        (40, "kesklinna", "BK-731204", "held", "appointment", "dr-tamm", "checkup", "2026-12-03T07:30:00+00:00",
         "2026-12-03T07:50:00+00:00", 8, "John Smith", "+37255551234", "en", 4500, "EUR", "{}", "voice", AT, AT,
         "2026-11-20T10:10:00+00:00"),
    ]
    for row in rows:
        run(f"INSERT INTO bookings ({columns}) VALUES ({', '.join('?' * 20)})", row)
    run("INSERT INTO audit_log (tenant_id, at, actor, action, detail_json) VALUES ('pawsome', ?, 'web', "
        "'booking.create', '{\"code\": \"BK-482913\"}')", (AT,))
    db.conn.commit()
    db.conn.close()


def _dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT IN ('schema_migrations', 'booking_kinds', 'resource_kinds')")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in sorted(tables)}
    finally:
        conn.close()


@pytest.fixture
def migrated(tmp_path):
    original = tmp_path / "populated.db"
    _populate(original)
    copy = tmp_path / "copy.db"
    shutil.copyfile(original, copy)
    db = connect(copy)
    assert migrate(db) == [m.version for m in MIGRATIONS if m.version > 8]
    db.conn.close()
    return original, copy


def test_every_row_of_every_table_is_kept(migrated):
    original, copy = migrated
    assert _dump(copy) == _dump(original)
    assert sum(len(rows) for rows in _dump(copy).values()) >= 10


def test_the_kinds_are_rows_and_the_check_lists_are_gone(migrated):
    _, copy = migrated
    conn = sqlite3.connect(copy)
    schema = " ".join(r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE name IN ('bookings', 'resources')"))
    assert "kind IN" not in schema and "REFERENCES booking_kinds" in schema and "REFERENCES resource_kinds" in schema
    assert {r[0] for r in conn.execute("SELECT kind FROM booking_kinds")} == {"stay", "appointment"}
    assert {r[0] for r in conn.execute("SELECT kind FROM resource_kinds")} == {"room_type", "practitioner"}
    assert {r[1] for r in conn.execute("PRAGMA index_list(bookings)")} >= {"bookings_span", "bookings_phone"}
    conn.close()


def test_old_bookings_read_back_after_the_migration(migrated, two_config, clock):
    _, copy = migrated
    calendar = CalendarService(copy, two_config, clock)
    try:
        stay = calendar.get("pawsome", "BK-482913")
        assert (stay.kind, stay.request.nights, stay.details["pet_name"], stay.price) == ("stay", 5, "Muki", 175)
        visit = calendar.get("kesklinna", "BK-731204")
        assert (visit.kind, visit.request.service_id, visit.status) == ("appointment", "checkup", "held")
        assert calendar.get("pawsome", "BK-4521").status == "cancelled"
    finally:
        calendar.close()


def test_a_declared_kind_is_accepted_and_an_undeclared_one_refused(migrated, two_config):
    _, copy = migrated
    db = connect(copy)
    sync_tenants(db, two_config)
    kinds = {r[0] for r in db.conn.execute("SELECT kind FROM booking_kinds")}
    assert kinds == set(profiles.names())  # every registered profile's kind, the table profile's too
    db.conn.execute("INSERT INTO resources VALUES ('pawsome', 't1', 'table', 'table t1', 2, 1)")
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO resources VALUES ('pawsome', 'x', 'spa', 'spa', 1, 1)")
    db.conn.close()
