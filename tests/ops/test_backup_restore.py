"""Backups are consistent while the service writes; restore refuses anything but an intact backup of
this appliance, and keeps the database it replaces."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from datetime import date, timedelta

import pytest

from receptionist.booking.models import Customer, StayRequest
from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.errors import BookingError
from receptionist.ops.backup import BackupError, backup, inspect, restore
from tests.conftest import NOW


def _fill_log(db_path, rows: int = 20000) -> None:
    """Enough conversation log that a backup takes a while (a few MB)."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("INSERT INTO conversations (id, tenant_id, channel, started_at, updated_at) "
                     "VALUES ('bulk', 'pawsome', 'web', '2026-11-24', '2026-11-24')")
        conn.executemany("INSERT INTO messages (tenant_id, conversation_id, at, role, text) VALUES "
                         "('pawsome', 'bulk', '2026-11-24', 'caller', ?)", (("x" * 200,) for _ in range(rows)))
    conn.close()


def _hammer(db_path, config, stop: threading.Event, made: list[int]) -> None:
    """A second writer: bookings (each with its audit row, in one transaction) as fast as it can."""
    cal = CalendarService(db_path, config, FakeClock(NOW), rng=random.Random(1))
    rng = random.Random(2)
    try:
        while not stop.is_set():
            start = date(2026, 12, 1) + timedelta(days=rng.randrange(300))
            try:
                cal.create_booking("pawsome", StayRequest(rng.choice(["dog", "cat"]), start, start + timedelta(days=1)),
                                   Customer("Load Test", "+372 5123 4567", "en"), channel="cli")
                made.append(1)
            except BookingError:
                pass  # full or closed that day: try another
    finally:
        cal.close()


def test_a_backup_taken_while_bookings_are_written_is_consistent(config, tmp_path):
    db_path = config.app.database
    CalendarService(db_path, config, FakeClock(NOW)).close()  # create + migrate
    _fill_log(db_path)
    stop, made = threading.Event(), []
    writer = threading.Thread(target=_hammer, args=(db_path, config, stop, made))
    writer.start()
    try:
        while len(made) < 20:
            time.sleep(0.01)
        before = len(made)
        info = backup(db_path, tmp_path / "backups" / "snap.db")
        during = len(made) - before
    finally:
        stop.set()
        writer.join()
    assert during > 0, "the writer was blocked by the backup"
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    bookings = conn.execute("SELECT COUNT(*) FROM bookings").fetchone()[0]
    audited = conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.create'").fetchone()[0]
    assert bookings == audited == info.rows["bookings"] >= 20  # every booking with its audit row: one instant
    assert conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 20000
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    conn.close()
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(config, tmp_path):
    db_path = config.app.database
    cal = CalendarService(db_path, config, FakeClock(NOW))
    cal.create_booking("pawsome", StayRequest("dog", date(2026, 12, 10), date(2026, 12, 12)),
                       Customer("Kept Customer", "+372 5123 4567", "en"))
    snap = backup(db_path, tmp_path / "snap.db")
    cal.create_booking("pawsome", StayRequest("cat", date(2026, 12, 10), date(2026, 12, 12)),
                       Customer("Made After", "+372 5555 0101", "en"))
    result = restore(snap.path, db_path, known_tenants=("pawsome",), at=NOW)
    assert [b.customer_name for b in cal.list_bookings("pawsome")] == ["Kept Customer"]  # same connection sees it
    cal.close()
    aside = inspect(result.previous)
    assert aside.rows["bookings"] == 2 and result.previous.name.startswith("receptionist.db.before-restore-")


@pytest.mark.parametrize("make, code", [
    (lambda p: p.write_bytes(b"not a database at all" * 100), "not-a-database"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE notes (x)").connection.commit(), "foreign-database"),
])
def test_restore_refuses_files_that_are_not_our_backups(config, tmp_path, make, code):
    CalendarService(config.app.database, config, FakeClock(NOW)).close()
    bad = tmp_path / "bad.db"
    make(bad)
    with pytest.raises(BackupError) as err:
        restore(bad, config.app.database, known_tenants=("pawsome",), at=NOW)
    assert err.value.code == code
    assert not list(config.app.database.parent.glob("*.before-restore-*"))  # nothing touched


def test_restore_refuses_a_damaged_backup(config, tmp_path):
    CalendarService(config.app.database, config, FakeClock(NOW)).close()
    _fill_log(config.app.database, rows=3000)
    snap = backup(config.app.database, tmp_path / "snap.db")
    data = bytearray(snap.path.read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 8192):  # scribble over pages in the middle
        data[offset] = 0x5A
    snap.path.write_bytes(bytes(data))
    with pytest.raises(BackupError) as err:
        restore(snap.path, config.app.database, known_tenants=("pawsome",), at=NOW)
    assert err.value.code == "corrupt"


def test_restore_refuses_another_businesss_database(config, tmp_path, two_config):
    other = tmp_path / "other" / "cal.db"
    CalendarService(other, two_config, FakeClock(NOW)).close()
    with pytest.raises(BackupError) as err:
        inspect(other, known_tenants=("somebody-else",))
    assert err.value.code == "foreign-database"


def test_backup_and_restore_commands(cli, tmp_path):
    cli.ok("bookings", "create", "--room-type", "dog", "--from", "2026-12-10", "--to", "2026-12-12",
           "--pet-name", "Max", "--pet-type", "dog", "--name", "Mari Tamm", "--phone", "+372 5123 4567")
    out = cli.json("backup", str(tmp_path / "b.db"))
    assert out["rows"]["bookings"] == 1
    assert cli.ok("restore", str(tmp_path / "b.db"), "--yes").stdout.count("previous database is kept at") == 1
    (tmp_path / "junk.db").write_text("hello")
    failed = cli.fails("restore", str(tmp_path / "junk.db"), "--yes")
    assert "error [not-a-database]" in failed.stderr and "Traceback" not in failed.stderr
