"""Facts rendered by code in the caller's language: requests, bookings, alternatives, price lists."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Mapping

from receptionist.agent.replies import Phrases
from receptionist.booking.models import AppointmentRequest, Booking, Request, StayRequest
from receptionist.config.tenant import TenantConfig


def request_from_slots(tenant: TenantConfig, slots: Mapping[str, str]) -> Request | None:
    """The calendar request the collected slots describe, once its parts are all known."""
    if tenant.profile == "stay":
        if not all(k in slots for k in ("pet_type", "start_date", "end_date")):
            return None
        return StayRequest(slots["pet_type"], date.fromisoformat(slots["start_date"]),
                           date.fromisoformat(slots["end_date"]))
    if not all(k in slots for k in ("service", "date", "time")):
        return None
    start = datetime.combine(date.fromisoformat(slots["date"]), time.fromisoformat(slots["time"]),
                             tzinfo=tenant.tz)
    return AppointmentRequest(slots["service"], start, slots.get("practitioner"))


def fingerprint(request: Request) -> str:
    if isinstance(request, StayRequest):
        return f"stay:{request.resource_type}:{request.start}:{request.end}"
    return f"appt:{request.service_id}:{request.start.isoformat()}:{request.practitioner_id or ''}"


def patch_for(request: Request, tenant: TenantConfig) -> dict[str, str]:
    """The slot values that select this request (used for alternatives)."""
    if isinstance(request, StayRequest):
        return {"pet_type": request.resource_type, "start_date": request.start.isoformat(),
                "end_date": request.end.isoformat()}
    local = request.start.astimezone(tenant.tz)
    patch = {"service": request.service_id, "date": local.date().isoformat(), "time": local.strftime("%H:%M")}
    if request.practitioner_id:
        patch["practitioner"] = request.practitioner_id
    return patch


def resource_name(P: Phrases, tenant: TenantConfig, resource_id: str) -> str:
    item = tenant.room_type(resource_id) if tenant.profile == "stay" else tenant.service(resource_id)
    return item.name(P.lang) if item else resource_id


def practitioner_name(tenant: TenantConfig, practitioner_id: str | None) -> str:
    p = tenant.practitioner(practitioner_id) if practitioner_id else None
    return p.name if p else ""


def short_label(P: Phrases, tenant: TenantConfig, request: Request) -> str:
    """A compact label for a button / list: "11 Dec – 16 Dec" or "Tue 1 Dec 10:30"."""
    if isinstance(request, StayRequest):
        return f"{P.day_short(request.start)} – {P.day_short(request.end)}"
    local = request.start.astimezone(tenant.tz)
    label = f"{P.day_short(local.date())} {local:%H:%M}"
    name = practitioner_name(tenant, request.practitioner_id)
    return f"{label} ({name})" if name else label


def booking_summary(P: Phrases, tenant: TenantConfig, booking: Booking) -> str:
    req = booking.request
    if isinstance(req, StayRequest):
        pet = booking.details.get("pet_name", "")
        return (f"{resource_name(P, tenant, req.resource_type)}, {pet}, "
                f"{P.day_short(req.start)} – {P.day_short(req.end)}, {P.nights(req.nights)}")
    local = req.start.astimezone(tenant.tz)
    who = practitioner_name(tenant, req.practitioner_id)
    text = f"{resource_name(P, tenant, req.service_id)}, {P.day(local.date())} {local:%H:%M}"
    return f"{text}, {who}" if who else text


def price_list(P: Phrases, tenant: TenantConfig) -> str:
    if tenant.profile == "stay":
        items = [P("price_item_stay", room=r.name(P.lang), price=P.price(r.price_per_night, tenant.currency))
                 for r in tenant.room_types]
    else:
        items = [P("price_item_service", service=s.name(P.lang), minutes=s.duration_min,
                   price=P.price(s.price, tenant.currency)) for s in tenant.services]
    return P("price_list", items="; ".join(items))


def service_list(P: Phrases, tenant: TenantConfig) -> str:
    return P.either([s.name(P.lang) for s in tenant.services])


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
    if tenant.stay is not None:
        parts.append(P("check_times", check_in=f"{tenant.stay.check_in:%H:%M}",
                       check_out=f"{tenant.stay.check_out:%H:%M}"))
    return " ".join(parts)
