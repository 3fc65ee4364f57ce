"""Nearest free options when a request is full or closed. Pure search over a `free` predicate."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from receptionist.booking.hours import slot_starts
from receptionist.booking.models import AppointmentRequest, StayRequest
from receptionist.booking.rules import Plan, plan_request
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError

FreeResource = Callable[[Plan], "str | None"]  # resource id with room for the plan, or None
MAX_ALTERNATIVES = 3
STAY_SHIFT_DAYS = 14
APPOINTMENT_SEARCH_DAYS = 14


def stay_alternatives(tenant: TenantConfig, request: StayRequest, now: datetime, free: FreeResource,
                      limit: int = MAX_ALTERNATIVES) -> tuple[StayRequest, ...]:
    """Stays of the same length and room type, shifted 1, -1, 2, -2 … days."""
    found: list[StayRequest] = []
    for distance in range(1, STAY_SHIFT_DAYS + 1):
        for shift in (distance, -distance):
            candidate = StayRequest(request.resource_type, request.start + timedelta(days=shift),
                                    request.end + timedelta(days=shift))
            if _bookable(tenant, candidate, now, free):
                found.append(candidate)
                if len(found) == limit:
                    return tuple(found)
    return tuple(found)


def appointment_alternatives(tenant: TenantConfig, request: AppointmentRequest, now: datetime,
                             free: FreeResource, limit: int = MAX_ALTERNATIVES) -> tuple[AppointmentRequest, ...]:
    """Free slots nearest to the requested time, on the same day or the following days, with any
    practitioner offering the service. One option per start time."""
    service = tenant.service(request.service_id)
    if service is None:
        return ()
    practitioners = tenant.practitioners_for(service.id)
    wanted = request.start.astimezone(tenant.tz)
    options: dict[datetime, AppointmentRequest] = {}
    for offset in range(APPOINTMENT_SEARCH_DAYS):
        day = wanted.date() + timedelta(days=offset)
        for p in practitioners:
            for start in slot_starts(tenant, p, day, service.duration_min):
                if start in options or (start == wanted and p.id == request.practitioner_id):
                    continue
                candidate = AppointmentRequest(service.id, start, p.id)
                if _bookable(tenant, candidate, now, free):
                    options[start] = candidate
        if len(options) >= limit:
            break
    nearest = sorted(options, key=lambda s: abs((s - wanted).total_seconds()))[:limit]
    return tuple(options[s] for s in sorted(nearest))


def _bookable(tenant: TenantConfig, request: StayRequest | AppointmentRequest, now: datetime,
              free: FreeResource) -> bool:
    try:
        plan = plan_request(tenant, request, now)
    except BookingError:
        return False
    return free(plan) is not None
