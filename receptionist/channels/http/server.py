"""The HTTP shim: `build_app(services)` registers the routes of the route table (chat, staff API, pages,
health, OpenAPI) with error, CORS, rate-limit and token middleware; `start_http` serves it.

With `[http] staff_listen` set, the shim is two applications: `build_app` is the public one (pages, chat,
health, OpenAPI) and `build_staff_app` the staff one (staff API, /metrics, health, OpenAPI) for its own
address; each answers 404 for the other's routes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import weakref
from dataclasses import replace
from importlib import resources
from typing import Any, Awaitable, Callable, Literal, Sequence

from aiohttp import web

from receptionist.channels.http import auth, chat_api, metrics_api, staff_api
from receptionist.channels.http.clientaddr import ClientHasher, Network, client_address, limit_key, parse_networks
from receptionist.channels.http.errors import ApiError, error_middleware, error_response
from receptionist.channels.http.openapi import build_openapi
from receptionist.channels.http.ratelimit import RateLimiter
from receptionist.channels.http.routes import Handler, Route
from receptionist.channels.http.services import CLIENT, HASHER, SERVICES, TOKEN, HttpServices
from receptionist.config.channels import HttpConfig
from receptionist.ops import metrics
from receptionist.ops.privacy import load_salt

log = logging.getLogger(__name__)

__all__ = ["HttpServices", "build_app", "build_staff_app", "start_http", "all_routes"]

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
    Route("GET", "/healthz", healthz, "Liveness", "health", response="Health", where="both"),
    Route("GET", "/readyz", readyz, "Readiness: models loaded and database reachable (503 otherwise)", "health",
          response="Health", where="both"),
    Route("GET", "/api/v1/openapi.json", openapi, "This OpenAPI document (the routes of this listener)", "meta",
          where="both"),
)


def all_routes() -> tuple[Route, ...]:
    return BASE_ROUTES + chat_api.ROUTES + staff_api.ROUTES + metrics_api.ROUTES


def configured_routes(cfg: HttpConfig, listener: Literal["public", "staff", "all"],
                      routes: Sequence[Route] | None = None) -> tuple[Route, ...]:
    """The routes one listener serves under this config: /metrics gets a token when
    `metrics_token_required`; "public" and "staff" keep the routes meant for that listener."""
    table = [replace(r, auth=True) if r.path == "/metrics" and cfg.metrics_token_required else r
             for r in (routes if routes is not None else all_routes())]
    if listener == "all":
        return tuple(table)
    return tuple(r for r in table if r.listener in (listener, "both"))


# -- middleware --------------------------------------------------------------------------------------------

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


async def _authorize(request: web.Request, route: Route, failures: RateLimiter) -> auth.ApiToken:
    """The request's valid token with the route's scope, or ApiError: 401 without a valid token (a wrong,
    expired or revoked one counts against the client's failure budget), 429 while the client has used that
    budget up (checked before the token, so a locked-out client learns nothing), 403 for a read-only token
    on a write route."""
    s = request.app[SERVICES]
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthorized", "a Bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    key = request[CLIENT]
    if not (blocked := failures.peek(key)).allowed:
        metrics.HTTP_AUTH_FAILURES.labels(outcome="locked-out").inc()
        raise ApiError(429, "too-many-auth-failures", "too many invalid tokens from this address; try later",
                       headers={"Retry-After": str(max(1, math.ceil(blocked.retry_after_s)))})
    token = await s.worker.run(auth.verify_token, secret.strip(), s.clock.now())
    if token is None:
        metrics.HTTP_AUTH_FAILURES.labels(outcome="invalid").inc()
        failures.check(key)
        if not failures.peek(key).allowed:
            log.warning("staff API: client %s locked out after too many invalid tokens",
                        request.app[HASHER](key, "http"))
        raise ApiError(401, "unauthorized", "invalid, expired or revoked token", headers={"WWW-Authenticate": "Bearer"})
    if not token.may(route.scope):
        raise ApiError(403, "insufficient-scope", f"this token has the {token.scope} scope; "
                       f"{route.method} {route.path} needs {route.scope}",
                       headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{route.scope}"'})
    return token


def _guard(route: Route, limiter: RateLimiter, failures: RateLimiter, proxies: tuple[Network, ...]) -> Handler:
    """Wrap a handler with what its route asks for: the rate limit and/or a staff token. Every request gets
    its client's rate-limit key (`CLIENT`), from the peer or the trusted proxies' X-Forwarded-For."""
    @functools.wraps(route.handler)
    async def handler(request: web.Request) -> web.StreamResponse:
        forwarded = request.headers.getall("X-Forwarded-For", [])
        request[CLIENT] = limit_key(client_address(request.remote, forwarded, proxies))
        if route.limited:
            decision = limiter.check(request[CLIENT])
            if not decision.allowed:
                raise ApiError(429, "rate-limited", "too many requests; slow down",
                               headers={"Retry-After": str(max(1, round(decision.retry_after_s)))})
        if route.auth:
            request[TOKEN] = await _authorize(request, route, failures)
        return await route.handler(request)
    return handler


# -- the application -----------------------------------------------------------------------------------

def build_app(services: HttpServices, *, routes: tuple[Route, ...] | None = None) -> web.Application:
    """The public application — every route, or with `staff_listen` set everything but the staff API and
    /metrics. `routes` replaces the route table (tests). Raises ConfigError for an unknown [http].tenant."""
    cfg = services.http
    return _application(services, configured_routes(cfg, "public" if cfg.staff_listen else "all", routes))


def build_staff_app(services: HttpServices, *, routes: tuple[Route, ...] | None = None) -> web.Application | None:
    """The staff application for `[http] staff_listen` (staff API, /metrics, health, OpenAPI); None when
    the staff API shares the public listener."""
    if services.http.staff_listen is None:
        return None
    return _application(services, configured_routes(services.http, "staff", routes))


def _application(services: HttpServices, table: tuple[Route, ...]) -> web.Application:
    cfg = services.http
    for tenant_id in (cfg.tenant,):
        services.chat_tenant(tenant_id)  # an unknown [http].tenant fails at start (ConfigError)
    limiter = RateLimiter(services.clock, per_minute=cfg.rate_limit, burst=cfg.rate_burst)
    failures = RateLimiter.per_window(services.clock, count=cfg.max_auth_failures, window_s=cfg.auth_failure_window_s)
    proxies = parse_networks(cfg.trusted_proxies)
    app = web.Application(client_max_size=cfg.max_body_bytes,
                          middlewares=[_cors_middleware(cfg.allowed_origins), error_middleware])
    app[SERVICES] = services
    app[HASHER] = ClientHasher.from_secret(load_salt(services.config.app.data_dir))
    app[chat_api.LIMITER] = limiter
    app[chat_api.SOCKETS] = weakref.WeakSet()
    app.on_shutdown.append(chat_api.close_sockets)
    app[ROUTES_KEY] = table
    for route in table:
        app.router.add_route(route.method, route.path, _guard(route, limiter, failures, proxies),
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
