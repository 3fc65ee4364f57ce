"""Every error leaves the shim as {"error": {"code", "message"}} — never a stack trace.

Handlers raise `ApiError`; `error_middleware` turns it, BookingError, aiohttp's own HTTP errors (404,
405, 413) and anything unexpected into that shape.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from aiohttp import web

from receptionist.errors import BackendUnavailable, BookingError

log = logging.getLogger(__name__)

# BookingError codes → HTTP status; every other booking code is 422 (the request cannot be done as asked).
BOOKING_STATUS = {"not-found": 404, "unknown-session": 404, "unknown-tenant": 404, "full": 409,
                  "slot-taken": 409, "internal": 500}
_HTTP_CODES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
               405: "method-not-allowed", 413: "body-too-large", 415: "unsupported-media-type",
               429: "rate-limited", 503: "unavailable"}


class ApiError(Exception):
    """An answer the API gives instead of a result. `text` (chat routes) is what the caller is told, in
    their language, from the one error table (receptionist.errors.caller_message); `message` is for
    developers and staff."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 text: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.text = text


def error_body(code: str, message: str, text: str | None = None) -> dict[str, Any]:
    """{"error": {"code", "message", "text"?}} — `text` only when the caller is to be told something."""
    body: dict[str, Any] = {"code": code, "message": message}
    if text is not None:
        body["text"] = text
    return {"error": body}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   text: str | None = None) -> web.Response:
    return web.json_response(error_body(code, message, text), status=status, headers=headers,
                             dumps=lambda v: json.dumps(v, ensure_ascii=False))


def booking_status(code: str) -> int:
    return BOOKING_STATUS.get(code, 422)


@web.middleware
async def error_middleware(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers, exc.text)
    except BookingError as exc:
        return error_response(booking_status(exc.code), exc.code, exc.message)
    except BackendUnavailable as exc:
        return error_response(503, exc.code, "the booking backend is unavailable; try again shortly")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, "http-error")
        message = {404: "no such route", 405: f"method {request.method} is not allowed here",
                   413: "the request body is too large"}.get(exc.status, exc.reason)
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return error_response(exc.status, code, message, headers)
    except Exception:  # a bug: log it with the route only, answer with a clean 500
        log.exception("unhandled error on %s %s", request.method, request.match_info.route.resource
                      and request.match_info.route.resource.canonical)
        return error_response(500, "internal", "internal error")


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400/413/415 ApiError."""
    if not request.body_exists:
        return {}
    if request.content_type not in ("application/json", "text/plain", ""):
        raise ApiError(415, "unsupported-media-type", "send the body as application/json")
    try:
        raw = await request.read()  # aiohttp enforces client_max_size (413)
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "body-too-large", "the request body is too large") from None
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid-json", "the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid-json", "the request body must be a JSON object")
    return data

