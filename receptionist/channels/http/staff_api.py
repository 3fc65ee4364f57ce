"""Staff / booking API (Bearer token): availability, bookings, callbacks, conversation logs.

Every query names its tenant (`tenant` query parameter or body field; default: the token's tenant, else
the first tenant) and a tenant-limited token can reach only its own tenant. BookingError → 404 / 409 / 422
with its code (errors.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from aiohttp import web

from receptionist import profiles
from receptionist.agent import store
from receptionist.booking.serialize import request_from_dict
from receptionist.booking.idempotency import MAX_KEY_LENGTH
from receptionist.booking.models import Customer
from receptionist.booking.serialize import availability_to_dict, booking_to_dict, callback_to_dict
from receptionist.channels.http.auth import ApiToken
from receptionist.channels.http.errors import ApiError, json_body
from receptionist.channels.http.routes import TENANT, Param, Route
from receptionist.channels.http.services import SERVICES, TOKEN, HttpServices
from receptionist.config.tenant import TenantConfig
from receptionist.errors import ConfigError

def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def tenant_of(request: web.Request, s: HttpServices, tenant_id: Any = None) -> TenantConfig:
    token: ApiToken | None = request.get(TOKEN)
    tenant_id = tenant_id if tenant_id is not None else request.query.get("tenant")
    if tenant_id is None and token is not None:
        tenant_id = token.tenant_id
    if tenant_id is not None and not isinstance(tenant_id, str):
        raise ApiError(422, "invalid-request", "tenant must be a string")
    try:
        tenant = s.config.tenant(tenant_id)
    except ConfigError:
        raise ApiError(404, "unknown-tenant", "unknown tenant") from None
    if token is not None and not token.allows(tenant.id):
        raise ApiError(403, "forbidden", "this token may not reach that tenant")
    return tenant


def _query_date(request: web.Request, name: str) -> date | None:
    value = request.query.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid-date", f"{name} must be YYYY-MM-DD") from None


async def availability(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    tenant = tenant_of(request, s)
    q = request.query
    req = request_from_dict({p.name: q.get(p.name) for p in _AVAIL if p is not TENANT}, tenant.tz)
    result = await s.on_calendar(lambda cal: cal.check_availability(tenant.id, req))
    return ok(availability_to_dict(result))


async def list_bookings(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    tenant = tenant_of(request, s)
    q = request.query
    if q.get("phone") or q.get("code"):
        found = await s.on_calendar(lambda cal: cal.find(tenant.id, code=q.get("code") or None,
                                                          phone=q.get("phone") or None))
    else:
        start, end, status = _query_date(request, "from"), _query_date(request, "to"), q.get("status") or None
        found = await s.on_calendar(lambda cal: cal.list_bookings(tenant.id, start=start, end=end, status=status))
    return ok({"tenant": tenant.id, "bookings": [booking_to_dict(b) for b in found]})


async def create_booking(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    data = await json_body(request)
    tenant = tenant_of(request, s, data.get("tenant"))
    req = request_from_dict(data.get("request", data), tenant.tz)
    c = data.get("customer")
    if not isinstance(c, dict):
        raise ApiError(422, "invalid-request", "customer {name, phone, language?} is required")
    customer = Customer(str(c.get("name") or ""), str(c.get("phone") or ""), str(c.get("language") or ""))
    details = data.get("details") or {}
    if not isinstance(details, dict):
        raise ApiError(422, "invalid-request", "details must be an object")
    channel = str(data.get("channel") or "api")[:20]
    status = data.get("status", "confirmed")
    key = idempotency_key(request)
    booking = await s.on_calendar(lambda cal: cal.create_booking(tenant.id, req, customer, details=details,
                                                                  channel=channel, status=status, key=key))
    return ok(booking_to_dict(booking), status=201)


async def get_booking(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    tenant = tenant_of(request, s)
    code = request.match_info["code"]
    return ok(booking_to_dict(await s.on_calendar(lambda cal: cal.get(tenant.id, code))))


def idempotency_key(request: web.Request) -> str | None:
    """The `Idempotency-Key` header of a write: a repeat with the same key answers with the first result
    (same key, other body: 422 idempotency-conflict). 1..200 printable ASCII characters."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ApiError(400, "bad-request", f"Idempotency-Key must be 1..{MAX_KEY_LENGTH} printable ASCII characters")
    return key


