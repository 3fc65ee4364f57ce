"""Calendar values → plain JSON-ready dicts, for the wire edge (CLI --json, HTTP booking API)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from receptionist.booking.models import (
    AppointmentRequest, Availability, Booking, Callback, Customer, Occupancy, Request,
)


def request_to_dict(request: Request) -> dict[str, Any]:
    if isinstance(request, AppointmentRequest):
        return {"kind": "appointment", "service_id": request.service_id, "start": request.start.isoformat(),
                "practitioner_id": request.practitioner_id}
    return {"kind": "stay", "resource_type": request.resource_type, "start": request.start.isoformat(),
            "end": request.end.isoformat(), "nights": request.nights}


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
