"""The OpenAPI 3 document, built from the same route table the handlers are registered from."""

from __future__ import annotations

from typing import Any, Iterable

from receptionist import lang as langdata
from receptionist.channels.http.routes import Route

_S = {"type": "string"}
_STAY_OR_APPT = {"type": "object", "description": "A stay {room_type, start, end} or an appointment "
                 "{service, start, practitioner?}",
                 "properties": {"room_type": _S, "start": _S, "end": {"type": "string", "format": "date"},
                                "service": _S, "practitioner": _S}}
_BOOKING = {"type": "object", "properties": {k: _S for k in (
    "code", "tenant_id", "status", "kind", "resource_type", "service_id", "start", "end", "resource_id",
    "customer_name", "phone", "language", "price", "currency", "channel", "created_at")}}
_CALLBACK = {"type": "object", "properties": {"id": {"type": "integer"}, **{k: _S for k in (
    "tenant_id", "phone", "name", "reason", "language", "status", "created_at", "conversation_id", "done_at")}}}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {"code": _S, "message": _S, "text": {
            "type": "string", "description": "Chat routes: what to show the visitor, in their language"}}}}},
    "ChatRequest": {"type": "object", "properties": {
        "message": {"type": "string", "description": "What the caller typed (omit on the first call for a greeting)"},
        "session_id": {"type": "string", "description": "Opaque id from an earlier reply; omit to start"},
        "tenant": _S, "language": {"type": "string", "enum": langdata.folders(builtin=True)}}},
    "ChatReply": {"type": "object", "properties": {
        "session_id": _S, "tenant": _S, "language": _S, "reply": _S, "sentences": {"type": "array", "items": _S},
        "options": {"type": "array", "items": {"type": "object", "properties": {"label": _S, "value": _S}}},
        "intent": _S, "slots": {"type": "object"}, "booking": {"type": "object", "nullable": True,
                                                             "properties": {"code": _S, "status": _S, "summary": _S}},
        "handoff": {"type": "boolean"}, "end": {"type": "boolean"}}},
    "Request": _STAY_OR_APPT,
    "Availability": {"type": "object", "properties": {"request": {"$ref": "#/components/schemas/Request"},
                     "available": {"type": "boolean"}, "price": _S, "currency": _S, "resource_id": _S, "reason": _S,
                     "alternatives": {"type": "array", "items": {"$ref": "#/components/schemas/Request"}}}},
    "Booking": _BOOKING,
    "BookingList": {"type": "object", "properties": {"tenant": _S, "bookings": {
        "type": "array", "items": {"$ref": "#/components/schemas/Booking"}}}},
    "BookingCreate": {"type": "object", "required": ["request", "customer"], "properties": {
        "tenant": _S, "request": {"$ref": "#/components/schemas/Request"},
        "customer": {"type": "object", "required": ["name", "phone"],
                     "properties": {"name": _S, "phone": _S, "language": _S}},
        "details": {"type": "object", "additionalProperties": _S}, "channel": _S,
        "status": {"type": "string", "enum": ["confirmed", "held"]}}},
    "Reschedule": {"type": "object", "required": ["request"], "properties": {
        "tenant": _S, "request": {"$ref": "#/components/schemas/Request"}}},
    "TenantOnly": {"type": "object", "properties": {"tenant": _S}},
    "Callback": _CALLBACK,
    "CallbackList": {"type": "object", "properties": {"tenant": _S, "callbacks": {
        "type": "array", "items": {"$ref": "#/components/schemas/Callback"}}}},
    "Conversation": {"type": "object", "properties": {"id": _S, "tenant": _S, "messages": {"type": "array", "items": {
        "type": "object", "properties": {"at": _S, "role": _S, "text": _S, "language": _S, "intent": _S}}}}},
    "Health": {"type": "object", "properties": {"status": _S}},
}


_BEARER = ("Created with `receptionist tokens create --name NAME --scope read|write [--expires 30d] [--tenant ID]`. "
           "Scopes: `read` may call the GET routes (and /metrics when it needs a token); `write` may call every "
           "route. Each operation names its scope in `x-token-scope`. A missing, wrong, expired or revoked token "
           "gets 401; too many wrong ones from one client address get 429 with Retry-After; a read token on a "
           "write route gets 403 insufficient-scope. A token may be limited to one tenant (403 elsewhere).")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(route: Route) -> dict[str, Any]:
    params = [{"name": name, "in": "path", "required": True, "schema": _S} for name in route.path_params]
    params += [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
                "schema": {"type": p.type, **({"format": p.format} if p.format else {})}} for p in route.query]
    ok: dict[str, Any] = {"description": "OK" if route.status != 101 else "Switching Protocols (WebSocket)"}
    if route.response:
        ok["content"] = {"application/json": {"schema": _ref(route.response)}}
    elif route.status != 101:
        ok["content"] = {route.content_type: {"schema": _S}}
    op: dict[str, Any] = {"operationId": route.operation_id, "summary": route.summary, "tags": [route.tag],
                          "responses": {str(route.status): ok, "default": {
                              "description": "Error", "content": {"application/json": {"schema": _ref("Error")}}}}}
    if params:
        op["parameters"] = params
    if route.body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(route.body)}}}
    if route.auth:
        op["security"] = [{"bearer": []}]
        op["x-token-scope"] = route.scope
        op["description"] = (f"Needs a Bearer token with the {route.scope} scope"
                             + (" (a read token gets 403 insufficient-scope)." if route.scope == "write" else
                                " (read or write)."))
    return op


def build_openapi(routes: Iterable[Route], *, title: str, version: str = "1.0.0") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": version,
                 "description": "Web chat and staff booking API of the receptionist appliance. "
                                "Errors are always {\"error\": {\"code\", \"message\"}}."},
        "paths": paths,
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": _BEARER}}},
    }
