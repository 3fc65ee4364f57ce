"""`GET /metrics`: Prometheus text exposition of receptionist.ops.metrics (no caller content).

By default it needs no token, as scrapers expect: the shim listens on loopback unless [http].host says
otherwise, and with [http] staff_listen /metrics moves to the staff address. `[http]
metrics_token_required = true` asks for a Bearer token with the read scope (server.configured_routes)."""

from __future__ import annotations

from aiohttp import web

from receptionist.channels.http.routes import Route
from receptionist.channels.http.services import SERVICES
from receptionist.ops import metrics


async def get_metrics(request: web.Request) -> web.Response:
    s = request.app[SERVICES]
    body = await metrics.scrape(s.worker, s.clock, s.config.agent.session_idle_minutes)
    return web.Response(body=body, headers={"Content-Type": metrics.CONTENT_TYPE, "Cache-Control": "no-store"})


ROUTES = (
    Route("GET", "/metrics", get_metrics, "Prometheus metrics: latencies per voice stage, turns, LLM use, tool "
          "failures, fallbacks, bookings, active calls and sessions, model state", "health",
          content_type="text/plain", where="staff"),
)
