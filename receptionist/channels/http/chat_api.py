"""Public web chat: `POST /api/v1/chat` (one JSON turn) and `GET /api/v1/chat/ws` (WebSocket, with a
typing indicator and holding phrases). The replies are `reply_json(...)`, as `receptionist chat --jsonl`
prints them, with the caller's opaque session id."""

from __future__ import annotations

import json
import logging
import re
import secrets
import weakref
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from receptionist.agent.wire import reply_json
from receptionist.channels.http.errors import ApiError, booking_status, error_body, json_body
from receptionist.channels.http.routes import Param, Route
from receptionist.channels.http.services import CLIENT, HASHER, SERVICES, HttpServices
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BackendUnavailable, BookingError, ConfigError, caller_message
from receptionist.events import AgentReply, HoldingPhrase, IncomingMessage

log = logging.getLogger(__name__)
_SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SESSION_PREFIX = "web-"  # web sessions live in their own namespace: a web caller can never reach an SMS session


def new_session_id() -> str:
    return secrets.token_urlsafe(18)


def internal_session(public_id: str) -> str:
    return SESSION_PREFIX + public_id


def _tenant(s: HttpServices, tenant_id: Any) -> TenantConfig:
    if tenant_id is not None and not isinstance(tenant_id, str):
        raise ApiError(422, "invalid-request", "tenant must be a string")
    try:
        return s.chat_tenant(tenant_id)
    except ConfigError:
        raise ApiError(404, "unknown-tenant", "unknown tenant") from None


def _language(tenant: TenantConfig, language: Any) -> str | None:
    if language in (None, ""):
        return None
    if not isinstance(language, str) or language not in tenant.languages:
        raise ApiError(422, "invalid-language", f"language must be one of {', '.join(tenant.languages)}")
    return language


def _session(value: Any) -> tuple[str, bool]:
    """(public session id, is new)."""
    if value in (None, ""):
        return new_session_id(), True
    if not isinstance(value, str) or not _SESSION.match(value):
        raise ApiError(422, "invalid-session", "session_id must be 16..64 letters, digits, - or _")
    return value, False


def _message(s: HttpServices, value: Any) -> str:
    if not isinstance(value, str):
        raise ApiError(422, "invalid-request", "message must be a string")
    text = value.strip()
    if len(text) > s.http.max_message_chars:
        raise ApiError(422, "message-too-long", f"message must be at most {s.http.max_message_chars} characters")
    return text


async def _turn(s: HttpServices, tenant: TenantConfig, public_id: str, text: str, language: str | None,
                client: str, on_holding: Any = None) -> dict[str, Any]:
    """One chat turn; `client` is the hashed client (`app[HASHER](request[CLIENT])`) the agent limits by."""
    session = internal_session(public_id)
    if not text:
        reply: AgentReply = await s.agent.greeting(session, tenant.id, "web", language=language)
    else:
        msg = IncomingMessage(text=text, channel="web", session_id=session, tenant_id=tenant.id,
                              received_at=s.clock.now(), language_hint=language, client=client)
        reply = await s.agent.handle(msg, on_holding=on_holding)
    body = reply_json(reply)
    body["session_id"] = public_id
    body["tenant"] = tenant.id
    return body


