"""Online backup and restore of the calendar with SQLite's backup API.

`backup()` copies a consistent snapshot while the service keeps writing (one read transaction in WAL
mode: writers are never blocked, and the copy is the database as of one instant). `restore()` checks
the file first (an SQLite database, intact, our schema, our tenants, not newer than this version),
keeps the current database aside as a backup of its own, then copies the file into place — also
with the backup API, so a running service's connections see the restored data, not a torn file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from receptionist.booking.db import connect
from receptionist.booking.migrations import MIGRATIONS, migrate
from receptionist.errors import ReceptionistError

SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = ("schema_migrations", "tenants", "bookings", "customers", "conversations", "messages")
COUNTED_TABLES = ("tenants", "bookings", "customers", "conversations", "messages", "callbacks", "sms_outbox",
                  "audit_log")


class BackupError(ReceptionistError):
    """backup-failed, not-a-database, corrupt, foreign-database, newer-schema."""

    code = "backup-failed"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    bytes: int
    schema_version: int
    tenants: tuple[str, ...]
    rows: dict[str, int]

    def to_dict(self) -> dict:
        return {"path": str(self.path), "bytes": self.bytes, "schema_version": self.schema_version,
                "tenants": list(self.tenants), "rows": dict(self.rows)}


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored: BackupInfo
    previous: Path | None  # where the database as it was before the restore was kept
    migrated: tuple[int, ...]  # migrations applied on top of the restored file

    def to_dict(self) -> dict:
        return {"restored": self.restored.to_dict(), "previous": str(self.previous) if self.previous else None,
                "migrated": list(self.migrated)}


def backup(database: Path, dest: Path, *, busy_timeout_s: float = 30.0) -> BackupInfo:
    """Write a consistent copy of `database` to `dest` (a single self-contained file) and check it."""
    database, dest = Path(database), Path(dest)
    if not database.is_file():
        raise BackupError(f"no database at {database}", code="not-found")
    if dest.resolve() == database.resolve():
        raise BackupError("the backup file must not be the database itself", code="invalid-request")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(database, timeout=busy_timeout_s)  # read-write open: WAL readers need the -shm
    try:
        out = sqlite3.connect(partial)
        try:
            src.backup(out, pages=-1)  # one step: one read transaction, one instant
            out.execute("PRAGMA journal_mode = DELETE")  # no -wal beside the copy: one file to carry away
        finally:
            out.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {database} failed: {exc}") from None
    finally:
        src.close()
    info = inspect(partial)
    partial.replace(dest)
    return BackupInfo(dest, dest.stat().st_size, info.schema_version, info.tenants, info.rows)


def inspect(path: Path, *, known_tenants: tuple[str, ...] | None = None) -> BackupInfo:
    """Check that `path` is an intact receptionist database; BackupError with a code otherwise."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}", code="not-found") from None
    if header != SQLITE_MAGIC:
        raise BackupError(f"{path} is not an SQLite database", code="not-a-database")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}", code="corrupt") from None
    try:
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise BackupError(f"{path} is damaged: {'; '.join(problems[:3])}", code="corrupt")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is damaged: {exc}", code="corrupt") from None
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise BackupError(f"{path} is not a receptionist database (no {', '.join(missing)} table)",
                              code="foreign-database")
        version = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
        newest = max(m.version for m in MIGRATIONS)
        if version > newest:
            raise BackupError(f"{path} has schema version {version}; this version knows up to {newest} "
                              "(upgrade the appliance first)", code="newer-schema")
        tenants = tuple(r[0] for r in conn.execute("SELECT id FROM tenants ORDER BY id"))
        if known_tenants is not None and tenants and not set(tenants) & set(known_tenants):
            raise BackupError(f"{path} belongs to other businesses (tenants {', '.join(tenants)}; this appliance "
                              f"serves {', '.join(known_tenants)})", code="foreign-database")
        rows = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES if t in tables}
    finally:
        conn.close()
    return BackupInfo(path, path.stat().st_size, int(version), tenants, rows)


def restore(source: Path, database: Path, *, known_tenants: tuple[str, ...] | None, at: datetime) -> RestoreResult:
    """Replace `database` with the backup `source`, keeping the current database aside first."""
    source, database = Path(source), Path(database)
    info = inspect(source, known_tenants=known_tenants)
    previous: Path | None = None
    if database.is_file():
        previous = database.with_name(f"{database.name}.before-restore-{at.strftime('%Y%m%dT%H%M%S')}")
        backup(database, previous)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = connect(database)
    try:
        src.backup(live.conn, pages=-1)
        applied = tuple(migrate(live))
        check = live.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the restored database failed its check ({check}); the previous one is at "
                              f"{previous}", code="corrupt")
    except sqlite3.Error as exc:
        raise BackupError(f"restore into {database} failed: {exc}; the previous database is at {previous}") from None
    finally:
        src.close()
        live.conn.close()
    return RestoreResult(info, previous, applied)
