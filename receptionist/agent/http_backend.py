"""A BookingBackend that books into another appliance through its staff API (`/api/v1/...`).

Reliability matrix (Tools does the retrying): 5xx, timeouts and connection errors → BackendUnavailable
(retried); 4xx → BookingError with the server's error code (never retried). Writes send their idempotency
key as an `Idempotency-Key` header, so a retry after a timeout gets the first answer back from the server.
The client timeout (`timeout_s`) sits between the server's database busy timeout and the tool timeout
(see `receptionist.agent.tools`).

The wire decoders (`request_from_dict`, `booking_from_dict`, `availability_from_dict`) live with the
booking types, in `receptionist.booking.serialize`; the server side of the API uses them too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Mapping
from urllib.parse import quote

import aiohttp

from receptionist import profiles
from receptionist.booking.models import Availability, Booking, Customer, Request
from receptionist.booking.serialize import (
    availability_from_dict, booking_from_dict, customer_to_dict, request_to_dict,
)
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
        params = {"tenant": tenant_id, **profiles.for_request(request).availability_query(request)}
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
