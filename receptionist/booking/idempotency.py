"""Idempotency keys for booking writes: a write repeated with its key answers with the first result.

A caller of `create_booking`, `cancel` or `reschedule` may pass a key (any string up to 200 characters,
unique per tenant and intended write — the agent derives it from session, turn, action and proposal).
The first write stores (key, action, payload fingerprint, booking code) in the same transaction as the
booking itself, so either both are committed or neither is. A repeat with the same key and the same
payload writes nothing and returns that booking; the same key with another payload (or action) raises
BookingError(code="idempotency-conflict"). A write that failed (full, past-date, …) stores nothing: a
retry with the same key tries again. Call these inside `write_transaction`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlite_utils

from receptionist import profiles
from receptionist.booking.models import Request
from receptionist.errors import BookingError

MAX_KEY_LENGTH = 200


def check_key(key: str | None) -> str | None:
    """The key as given, or BookingError(code="invalid-request") when it is empty or too long."""
    if key is None:
        return None
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise BookingError(f"an idempotency key is 1..{MAX_KEY_LENGTH} characters", code="invalid-request")
    return key


def request_fields(request: Request) -> dict[str, Any]:
    """A request as plain values, times in UTC (the same instant always prints the same)."""
    return profiles.for_request(request).request_fields(request)


def fingerprint(action: str, payload: dict[str, Any]) -> str:
    """sha256 of the action and its payload as canonical JSON."""
    text = json.dumps({"action": action, **payload}, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(db: sqlite_utils.Database, tenant_id: str, key: str | None, action: str, print_: str) -> str | None:
    """The booking code the key already produced, None when the key is new (or None).
    BookingError(code="idempotency-conflict") when the key was used for another write."""
    if key is None:
        return None
    row = db.execute("SELECT action, fingerprint, code FROM idempotency_keys WHERE tenant_id = ? AND key = ?",
                     (tenant_id, key)).fetchone()
    if row is None:
        return None
    if row[0] != action or row[1] != print_:
        raise BookingError("this idempotency key was already used for a different request",
                           code="idempotency-conflict")
    return str(row[2])


def remember(db: sqlite_utils.Database, tenant_id: str, key: str | None, action: str, print_: str, code: str,
             at: str) -> None:
    """Store the key with the write's result (no-op without a key)."""
    if key is None:
        return
    db.execute("INSERT INTO idempotency_keys (tenant_id, key, action, fingerprint, code, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?)", (tenant_id, key, action, print_, code, at))