async def post_chat(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    speaks = "en"  # the language an error is told in: the visitor's, once known to be the tenant's
    try:
        data = await json_body(request)
        tenant = _tenant(s, data.get("tenant"))
        speaks = tenant.languages[0]
        language = _language(tenant, data.get("language"))
        speaks = language or speaks
        public_id, new = _session(data.get("session_id"))
        text = _message(s, data.get("message", ""))
        if not text and not new:
            raise ApiError(422, "invalid-request", "message is required")
        client = request.app[HASHER](request[CLIENT])
        return web.json_response(await _turn(s, tenant, public_id, text, language, client), dumps=_dumps)
    except (ApiError, BookingError, BackendUnavailable) as exc:
        raise told(exc, speaks) from None


def told(exc: ApiError | BookingError | BackendUnavailable, language: str) -> ApiError:
    """The error as the API answers it, with `text`: what the visitor reads, from the one error table."""
    if isinstance(exc, ApiError):
        status, message, headers = exc.status, exc.message, exc.headers
    elif isinstance(exc, BookingError):
        status, message, headers = booking_status(exc.code), exc.message, None
    else:
        status, message, headers = 503, "the booking backend is unavailable; try again shortly", None
    return ApiError(status, exc.code, message, headers=headers, text=caller_message(exc.code, language))


def _error_frame(code: str, message: str, language: str) -> dict[str, Any]:
    return {"type": "error", **error_body(code, message, caller_message(code, language))}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def origin_allowed(request: web.Request, allowed: tuple[str, ...]) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or "*" in allowed or origin.rstrip("/") in allowed:
        return True
    return origin.split("://", 1)[-1] == request.host  # our own page


async def chat_ws(request: web.Request) -> web.WebSocketResponse:
    s = request.app[SERVICES]
    if not origin_allowed(request, s.http.allowed_origins):
        raise ApiError(403, "origin-not-allowed", "this origin may not open the chat")
    tenant = _tenant(s, request.query.get("tenant"))
    language = _language(tenant, request.query.get("language"))
    public_id, _ = _session(request.query.get("session_id"))
    speaks = language or tenant.languages[0]  # errors are told in this language
    limiter = request.app.get(LIMITER)
    client = request[CLIENT]
    ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=s.http.max_body_bytes)
    await ws.prepare(request)
    request.app[SOCKETS].add(ws)
    started = False
    async for frame in ws:
        if frame.type != WSMsgType.TEXT:
            if frame.type == WSMsgType.ERROR:
                break
            await ws.send_json(_error_frame("invalid-frame", "send JSON text frames", speaks), dumps=_dumps)
            continue
        try:
            data = json.loads(frame.data)
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            await ws.send_json(_error_frame("invalid-json", "the frame is not a JSON object", speaks), dumps=_dumps)
            continue
        kind = data.get("type", "message")
        try:
            if limiter is not None:
                decision = limiter.check(client)
                if not decision.allowed:
                    raise ApiError(429, "rate-limited", f"too many messages; retry in {decision.retry_after_s:g} s")
            text = _message(s, data.get("text", data.get("message", ""))) if kind == "message" else ""
            if kind not in ("start", "message") or (kind == "message" and not text):
                raise ApiError(422, "invalid-request", "send {\"type\": \"message\", \"text\": \"…\"}")
            if kind == "start" and started:
                continue
            started = True
            await ws.send_json({"type": "typing", "on": True})

            async def holding(event: HoldingPhrase) -> None:
                if not ws.closed:
                    await ws.send_json({"type": "holding", "text": event.text, "language": event.language},
                                       dumps=_dumps)

            hint = language
            if kind == "start" and data.get("language") in tenant.languages:
                hint = language or data["language"]  # greet in the visitor's browser language
            body = await _turn(s, tenant, public_id, text, hint, request.app[HASHER](client), holding)
            await ws.send_json({"type": "reply", **body}, dumps=_dumps)
        except (ApiError, BookingError, BackendUnavailable) as exc:
            await ws.send_json(_error_frame(exc.code, told(exc, speaks).message, speaks), dumps=_dumps)
        finally:
            if not ws.closed:
                await ws.send_json({"type": "typing", "on": False})
    return ws


LIMITER: web.AppKey[Any] = web.AppKey("limiter", object)
SOCKETS: web.AppKey[weakref.WeakSet] = web.AppKey("sockets", weakref.WeakSet)


async def close_sockets(app: web.Application) -> None:
    """On shutdown: tell open chat sockets we are going away, instead of waiting for them."""
    for ws in list(app[SOCKETS]):
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")

_CHAT_PARAMS = (Param("tenant", "Tenant id (default: the configured chat tenant)"),
                Param("language", "Language hint: en, et or ru"),
                Param("session_id", "Continue this session (default: a new one)"))

ROUTES = (
    Route("POST", "/api/v1/chat", post_chat, "Send one chat message; get the receptionist's reply", "chat",
          limited=True, body="ChatRequest", response="ChatReply"),
    Route("GET", "/api/v1/chat/ws", chat_ws, "WebSocket chat: send {type: message, text}; receive typing, "
          "holding and reply frames", "chat", limited=True, query=_CHAT_PARAMS, status=101),
)
