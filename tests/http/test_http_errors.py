"""Every failure is a clean JSON error {"error": {"code", "message", "text"?}} — never HTML, never a traceback
(`text`, on chat routes, is what the visitor is told: tests/http/test_chat_api.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlite_utils
from aiohttp.test_utils import TestClient, TestServer

from receptionist.channels.http.routes import Route
from receptionist.channels.http.server import all_routes, build_app
from receptionist.channels.http.ratelimit import RateLimiter
from receptionist.clock import FakeClock
from receptionist.dbworker import DbWorker
from tests.http.shim import Shim, shim_config


async def error_of(resp, status: int) -> dict:
    assert resp.status == status, await resp.text()
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]) <= {"code", "message", "text"}
    assert "Traceback" not in body["error"]["message"]
    return body["error"]


async def test_bad_json_is_400(shim):
    resp = await shim.client.post("/api/v1/chat", data=b"{not json", headers={"Content-Type": "application/json"})
    assert (await error_of(resp, 400))["code"] == "invalid-json"
    resp = await shim.client.post("/api/v1/chat", json=["a", "list"])
    assert (await error_of(resp, 400))["code"] == "invalid-json"


async def test_oversized_body_is_413(shim):
    big = b'{"message": "' + b"x" * (70 * 1024) + b'"}'
    resp = await shim.client.post("/api/v1/chat", data=big, headers={"Content-Type": "application/json"})
    assert (await error_of(resp, 413))["code"] == "body-too-large"


async def test_unknown_route_is_404_and_wrong_method_is_405(shim):
    assert (await error_of(await shim.client.get("/api/v1/nothing-here"), 404))["code"] == "not-found"
    resp = await shim.client.get("/api/v1/chat")
    assert (await error_of(resp, 405))["code"] == "method-not-allowed"
    assert "POST" in resp.headers["Allow"]
    resp = await shim.client.delete("/api/v1/bookings")
    assert (await error_of(resp, 405))["code"] == "method-not-allowed"


async def test_wrong_content_type_is_415(shim):
    resp = await shim.client.post("/api/v1/chat", data=b"message=hi",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (await error_of(resp, 415))["code"] == "unsupported-media-type"


async def test_a_crashing_handler_is_a_clean_500(tmp_path, clock, caplog):
    async def boom(request):
        raise RuntimeError("secret internals")

    shim = Shim(shim_config(tmp_path), clock)
    app = build_app(shim.services, routes=all_routes() + (Route("GET", "/boom", boom, "crash", "test"),))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        err = await error_of(await client.get("/boom"), 500)
    shim.brain.close()
    assert err == {"code": "internal", "message": "internal error"}
    assert "secret internals" not in str(err)


async def test_chat_is_rate_limited_per_client_and_refills_with_the_clock(tmp_path):
    clock = FakeClock()
    shim = Shim(shim_config(tmp_path, rate_limit=6, rate_burst=3), clock)
    client = await shim.start_client()
    try:
        for _ in range(3):
            assert (await client.post("/api/v1/chat", json={})).status == 200
        resp = await client.post("/api/v1/chat", json={})
        assert (await error_of(resp, 429))["code"] == "rate-limited"
        assert int(resp.headers["Retry-After"]) == 10  # 6 per minute: one every 10 s
        assert (await client.get("/healthz")).status == 200  # only limited routes count
        clock.advance(10)
        assert (await client.post("/api/v1/chat", json={})).status == 200
        assert (await client.post("/api/v1/chat", json={})).status == 429
    finally:
        await shim.close()


def test_rate_limiter_keeps_clients_apart():
    clock = FakeClock()
    limiter = RateLimiter(clock, per_minute=60, burst=2)
    assert limiter.check("a").allowed and limiter.check("a").allowed
    assert not limiter.check("a").allowed
    assert limiter.check("b").allowed
    clock.advance(1.0)
    assert limiter.check("a").allowed
    assert RateLimiter(clock, per_minute=0, burst=1).check("x").allowed  # 0 = off


async def test_health_and_readiness(shim):
    assert (await (await shim.client.get("/healthz")).json()) == {"status": "ok"}
    assert (await shim.client.get("/readyz")).status == 200
    shim.ready = False
    err = await error_of(await shim.client.get("/readyz"), 503)
    assert err["code"] == "not-ready" and "models" in err["message"]


async def test_readiness_fails_when_the_database_is_gone(tmp_path, clock):
    shim = Shim(shim_config(tmp_path), clock)
    gone = DbWorker(lambda: sqlite_utils.Database(tmp_path / "missing" / "no.db"))  # cannot even open
    app = build_app(replace(shim.services, worker=gone))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        err = await error_of(await client.get("/readyz"), 503)
    assert "database" in err["message"]
    gone.close()
    shim.brain.close()


@pytest.mark.parametrize("origin, allowed", [("https://shop.example", True), ("https://evil.example", False)])
async def test_cors_only_for_allowed_origins(tmp_path, clock, origin, allowed):
    shim = Shim(shim_config(tmp_path, allowed_origins=("https://shop.example",)), clock)
    client = await shim.start_client()
    try:
        pre = await client.options("/api/v1/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        resp = await client.post("/api/v1/chat", json={}, headers={"Origin": origin})
        assert resp.status == 200
        if allowed:
            assert pre.status == 204 and resp.headers["Access-Control-Allow-Origin"] == origin
        else:
            assert "Access-Control-Allow-Origin" not in resp.headers and pre.status == 405
    finally:
        await shim.close()
