"""Facts rendered by code in the caller's language: requests, bookings, alternatives, price lists.
What differs between kinds of business is the tenant's profile's (receptionist/profiles/)."""

from __future__ import annotations

from typing import Mapping

from receptionist import profiles
from receptionist.agent.replies import Phrases
from receptionist.booking.models import Booking, Request
from receptionist.config.tenant import TenantConfig


def request_from_slots(tenant: TenantConfig, slots: Mapping[str, str]) -> Request | None:
    """The calendar request the collected slots describe, once its parts are all known."""
    return profiles.of(tenant).request_from_slots(tenant, slots)


def fingerprint(request: Request) -> str:
    return profiles.for_request(request).fingerprint(request)


def patch_for(request: Request, tenant: TenantConfig) -> dict[str, str]:
    """The slot values that select this request (used for alternatives)."""
    return profiles.for_request(request).slots_for(tenant, request)


def short_label(P: Phrases, tenant: TenantConfig, request: Request) -> str:
    """A compact label for a button / list: "11 Dec – 16 Dec" or "Tue 1 Dec 10:30"."""
    return profiles.for_request(request).label(P, tenant, request)


def booking_summary(P: Phrases, tenant: TenantConfig, booking: Booking) -> str:
    return profiles.for_request(booking.request).booking_summary(P, tenant, booking)


def price_list(P: Phrases, tenant: TenantConfig) -> str:
    return P("price_list", items="; ".join(profiles.of(tenant).price_list(P, tenant)))


def opening_hours(P: Phrases, tenant: TenantConfig) -> str:
    """Opening hours from the configuration, consecutive days with equal hours grouped."""
    groups: list[tuple[int, int, str]] = []
    closed: list[int] = []
    for day in range(7):
        intervals = tenant.hours.on(day)
        if not intervals:
            closed.append(day)
            continue
        text = ", ".join(f"{i.start:%H:%M}–{i.end:%H:%M}" for i in intervals)
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    items = [f"{P.weekday(a)}{'–' + P.weekday(b) if b != a else ''} {text}" for a, b, text in groups]
    parts = [P("hours_list", items="; ".join(items))]
    if closed:
        parts.append(P("closed_days", days=", ".join(P.weekday(d) for d in closed)))
    parts += profiles.of(tenant).hours_notes(P, tenant)
    return " ".join(parts)
