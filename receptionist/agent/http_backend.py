"""A BookingBackend that books into another appliance through its staff API (`/api/v1/...`).

Reliability matrix (Tools does the retrying): 5xx, timeouts and connection errors → BackendUnavailable
(retried); 4xx → BookingError with the server's error code (never retried). Writes send their idempotency
key as an `Idempotency-Key` header, so a retry after a timeout gets the first answer back from the server.
The client timeout (`timeout_s`) sits between the server's database busy timeout and the tool timeout
(see `receptionist.agent.tools`).

The wire decoders (`request_from_dict`, `booking_from_dict`, `availability_from_dict`) are the inverse
of `receptionist.booking.serialize`; the server side of the API uses `request_from_dict` too.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping
from urllib.parse import quote

import aiohttp

from receptionist.booking.models import (
    AppointmentRequest, Availability, Booking, Customer, Request, StayRequest,
)
from receptionist.booking.serialize import customer_to_dict, request_to_dict
from receptionist.errors import BackendUnavailable, BookingError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 4.5  # > the server's SQLite busy timeout (4 s), < the default tool timeout (5 s)


class HttpBackend:
    def __init__(self, base_url: str, *, token: str | None = None, session: aiohttp.ClientSession | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must start with http:// or https://")
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session = session
        self._own_session = session is None
        self.timeout_s = timeout_s
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    # -- BookingBackend -------------------------------------------------------------------------------

    async def check_availability(self, tenant_id: str, request: Request) -> Availability:
        params = {"tenant": tenant_id}
        if isinstance(request, StayRequest):
            params.update(room_type=request.resource_type, start=request.start.isoformat(), end=request.end.isoformat())
        else:
            params.update(service=request.service_id, start=request.start.isoformat())
            if request.practitioner_id:
                params["practitioner"] = request.practitioner_id
        return availability_from_dict(await self._call("GET", "/api/v1/availability", params=params))

    async def create_booking(self, tenant_id: str, request: Request, customer: Customer, *,
                             details: Mapping[str, str], channel: str, key: str | None = None) -> Booking:
        body = {"tenant": tenant_id, "request": request_to_dict(request), "customer": customer_to_dict(customer),
                "details": dict(details), "channel": channel}
        return booking_from_dict(await self._call("POST", "/api/v1/bookings", json=body, key=key))

    async def cancel(self, tenant_id: str, code: str, *, key: str | None = None) -> Booking:
        return booking_from_dict(await self._call("POST", f"/api/v1/bookings/{quote(code, safe='')}/cancel",
                                                  json={"tenant": tenant_id}, key=key))

    async def reschedule(self, tenant_id: str, code: str, request: Request, *, key: str | None = None) -> Booking:
        return booking_from_dict(await self._call("POST", f"/api/v1/bookings/{quote(code, safe='')}/reschedule",
                                                  json={"tenant": tenant_id, "request": request_to_dict(request)},
                                                  key=key))

    async def find(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]:
        params = {"tenant": tenant_id}
        if code is not None:
            params["code"] = code
        if phone is not None:
            params["phone"] = phone
        data = await self._call("GET", "/api/v1/bookings", params=params)
        return [booking_from_dict(b) for b in data.get("bookings", [])]

    # -- plumbing -------------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> dict[str, Any]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._own_session = True
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        if key is not None:
            headers["Idempotency-Key"] = key
        try:
            async with self._session.request(method, self.base_url + path, headers=headers, **kwargs) as resp:
                status = resp.status
                try:
                    data = await resp.json(content_type=None)
                except ValueError:
                    data = None
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise BackendUnavailable(f"booking backend unreachable ({type(exc).__name__})",
                                     code="backend-unreachable") from None
        error = data.get("error") if isinstance(data, dict) and isinstance(data.get("error"), dict) else {}
        if status >= 500:
            raise BackendUnavailable(f"booking backend answered {status}", code="backend-unavailable")
        if status >= 400:
            raise BookingError(str(error.get("message") or f"booking backend answered {status}"),
                               code=str(error.get("code") or "booking-failed"))
        if not isinstance(data, dict):
            raise BackendUnavailable("booking backend answered with something other than a JSON object",
                                     code="backend-invalid")
        return data

    async def close(self) -> None:
        if self._session is not None and self._own_session and not self._session.closed:
            await self._session.close()
        self._session = None

    def close_sync(self) -> None:
        """Close from synchronous shutdown code (Brain.close) whatever state the session's loop is in."""
        session, self._session = self._session, None
        if session is None or session.closed or not self._own_session:
            return
        loop = getattr(session, "_loop", None)
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(session.close())
        elif loop is not None and loop.is_running():
            loop.create_task(session.close())
        else:
            session.detach()


# -- wire decoders ----------------------------------------------------------------------------------------

def request_from_dict(data: Mapping[str, Any], tz: Any = None) -> Request:
    """{"resource_type"|"room_type", "start", "end"} → StayRequest; {"service_id"|"service", "start",
    "practitioner_id"?} → AppointmentRequest (naive times are read in `tz`). BookingError on bad input."""
    if not isinstance(data, Mapping):
        raise BookingError("request must be an object", code="invalid-request")
    room = data.get("resource_type", data.get("room_type"))
    service = data.get("service_id", data.get("service"))
    kind = data.get("kind") or ("stay" if room else "appointment" if service else None)
    try:
        if kind == "stay" and isinstance(room, str):
            return StayRequest(room, _date(data.get("start")), _date(data.get("end")))
        if kind == "appointment" and isinstance(service, str):
            start = datetime.fromisoformat(str(data.get("start")))
            if start.tzinfo is None:
                if tz is None:
                    raise ValueError("start needs a time zone")
                start = start.replace(tzinfo=tz)
            practitioner = data.get("practitioner_id", data.get("practitioner"))
            return AppointmentRequest(service, start, str(practitioner) if practitioner else None)
    except (TypeError, ValueError) as exc:
        raise BookingError(f"invalid request dates: {exc}", code="invalid-date") from None
    raise BookingError("request needs room_type, start and end (stay) or service and start (appointment)",
                       code="invalid-request")


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
