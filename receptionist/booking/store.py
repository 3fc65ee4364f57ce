"""SQL for bookings, customers and the audit log. Every query is filtered by tenant_id."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable, Mapping

import sqlite_utils

from receptionist import profiles
from receptionist.booking.models import Booking, Request
from receptionist.booking.rules import Plan

# A booking takes capacity when confirmed, or held and the hold has not expired yet.
ACTIVE = "(status = 'confirmed' OR (status = 'held' AND (hold_expires_at IS NULL OR hold_expires_at > :now)))"


def rows(db: sqlite_utils.Database, sql: str, params: Mapping[str, Any] | Iterable[Any] = ()) -> list[dict]:
    return list(db.query(sql, params))


def spans(db: sqlite_utils.Database, tenant_id: str, resource_id: str, start_at: str, end_at: str,
          now_iso: str, exclude_id: int | None = None) -> list[tuple[str, str]]:
    """(start_at, end_at) of active bookings of a resource overlapping [start_at, end_at)."""
    found = rows(db, f"SELECT start_at, end_at FROM bookings WHERE tenant_id = :t AND resource_id = :r "
                     f"AND start_at < :end AND end_at > :start AND {ACTIVE} AND id IS NOT :exclude",
                 {"t": tenant_id, "r": resource_id, "start": start_at, "end": end_at, "now": now_iso,
                  "exclude": exclude_id})
    return [(r["start_at"], r["end_at"]) for r in found]


def has_room(plan: Plan, taken: list[tuple[str, str]]) -> bool:
    """Whether the resource's active spans leave room for the plan (the profile counts: per night for
    stays, any overlap for a practitioner or a table)."""
    return profiles.get(plan.kind).has_room(plan, taken)


def free_resource(db: sqlite_utils.Database, tenant_id: str, plan: Plan, now_iso: str,
                  exclude_id: int | None = None) -> str | None:
    """The first candidate resource with room for the plan, or None when all are full."""
    for resource_id in plan.candidates:
        if has_room(plan, spans(db, tenant_id, resource_id, plan.start_at, plan.end_at, now_iso, exclude_id)):
            return resource_id
    return None


def upsert_customer(db: sqlite_utils.Database, tenant_id: str, phone: str, name: str | None,
                    language: str, at: str) -> int:
    db.execute(
        "INSERT INTO customers (tenant_id, phone, name, language, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, phone) DO UPDATE SET "
        "name = COALESCE(excluded.name, customers.name), language = excluded.language, "
        "updated_at = excluded.updated_at", (tenant_id, phone, name, language, at, at))
    row = db.execute("SELECT id FROM customers WHERE tenant_id = ? AND phone = ?", (tenant_id, phone)).fetchone()
    return int(row[0])


def code_taken(db: sqlite_utils.Database, tenant_id: str, code: str) -> bool:
    return db.execute("SELECT 1 FROM bookings WHERE tenant_id = ? AND code = ?", (tenant_id, code)).fetchone() \
        is not None


def audit(db: sqlite_utils.Database, tenant_id: str, at: str, actor: str, action: str,
          detail: Mapping[str, Any]) -> None:
    db.execute("INSERT INTO audit_log (tenant_id, at, actor, action, detail_json) VALUES (?, ?, ?, ?, ?)",
               (tenant_id, at, actor, action, json.dumps(dict(detail), ensure_ascii=False, sort_keys=True)))


def get_row(db: sqlite_utils.Database, tenant_id: str, code: str) -> dict | None:
    found = rows(db, "SELECT * FROM bookings WHERE tenant_id = ? AND code = ?", (tenant_id, code))
    return found[0] if found else None


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def row_to_booking(row: Mapping[str, Any], tz: Any) -> Booking:
    """A bookings row → Booking; times of day come back in the tenant's zone."""
    request: Request = profiles.get(row["kind"]).request_from_row(row, tz)
    hold = row.get("hold_expires_at")
    return Booking(
        code=row["code"], tenant_id=row["tenant_id"], status=row["status"], request=request,
        resource_id=row["resource_id"], customer_name=row["customer_name"], phone=row["phone"],
        language=row["language"], price=from_cents(row["price_cents"]), currency=row["currency"],
        details=json.loads(row["details_json"] or "{}"), channel=row["channel"],
        created_at=datetime.fromisoformat(row["created_at"]),
        hold_expires_at=datetime.fromisoformat(hold) if hold else None,
    )
