"""CalendarService: availability, prices, booking, cancelling, moving, callbacks — per tenant.

Rules are checked in `rules.plan_request` (pure); capacity is checked and the row written in one
BEGIN IMMEDIATE transaction, so concurrent callers can never double-book. "Today" comes from the
injected clock, in the tenant's time zone.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Mapping

import sqlite_utils

from receptionist.booking import callbacks as callback_store
from receptionist import profiles
from receptionist.booking.alternatives import alternatives
from receptionist.booking.codes import new_code, normalize_code
from receptionist.booking.db import open_calendar, write_transaction
from receptionist.booking.hours import iso_utc
from receptionist.booking.idempotency import check_key, fingerprint, remember, replay, request_fields
from receptionist.booking.models import (
    STATUSES, Availability, Booking, Callback, Customer, Occupancy, Request,
)
from receptionist.booking.occupancy import occupancy as build_occupancy
from receptionist.booking.phones import normalize_phone
from receptionist.booking.rules import Plan, plan_request
from receptionist.booking.store import (
    audit, code_taken, free_resource, get_row, row_to_booking, rows, to_cents, upsert_customer,
)
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError

HOLD_MINUTES = 10
CODE_ATTEMPTS = 100  # with 900,000 codes per tenant, 100 collisions in a row means a broken generator


class CalendarService:
    def __init__(self, db: sqlite_utils.Database | str | Path, config: AppConfig, clock: Clock, *,
                 rng: random.Random | None = None, hold_minutes: int = HOLD_MINUTES) -> None:
        """`db` is a Database already opened with `open_calendar` (migrated and synced), or a path to open."""
        self.config = config
        self.clock = clock
        self.db = db if isinstance(db, sqlite_utils.Database) else open_calendar(db, config, now=clock.now())
        self._rng = rng or random.SystemRandom()
        self._hold = timedelta(minutes=hold_minutes)
        self._lock = threading.RLock()  # one connection: one call at a time

    def close(self) -> None:
        self.db.conn.close()

    # -- availability ---------------------------------------------------------------------------

    def check_availability(self, tenant_id: str, request: Request) -> Availability:
        """Price and availability; when full or closed, up to 3 nearest free alternatives.
        Invalid requests (past, unknown room type, bad dates) raise BookingError."""
        tenant = self._tenant(tenant_id)
        now = self.clock.now()
        with self._lock:
            try:
                plan = plan_request(tenant, request, now)
            except BookingError as exc:
                if exc.code not in ("closed", "outside-hours"):
                    raise
                return self._unavailable(tenant, request, now, exc.code, price=None)
            resource = free_resource(self.db, tenant.id, plan, iso_utc(now))
            if resource is None:
                return self._unavailable(tenant, request, now, "full", price=plan.price)
            return Availability(request, True, plan.price, tenant.currency, resource)

    def _unavailable(self, tenant: TenantConfig, request: Request, now: datetime, reason: str,
                     price) -> Availability:
        def free(plan: Plan) -> str | None:
            return free_resource(self.db, tenant.id, plan, iso_utc(now))

        found = alternatives(tenant, request, now, free)
        price = price if price is not None else profiles.for_request(request).list_price(tenant, request)
        return Availability(request, False, price, tenant.currency, None, found, reason)

    # -- booking ----------------------------------------------------------------------------------

    def create_booking(self, tenant_id: str, request: Request, customer: Customer, *,
                       details: Mapping[str, str] | None = None, channel: str = "cli",
                       status: str = "confirmed", key: str | None = None) -> Booking:
        """Book `request` for `customer`; with `key`, a repeat returns the first booking (idempotency.py).
        BookingError: invalid-request, invalid-phone, full, past-date, closed, idempotency-conflict, …"""
        tenant = self._tenant(tenant_id)
        now = self.clock.now()
        key = check_key(key)
        if status not in ("held", "confirmed"):
            raise BookingError(f"a new booking is held or confirmed (got {status!r})", code="invalid-request")
        name = (customer.name or "").strip()
        if not name:
            raise BookingError("the customer's name is missing", code="invalid-request")
        language = self._language(tenant, customer.language)
        phone = normalize_phone(customer.phone, tenant.phone_region)
        at = iso_utc(now)
        hold_until = iso_utc(now + self._hold) if status == "held" else None
        extra = {str(k): str(v) for k, v in (details or {}).items()}
        print_ = fingerprint("create", {"request": request_fields(request), "name": name, "phone": phone,
                                        "language": language, "details": extra, "channel": channel,
                                        "status": status})
        with self._lock, write_transaction(self.db):
            code = replay(self.db, tenant.id, key, "create", print_)
            if code is None:
                plan = plan_request(tenant, request, now)
                resource = self._free_or_full(tenant, plan, now)
                customer_id = upsert_customer(self.db, tenant.id, phone, name, language, at)
                code = self._unused_code(tenant.id)
                self.db.execute(
                    "INSERT INTO bookings (tenant_id, code, status, kind, resource_id, service_id, start_at, end_at, "
                    "customer_id, customer_name, phone, language, price_cents, currency, details_json, channel, "
                    f"created_at, updated_at, hold_expires_at) VALUES ({', '.join('?' * 19)})",
                    (tenant.id, code, status, plan.kind, resource, plan.service_id, plan.start_at, plan.end_at,
                     customer_id, name, phone, language, to_cents(plan.price), tenant.currency,
                     json.dumps({**extra, **plan.details}, ensure_ascii=False, sort_keys=True), channel, at, at,
                     hold_until))
                audit(self.db, tenant.id, at, channel, "booking.create",
                      {"code": code, "status": status, "resource": resource, "start": plan.start_at,
                       "end": plan.end_at})
                remember(self.db, tenant.id, key, "create", print_, code, at)
        return self.get(tenant.id, code)

    def confirm(self, tenant_id: str, code: str, *, actor: str = "staff") -> Booking:
        """Turn a hold into a confirmed booking (re-checking capacity if the hold has expired)."""
        tenant = self._tenant(tenant_id)
        now = self.clock.now()
        with self._lock, write_transaction(self.db):
            row = self._row(tenant.id, code)
            if row["status"] == "cancelled":
                raise BookingError(f"{row['code']} is cancelled", code="invalid-request")
            if row["status"] == "held":
                expired = row["hold_expires_at"] and row["hold_expires_at"] <= iso_utc(now)
                if expired:
                    booking = row_to_booking(row, tenant.tz)
                    plan = replace(plan_request(tenant, booking.request, now), candidates=(row["resource_id"],))
                    self._free_or_full(tenant, plan, now, exclude_id=row["id"])
                self._update(row, now, actor, "booking.confirm", status="confirmed", hold_expires_at=None)
        return self.get(tenant.id, code)

    def cancel(self, tenant_id: str, code: str, *, actor: str = "staff", key: str | None = None) -> Booking:
        """Cancel a booking; cancelling a cancelled booking changes nothing. With `key`, a repeat
        returns the booking as it is (idempotency-conflict when the key was used for another write)."""
        tenant = self._tenant(tenant_id)
        now = self.clock.now()
        key = check_key(key)
        print_ = fingerprint("cancel", {"code": normalize_code(code)})
        with self._lock, write_transaction(self.db):
            if replay(self.db, tenant.id, key, "cancel", print_) is None:
                row = self._row(tenant.id, code)
                if row["status"] != "cancelled":
                    self._update(row, now, actor, "booking.cancel", status="cancelled", hold_expires_at=None)
                remember(self.db, tenant.id, key, "cancel", print_, row["code"], iso_utc(now))
        return self.get(tenant.id, code)

    def reschedule(self, tenant_id: str, code: str, new_request: Request, *, actor: str = "staff",
                   key: str | None = None) -> Booking:
        """Move a booking to new dates / a new time (same checks as booking, not counting itself).
        With `key`, a repeat returns the moved booking without moving it again."""
        tenant = self._tenant(tenant_id)
        now = self.clock.now()
        key = check_key(key)
        print_ = fingerprint("reschedule", {"code": normalize_code(code), "request": request_fields(new_request)})
        with self._lock, write_transaction(self.db):
            if replay(self.db, tenant.id, key, "reschedule", print_) is None:
                plan = plan_request(tenant, new_request, now)
                row = self._row(tenant.id, code)
                if row["status"] == "cancelled":
                    raise BookingError(f"{row['code']} is cancelled and cannot be moved", code="invalid-request")
                resource = self._free_or_full(tenant, plan, now, exclude_id=row["id"])
                moved = {**json.loads(row["details_json"] or "{}"), **plan.details}
                self._update(row, now, actor, "booking.move", resource_id=resource, service_id=plan.service_id,
                             start_at=plan.start_at, end_at=plan.end_at, price_cents=to_cents(plan.price),
                             **({"details_json": json.dumps(moved, ensure_ascii=False, sort_keys=True)}
                                if plan.details else {}))
                remember(self.db, tenant.id, key, "reschedule", print_, row["code"], iso_utc(now))
        return self.get(tenant.id, code)

    # -- lookups ----------------------------------------------------------------------------------

    def get(self, tenant_id: str, code: str) -> Booking:
        tenant = self._tenant(tenant_id)
        with self._lock:
            return row_to_booking(self._row(tenant.id, code), tenant.tz)

    def find(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]:
        """Bookings by confirmation code and/or the caller's phone number (newest first)."""
        tenant = self._tenant(tenant_id)
        if code is None and phone is None:
            raise BookingError("find needs a code or a phone number", code="invalid-request")
        params = {"t": tenant.id, "code": normalize_code(code) if code is not None else None,
                  "phone": normalize_phone(phone, tenant.phone_region) if phone is not None else None}
        with self._lock:
            found = rows(self.db, "SELECT * FROM bookings WHERE tenant_id = :t AND (:code IS NULL OR code = :code) "
                                  "AND (:phone IS NULL OR phone = :phone) ORDER BY start_at DESC, id DESC", params)
        return [row_to_booking(r, tenant.tz) for r in found]

    def list_bookings(self, tenant_id: str, *, start: date | None = None, end: date | None = None,
                      status: str | None = None, resource: str | None = None) -> list[Booking]:
        """Bookings touching the days start..end (inclusive), ordered by start time."""
        tenant = self._tenant(tenant_id)
        if status is not None and status not in STATUSES:
            raise BookingError(f"status must be one of {', '.join(STATUSES)} (got {status!r})", code="invalid-request")
        lo, hi, inclusive = profiles.of(tenant).span(tenant, start, end)
        span = ("(:lo IS NULL OR end_at >= :lo) AND (:hi IS NULL OR start_at <= :hi)" if inclusive
                else "(:lo IS NULL OR end_at > :lo) AND (:hi IS NULL OR start_at < :hi)")
        with self._lock:
            found = rows(self.db, f"SELECT * FROM bookings WHERE tenant_id = :t AND {span} "
                                  "AND (:s IS NULL OR status = :s) AND (:r IS NULL OR resource_id = :r) "
                                  "ORDER BY start_at, id",
                         {"t": tenant.id, "lo": lo, "hi": hi, "s": status, "r": resource})
        return [row_to_booking(r, tenant.tz) for r in found]

    def occupancy(self, tenant_id: str, start: date, days: int = 7) -> Occupancy:
        tenant = self._tenant(tenant_id)
        if not 1 <= days <= 92:
            raise BookingError(f"days must be 1..92 (got {days})", code="invalid-request")
        with self._lock:
            return build_occupancy(self.db, tenant, start, days, self.clock.now())

    def customer(self, tenant_id: str, phone: str) -> Customer | None:
        tenant = self._tenant(tenant_id)
        e164 = normalize_phone(phone, tenant.phone_region)
        with self._lock:
            found = rows(self.db, "SELECT name, phone, language FROM customers WHERE tenant_id = ? AND phone = ?",
                         (tenant.id, e164))
        return Customer(found[0]["name"] or "", found[0]["phone"], found[0]["language"]) if found else None

    # -- callbacks --------------------------------------------------------------------------------

    def add_callback(self, tenant_id: str, *, phone: str, name: str | None = None, reason: str, language: str,
                     conversation_id: str | None = None) -> Callback:
        tenant = self._tenant(tenant_id)
        e164 = normalize_phone(phone, tenant.phone_region)
        if not reason or not reason.strip():
            raise BookingError("a callback needs a reason", code="invalid-request")
        at = iso_utc(self.clock.now())
        with self._lock, write_transaction(self.db):
            callback = callback_store.add(self.db, tenant.id, phone=e164, name=(name or "").strip() or None,
                                          reason=reason.strip(), language=self._language(tenant, language),
                                          conversation_id=conversation_id, at=at)
            audit(self.db, tenant.id, at, "agent", "callback.add", {"id": callback.id})
        return callback

    def list_callbacks(self, tenant_id: str, status: str | None = None) -> list[Callback]:
        tenant = self._tenant(tenant_id)
        with self._lock:
            return callback_store.list_(self.db, tenant.id, status)

    def mark_callback_done(self, tenant_id: str, callback_id: int, *, actor: str = "staff") -> Callback:
        tenant = self._tenant(tenant_id)
        at = iso_utc(self.clock.now())
        with self._lock, write_transaction(self.db):
            callback = callback_store.mark_done(self.db, tenant.id, callback_id, at)
            audit(self.db, tenant.id, at, actor, "callback.done", {"id": callback_id})
        return callback

    # -- helpers ----------------------------------------------------------------------------------

    def _tenant(self, tenant_id: str) -> TenantConfig:
        for t in self.config.tenants:
            if t.id == tenant_id:
                return t
        raise BookingError(f"unknown tenant {tenant_id!r}", code="unknown-tenant")

    @staticmethod
    def _language(tenant: TenantConfig, language: str | None) -> str:
        if not language:
            return tenant.default_language
        if language not in tenant.languages:
            raise BookingError(f"language must be one of {', '.join(tenant.languages)} (got {language!r})",
                               code="invalid-request")
        return language

    def _row(self, tenant_id: str, code: str) -> dict:
        row = get_row(self.db, tenant_id, normalize_code(code))
        if row is None:
            raise BookingError(f"no booking {normalize_code(code)}", code="not-found")
        return row

    def _free_or_full(self, tenant: TenantConfig, plan: Plan, now: datetime, exclude_id: int | None = None) -> str:
        resource = free_resource(self.db, tenant.id, plan, iso_utc(now), exclude_id)
        if resource is None:
            raise BookingError(profiles.get(plan.kind).full_message(), code="full")
        return resource

    def _unused_code(self, tenant_id: str) -> str:
        """A fresh random code (fixed length: a collision draws again, it never grows)."""
        for _ in range(CODE_ATTEMPTS):
            code = new_code(self._rng)
            if not code_taken(self.db, tenant_id, code):
                return code
        raise BookingError("could not find a free booking code", code="internal")

    def _update(self, row: dict, now: datetime, actor: str, action: str, **changes) -> None:
        at = iso_utc(now)
        columns = ", ".join(f"{k} = :{k}" for k in changes)
        self.db.execute(f"UPDATE bookings SET {columns}, updated_at = :at WHERE tenant_id = :t AND id = :id",
                        {**changes, "at": at, "t": row["tenant_id"], "id": row["id"]})
        audit(self.db, row["tenant_id"], at, actor, action,
              {"code": row["code"], **{k: v for k, v in changes.items() if k != "hold_expires_at"}})
