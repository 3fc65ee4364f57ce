"""The HTTP shim: `build_app(services)` registers every route of the route table (chat, staff API, pages,
health, OpenAPI) with error, CORS, rate-limit and token middleware; `start_http` serves it."""

from __future__ import annotations

import asyncio
import functools
import logging
import weakref
from importlib import resources
from typing import Any, Awaitable, Callable

from aiohttp import web

from receptionist.channels.http import auth, chat_api, metrics_api, staff_api
from receptionist.channels.http.errors import ApiError, error_middleware, error_response
from receptionist.channels.http.openapi import build_openapi
from receptionist.channels.http.ratelimit import RateLimiter
from receptionist.channels.http.routes import Handler, Route
from receptionist.channels.http.services import CLIENT, SERVICES, TOKEN, HttpServices

log = logging.getLogger(__name__)

__all__ = ["HttpServices", "build_app", "start_http", "all_routes"]

ROUTES_KEY: web.AppKey[tuple[Route, ...]] = web.AppKey("routes", tuple)
_STATIC = resources.files("receptionist.channels.http") / "static"
_CACHE = {"Cache-Control": "no-cache"}


# -- pages, health, OpenAPI ------------------------------------------------------------------------------

def _static(name: str, content_type: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        body = (_STATIC / name).read_bytes()
        return web.Response(body=body, content_type=content_type, charset="utf-8", headers=_CACHE)
    return handler


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    problems = []
    if not s.ready():
        problems.append("models not ready")
    try:
        await asyncio.wait_for(s.worker.run(lambda db: db.execute("SELECT 1").fetchone()), 3.0)
    except Exception:  # any failure means "not ready"; the reason is in the log
        log.warning("readiness: the database did not answer")
        problems.append("database unreachable")
    if problems:
        return error_response(503, "not-ready", "; ".join(problems))
    return web.json_response({"status": "ready"})


async def openapi(request: web.Request) -> web.Response:
    doc = build_openapi(request.app[ROUTES_KEY], title="Receptionist API")
    return web.json_response(doc)


BASE_ROUTES = (
    Route("GET", "/", _static("chat.html", "text/html"), "The chat page", "pages", content_type="text/html"),
    Route("GET", "/chat", _static("chat.html", "text/html"), "The chat page", "pages", content_type="text/html"),
    Route("GET", "/widget.js", _static("widget.js", "application/javascript"), "The embeddable chat widget "
          "(one <script> tag)", "pages", content_type="application/javascript"),
    Route("GET", "/chat.css", _static("chat.css", "text/css"), "Chat styles", "pages", content_type="text/css"),
    Route("GET", "/healthz", healthz, "Liveness", "health", response="Health"),
    Route("GET", "/readyz", readyz, "Readiness: models loaded and database reachable (503 otherwise)", "health",
          response="Health"),
    Route("GET", "/api/v1/openapi.json", openapi, "This OpenAPI document", "meta"),
)


def all_routes() -> tuple[Route, ...]:
    return BASE_ROUTES + chat_api.ROUTES + staff_api.ROUTES + metrics_api.ROUTES


# -- middleware --------------------------------------------------------------------------------------------

def client_key(request: web.Request, trust_forwarded: bool) -> str:
    if trust_forwarded and "X-Forwarded-For" in request.headers:
        return request.headers["X-Forwarded-For"].split(",")[0].strip()
    return request.remote or "?"


def _cors_middleware(allowed: tuple[str, ...]) -> Any:
    @web.middleware
    async def cors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> Any:
        origin = request.headers.get("Origin")
        permitted = origin is not None and ("*" in allowed or origin.rstrip("/") in allowed)
        if request.method == "OPTIONS" and permitted and request.path.startswith("/api/"):
            response: web.StreamResponse = web.Response(status=204, headers={
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Authorization", "Access-Control-Max-Age": "600"})
        else:
            response = await handler(request)
        if permitted and not response.prepared:
            response.headers["Access-Control-Allow-Origin"] = origin  # type: ignore[assignment]
            response.headers["Vary"] = "Origin"
        return response
    return cors


def _guard(route: Route, limiter: RateLimiter, trust_forwarded: bool) -> Handler:
    """Wrap a handler with what its route asks for: the rate limit and/or a staff token."""
    @functools.wraps(route.handler)
    async def handler(request: web.Request) -> web.StreamResponse:
        s = request.app[SERVICES]
        request[CLIENT] = client_key(request, trust_forwarded)
        if route.limited:
            decision = limiter.check(request[CLIENT])
            if not decision.allowed:
                raise ApiError(429, "rate-limited", "too many requests; slow down",
                               headers={"Retry-After": str(max(1, round(decision.retry_after_s)))})
        if route.auth:
            header = request.headers.get("Authorization", "")
            scheme, _, secret = header.partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                raise ApiError(401, "unauthorized", "a Bearer token is required",
                               headers={"WWW-Authenticate": "Bearer"})
            token = await s.worker.run(auth.verify_token, secret.strip(), s.clock.now())
            if token is None:
                raise ApiError(401, "unauthorized", "invalid or revoked token", headers={"WWW-Authenticate": "Bearer"})
            request[TOKEN] = token
        return await route.handler(request)
    return handler


# -- the application -----------------------------------------------------------------------------------

def build_app(services: HttpServices, *, routes: tuple[Route, ...] | None = None) -> web.Application:
    cfg = services.http
    for tenant_id in (cfg.tenant,):
        services.chat_tenant(tenant_id)  # an unknown [http].tenant fails at start (ConfigError)
    limiter = RateLimiter(services.clock, per_minute=cfg.rate_limit, burst=cfg.rate_burst)
    app = web.Application(client_max_size=cfg.max_body_bytes,
                          middlewares=[_cors_middleware(cfg.allowed_origins), error_middleware])
    app[SERVICES] = services
    app[chat_api.LIMITER] = limiter
    app[chat_api.SOCKETS] = weakref.WeakSet()
    app.on_shutdown.append(chat_api.close_sockets)
    table = routes if routes is not None else all_routes()
    app[ROUTES_KEY] = table
    for route in table:
        app.router.add_route(route.method, route.path, _guard(route, limiter, cfg.trust_forwarded),
                             name=route.operation_id)
    return app


async def start_http(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve `app` on host:port (port 0: any free port; see `runner.addresses`). `await runner.cleanup()` stops."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=5.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.info("http shim listening on %s", ", ".join(f"{a[0]}:{a[1]}" for a in runner.addresses))
    return runner
