"""Callback requests ("please call me back"): SQL and row mapping, filtered by tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

import sqlite_utils

from receptionist.booking.models import Callback
from receptionist.booking.store import rows
from receptionist.errors import BookingError


def add(db: sqlite_utils.Database, tenant_id: str, *, phone: str, name: str | None, reason: str,
        language: str, conversation_id: str | None, at: str) -> Callback:
    cursor = db.execute(
        "INSERT INTO callbacks (tenant_id, phone, name, reason, language, conversation_id, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open', ?)", (tenant_id, phone, name, reason, language, conversation_id, at))
    return get(db, tenant_id, int(cursor.lastrowid))


def get(db: sqlite_utils.Database, tenant_id: str, callback_id: int) -> Callback:
    found = rows(db, "SELECT * FROM callbacks WHERE tenant_id = ? AND id = ?", (tenant_id, callback_id))
    if not found:
        raise BookingError(f"no callback #{callback_id}", code="not-found")
    return _to_callback(found[0])


def list_(db: sqlite_utils.Database, tenant_id: str, status: str | None = None) -> list[Callback]:
    if status is not None and status not in ("open", "done"):
        raise BookingError(f"callback status must be open or done (got {status!r})", code="invalid-request")
    found = rows(db, "SELECT * FROM callbacks WHERE tenant_id = :t AND (:s IS NULL OR status = :s) "
                     "ORDER BY created_at, id", {"t": tenant_id, "s": status})
    return [_to_callback(r) for r in found]


def mark_done(db: sqlite_utils.Database, tenant_id: str, callback_id: int, at: str) -> Callback:
    get(db, tenant_id, callback_id)  # not-found for another tenant's id too
    db.execute("UPDATE callbacks SET status = 'done', done_at = COALESCE(done_at, ?) "
               "WHERE tenant_id = ? AND id = ?", (at, tenant_id, callback_id))
    return get(db, tenant_id, callback_id)


def _to_callback(row: Mapping[str, Any]) -> Callback:
    return Callback(
        id=row["id"], tenant_id=row["tenant_id"], phone=row["phone"], name=row["name"], reason=row["reason"],
        language=row["language"], status=row["status"], created_at=datetime.fromisoformat(row["created_at"]),
        conversation_id=row["conversation_id"],
        done_at=datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
    )
