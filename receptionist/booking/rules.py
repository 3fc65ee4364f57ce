"""Validate a request against a tenant's rules and resolve it to a storable Plan. Pure: no database.

Raises BookingError with codes invalid-request, invalid-date, past-date, closed. Capacity ("full")
needs the database and is checked by the service inside its write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from receptionist.booking.hours import fits_hours, iso_utc, today
from receptionist.booking.models import AppointmentRequest, Request, StayRequest
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError


@dataclass(frozen=True, slots=True)
class Plan:
    request: Request
    kind: str  # "stay" | "appointment"
    start_at: str  # storage form: ISO date (stays) or ISO UTC instant (appointments)
    end_at: str
    candidates: tuple[str, ...]  # resource ids to try, in order of preference
    capacity: int  # per resource: rooms of the type, or 1 for a practitioner
    price: Decimal
    service_id: str | None = None

    def nights(self) -> list[str]:
        """Stays: the ISO dates of the nights occupied (check-in day … day before check-out)."""
        start, end = date.fromisoformat(self.start_at), date.fromisoformat(self.end_at)
        return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days)]


def plan_request(tenant: TenantConfig, request: Request, now: datetime) -> Plan:
    if isinstance(request, StayRequest):
        return _plan_stay(tenant, request, now)
    if isinstance(request, AppointmentRequest):
        return _plan_appointment(tenant, request, now)
    raise BookingError(f"not a booking request: {request!r}", code="invalid-request")


def _plan_stay(tenant: TenantConfig, req: StayRequest, now: datetime) -> Plan:
    if tenant.profile != "stay" or tenant.stay is None:
        raise BookingError(f"{tenant.name} takes appointments, not stays", code="invalid-request")
    room = tenant.room_type(req.resource_type)
    if room is None:
        known = ", ".join(r.id for r in tenant.room_types)
        raise BookingError(f"unknown room type {req.resource_type!r} (known: {known})", code="invalid-request")
    if not isinstance(req.start, date) or not isinstance(req.end, date) \
            or isinstance(req.start, datetime) or isinstance(req.end, datetime):
        raise BookingError("stay dates must be dates", code="invalid-date")
    if req.end <= req.start:
        raise BookingError(f"check-out {req.end} must be after check-in {req.start}", code="invalid-date")
    local_today = today(tenant, now)
    if req.start < local_today:
        raise BookingError(f"check-in {req.start} is in the past (today is {local_today})", code="past-date")
    if req.nights > tenant.stay.max_nights:
        raise BookingError(f"{req.nights} nights is more than the maximum of {tenant.stay.max_nights}",
                           code="invalid-date")
    horizon = local_today + timedelta(days=tenant.booking_horizon_days)
    if req.start > horizon:
        raise BookingError(f"check-in {req.start} is too far ahead (bookings open until {horizon})",
                           code="invalid-date")
    for label, day in (("check-in", req.start), ("check-out", req.end)):
        if not tenant.is_open_day(day):
            why = "a holiday" if tenant.is_closure(day) else "a day we are closed"
            raise BookingError(f"{label} day {day} is {why}", code="closed")
    return Plan(
        request=req, kind="stay", start_at=req.start.isoformat(), end_at=req.end.isoformat(),
        candidates=(room.id,), capacity=room.capacity, price=room.price_per_night * req.nights,
    )


def _plan_appointment(tenant: TenantConfig, req: AppointmentRequest, now: datetime) -> Plan:
    if tenant.profile != "appointment":
        raise BookingError(f"{tenant.name} takes stays, not appointments", code="invalid-request")
    service = tenant.service(req.service_id)
    if service is None:
        known = ", ".join(s.id for s in tenant.services)
        raise BookingError(f"unknown service {req.service_id!r} (known: {known})", code="invalid-request")
    if not isinstance(req.start, datetime) or req.start.tzinfo is None:
        raise BookingError("appointment start must be a timezone-aware datetime", code="invalid-date")
    offering = tenant.practitioners_for(service.id)
    if req.practitioner_id is not None:
        chosen = tenant.practitioner(req.practitioner_id)
        if chosen is None:
            raise BookingError(f"unknown practitioner {req.practitioner_id!r}", code="invalid-request")
        if chosen not in offering:
            raise BookingError(f"{chosen.name} does not offer {service.id!r}", code="invalid-request")
        offering = (chosen,)
    if req.start <= now:
        raise BookingError(f"{req.start.astimezone(tenant.tz):%Y-%m-%d %H:%M} is in the past", code="past-date")
    local_start = req.start.astimezone(tenant.tz)
    horizon = today(tenant, now) + timedelta(days=tenant.booking_horizon_days)
    if local_start.date() > horizon:
        raise BookingError(f"{local_start:%Y-%m-%d} is too far ahead (bookings open until {horizon})",
                           code="invalid-date")
    if tenant.is_closure(local_start.date()):
        raise BookingError(f"{local_start:%Y-%m-%d} is a holiday", code="closed")
    working = tuple(p.id for p in offering if fits_hours(tenant, p, req.start, service.duration_min))
    if not working:
        raise BookingError(f"no one offers {service.id!r} at {local_start:%Y-%m-%d %H:%M} "
                           "(outside working hours)", code="closed")
    end = req.start + timedelta(minutes=service.duration_min)
    return Plan(
        request=req, kind="appointment", start_at=iso_utc(req.start), end_at=iso_utc(end),
        candidates=working, capacity=1, price=service.price, service_id=service.id,
    )
