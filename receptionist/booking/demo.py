"""A demo calendar: a handful of bookings over the next weeks, as the tenant's profile describes them
(`BusinessProfile.demo`). Idempotent (skips if already seeded)."""

from __future__ import annotations

from receptionist import profiles
from receptionist.booking.hours import today
from receptionist.booking.models import Booking, Customer
from receptionist.booking.service import CalendarService
from receptionist.errors import BookingError

DEMO_CHANNEL = "demo"


def seed_demo(calendar: CalendarService, tenant_id: str) -> list[Booking]:
    """Create the demo bookings for a tenant; returns [] when demo bookings already exist. Each is booked
    on its first candidate the calendar takes (BookingError: the next one); one that fits none is left out."""
    existing = calendar.list_bookings(tenant_id)  # BookingError unknown-tenant first
    if any(b.channel == DEMO_CHANNEL for b in existing):
        return []
    tenant = calendar.config.tenant(tenant_id)
    now = calendar.clock.now()
    made: list[Booking] = []
    for demo in profiles.of(tenant).demo(tenant, today(tenant, now), now):
        language = demo.language if demo.language in tenant.languages else tenant.default_language
        for request in demo.candidates:
            try:
                made.append(calendar.create_booking(tenant.id, request, Customer(demo.name, demo.phone, language),
                                                    details=dict(demo.details), channel=DEMO_CHANNEL))
                break
            except BookingError:
                continue
    return made