def _actor(request: web.Request) -> str:
    token: ApiToken | None = request.get(TOKEN)
    return f"api:{token.name}" if token else "api"


async def cancel_booking(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    data = await json_body(request)
    tenant = tenant_of(request, s, data.get("tenant"))
    code, actor, key = request.match_info["code"], _actor(request), idempotency_key(request)
    return ok(booking_to_dict(await s.on_calendar(lambda cal: cal.cancel(tenant.id, code, actor=actor, key=key))))


async def reschedule_booking(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    data = await json_body(request)
    tenant = tenant_of(request, s, data.get("tenant"))
    req = request_from_dict(data.get("request", data), tenant.tz)
    code, actor, key = request.match_info["code"], _actor(request), idempotency_key(request)
    return ok(booking_to_dict(await s.on_calendar(
        lambda cal: cal.reschedule(tenant.id, code, req, actor=actor, key=key))))


async def list_callbacks(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    tenant = tenant_of(request, s)
    status = request.query.get("status") or None
    if status not in (None, "open", "done"):
        raise ApiError(422, "invalid-request", "status must be open or done")
    found = await s.on_calendar(lambda cal: cal.list_callbacks(tenant.id, status))
    return ok({"tenant": tenant.id, "callbacks": [callback_to_dict(c) for c in found]})


async def callback_done(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    data = await json_body(request)
    tenant = tenant_of(request, s, data.get("tenant"))
    try:
        callback_id = int(request.match_info["id"])
    except ValueError:
        raise ApiError(404, "not-found", "no such callback") from None
    actor = _actor(request)
    done = await s.on_calendar(lambda cal: cal.mark_callback_done(tenant.id, callback_id, actor=actor))
    return ok(callback_to_dict(done))


async def get_conversation(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    tenant = tenant_of(request, s)
    conversation_id = request.match_info["id"]
    messages = await s.worker.run(store.transcript, tenant.id, conversation_id)
    if not messages:
        raise ApiError(404, "not-found", "no such conversation")
    return ok({"id": conversation_id, "tenant": tenant.id, "messages": [
        {"at": m.at, "role": m.role, "text": m.text, "language": m.language, "intent": m.intent} for m in messages]})


_LIST = (TENANT, Param("from", "First day (YYYY-MM-DD)", format="date"), Param("to", "Last day", format="date"),
         Param("status", "held, confirmed or cancelled"), Param("phone", "Find by the customer's phone number"),
         Param("code", "Find by confirmation code"))
_AVAIL = (TENANT, Param("start", "Check-in date, or appointment start (ISO date-time)", required=True),
          *(Param(p.name, p.description, format=p.format) for p in profiles.query_params()))  # what each profile reads

ROUTES = (
    Route("GET", "/api/v1/availability", availability, "Price and availability (with alternatives)", "bookings",
          auth=True, query=_AVAIL, response="Availability"),
    Route("GET", "/api/v1/bookings", list_bookings, "List bookings, or find them by phone or code", "bookings",
          auth=True, query=_LIST, response="BookingList"),
    Route("POST", "/api/v1/bookings", create_booking, "Make a booking", "bookings", auth=True,
          body="BookingCreate", response="Booking", status=201),
    Route("GET", "/api/v1/bookings/{code}", get_booking, "One booking by confirmation code", "bookings", auth=True,
          query=(TENANT,), response="Booking"),
    Route("POST", "/api/v1/bookings/{code}/cancel", cancel_booking, "Cancel a booking", "bookings", auth=True,
          body="TenantOnly", response="Booking"),
    Route("POST", "/api/v1/bookings/{code}/reschedule", reschedule_booking, "Move a booking", "bookings",
          auth=True, body="Reschedule", response="Booking"),
    Route("GET", "/api/v1/callbacks", list_callbacks, "Callback requests", "callbacks", auth=True,
          query=(TENANT, Param("status", "open or done")), response="CallbackList"),
    Route("POST", "/api/v1/callbacks/{id}/done", callback_done, "Mark a callback request done", "callbacks",
          auth=True, body="TenantOnly", response="Callback"),
    Route("GET", "/api/v1/conversations/{id}", get_conversation, "A conversation's messages", "conversations",
          auth=True, query=(TENANT,), response="Conversation"),
)
