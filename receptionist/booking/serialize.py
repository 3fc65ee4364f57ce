"""Calendar values ↔ plain JSON-ready dicts, for the wire edge (CLI --json, HTTP booking API, and the
HTTP booking backend reading another appliance's answers)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from receptionist import profiles
from receptionist.booking.models import (
    Availability, Booking, Callback, Customer, Occupancy, Request,
)
from receptionist.errors import BackendUnavailable, BookingError


def request_to_dict(request: Request) -> dict[str, Any]:
    """The wire form of a request, with its "kind" (the profile writes the rest)."""
    return profiles.for_request(request).request_to_dict(request)


def booking_to_dict(b: Booking) -> dict[str, Any]:
    return {
        "code": b.code, "tenant_id": b.tenant_id, "status": b.status, "kind": b.kind,
        **{k: v for k, v in request_to_dict(b.request).items() if k != "kind"},
        "resource_id": b.resource_id, "customer_name": b.customer_name, "phone": b.phone,
        "language": b.language, "price": str(b.price), "currency": b.currency, "details": dict(b.details),
        "channel": b.channel, "created_at": _iso(b.created_at), "hold_expires_at": _iso(b.hold_expires_at),
    }


def availability_to_dict(a: Availability) -> dict[str, Any]:
    return {
        "request": request_to_dict(a.request), "available": a.available, "price": str(a.price),
        "currency": a.currency, "resource_id": a.resource_id, "reason": a.reason,
        "alternatives": [request_to_dict(r) for r in a.alternatives],
    }


def callback_to_dict(c: Callback) -> dict[str, Any]:
    return {
        "id": c.id, "tenant_id": c.tenant_id, "phone": c.phone, "name": c.name, "reason": c.reason,
        "language": c.language, "status": c.status, "created_at": _iso(c.created_at),
        "conversation_id": c.conversation_id, "done_at": _iso(c.done_at),
    }


def customer_to_dict(c: Customer) -> dict[str, Any]:
    return {"name": c.name, "phone": c.phone, "language": c.language}


def occupancy_to_dict(o: Occupancy) -> dict[str, Any]:
    return {
        "tenant_id": o.tenant_id, "days": [d.isoformat() for d in o.days],
        "rows": [{"resource_id": r.resource_id, "label": r.label, "capacity": r.capacity,
                  "counts": list(r.counts), "open": list(r.open)} for r in o.rows],
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# -- wire decoders (the inverse of the above) ---------------------------------------------------------

def request_from_dict(data: Mapping[str, Any], tz: Any = None) -> Request:
    """{"kind"?, ...} → the request of that kind's profile (receptionist/profiles/): {"resource_type"|"room_type",
    "start", "end"} a stay, {"service_id"|"service", "start", "practitioner_id"?} an appointment, {"party_size",
    "start", "table_id"?} a table; naive times are read in `tz`. BookingError on bad input."""
    return profiles.request_from_dict(data, tz)  # the kind's profile decodes its own fields


def booking_from_dict(d: Mapping[str, Any]) -> Booking:
    try:
        request = request_from_dict({**d, "kind": d.get("kind")})
        return Booking(
            code=str(d["code"]), tenant_id=str(d["tenant_id"]), status=d["status"], request=request,
            resource_id=str(d["resource_id"]), customer_name=str(d["customer_name"]), phone=str(d["phone"]),
            language=str(d["language"]), price=Decimal(str(d["price"])), currency=str(d["currency"]),
            details={str(k): str(v) for k, v in (d.get("details") or {}).items()}, channel=str(d.get("channel", "")),
            created_at=_dt(d.get("created_at")), hold_expires_at=_dt(d.get("hold_expires_at")),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation, BookingError) as exc:
        raise BackendUnavailable(f"booking backend sent an unreadable booking ({exc})", code="backend-invalid") from None


def availability_from_dict(d: Mapping[str, Any]) -> Availability:
    try:
        return Availability(
            request=request_from_dict(d["request"]), available=bool(d["available"]), price=Decimal(str(d["price"])),
            currency=str(d["currency"]), resource_id=d.get("resource_id"),
            alternatives=tuple(request_from_dict(r) for r in d.get("alternatives") or ()), reason=d.get("reason"),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation, BookingError) as exc:
        raise BackendUnavailable(f"booking backend sent an unreadable answer ({exc})", code="backend-invalid") from None


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("dates must be YYYY-MM-DD strings")
    return date.fromisoformat(value[:10])


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None
