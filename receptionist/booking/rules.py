"""Validate a request against a tenant's rules and resolve it to a storable Plan. Pure: no database.

Raises BookingError with codes invalid-request, invalid-date, past-date, closed. Capacity ("full")
needs the database and is checked by the service inside its write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Mapping

from receptionist import profiles
from receptionist.booking.models import Request
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError


@dataclass(frozen=True, slots=True)
class Plan:
    request: Request
    kind: str  # the profile's name: "stay" | "appointment" | "table"
    start_at: str  # storage form: ISO date (stays) or ISO UTC instant (bookings at a time)
    end_at: str
    candidates: tuple[str, ...]  # resource ids to try, in order of preference
    capacity: int  # per resource: rooms of the type, or 1 for a practitioner or a table
    price: Decimal
    service_id: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)  # stored with the booking (a table's party size)

    def nights(self) -> list[str]:
        """Stays: the ISO dates of the nights occupied (check-in day … day before check-out)."""
        start, end = date.fromisoformat(self.start_at), date.fromisoformat(self.end_at)
        return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days)]


def plan_request(tenant: TenantConfig, request: Request, now: datetime) -> Plan:
    """The tenant's profile validates, prices and places the request (receptionist/profiles/)."""
    kind = getattr(request, "kind", None)
    if kind not in profiles.names():
        raise BookingError(f"not a booking request: {request!r}", code="invalid-request")
    if kind != tenant.profile:
        raise BookingError(f"{tenant.name} takes {tenant.profile}s, not {kind}s", code="invalid-request")
    return profiles.get(kind).plan(tenant, request, now)
