"""The HTTP side of trust, against the running shim: token scopes and expiry, the failed-token limit,
/metrics behind a token, the staff API on its own address, and who the client is behind a proxy."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest
import sqlite_utils
from aiohttp.test_utils import TestClient, TestServer

from receptionist.backends.fakes import ScriptedBrain
from receptionist.booking.migrations import MIGRATIONS, migrate
from receptionist.channels.http import auth
from receptionist.channels.http.server import build_app
from receptionist.ops import metrics
from receptionist.service import start_service
from tests.http.shim import Shim, shim_config

STAY = {"room_type": "dog", "start": "2026-12-10", "end": "2026-12-15"}
CUSTOMER = {"name": "Mari Maasikas", "phone": "5123 4567", "language": "et"}
PROXY = ("127.0.0.1/32",)  # the test client connects from loopback: it plays the reverse proxy


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def error_of(resp, status: int) -> dict:
    body = await resp.json()
    assert resp.status == status, body
    return body["error"]


async def started(tmp_path, clock, **http) -> Shim:
    shim = Shim(shim_config(tmp_path, **http), clock)
    await shim.start_client()
    return shim


def auth_failures(outcome: str) -> float:
    return metrics.REGISTRY.get_sample_value("receptionist_http_auth_failures_total", {"outcome": outcome}) or 0.0


# -- scopes and expiry -------------------------------------------------------------------------------------

async def test_a_read_token_reads_but_cannot_write(shim):
    writer, reader = await shim.token("desk", scope="write"), await shim.token("dashboard", scope="read")
    c = shim.client
    made = await c.post("/api/v1/bookings", headers=bearer(writer), json={"request": STAY, "customer": CUSTOMER})
    code = (await made.json())["code"]
    assert (await c.get(f"/api/v1/bookings/{code}", headers=bearer(reader))).status == 200
    assert (await c.get("/api/v1/availability", params=STAY, headers=bearer(reader))).status == 200
    await c.post("/api/v1/chat", json={"message": "Can I talk to a person? My number is +372 5123 4567",
                                       "language": "en"})
    callback = (await (await c.get("/api/v1/callbacks", headers=bearer(reader))).json())["callbacks"][0]

    writes = [("/api/v1/bookings", {"request": STAY, "customer": CUSTOMER}),
              (f"/api/v1/bookings/{code}/cancel", {}),
              (f"/api/v1/bookings/{code}/reschedule", {"request": {**STAY, "end": "2026-12-12"}}),
              (f"/api/v1/callbacks/{callback['id']}/done", {})]
    for path, body in writes:
        resp = await c.post(path, headers=bearer(reader), json=body)
        assert (await error_of(resp, 403))["code"] == "insufficient-scope", path
        assert 'scope="write"' in resp.headers["WWW-Authenticate"]

    booking = await (await c.get(f"/api/v1/bookings/{code}", headers=bearer(reader))).json()
    assert (booking["status"], booking["end"]) == ("confirmed", "2026-12-15")  # untouched
    assert len((await (await c.get("/api/v1/bookings", headers=bearer(reader))).json())["bookings"]) == 1
    still_open = await c.get("/api/v1/callbacks", params={"status": "open"}, headers=bearer(reader))
    assert [cb["id"] for cb in (await still_open.json())["callbacks"]] == [callback["id"]]
    cancelled = await c.post(f"/api/v1/bookings/{code}/cancel", headers=bearer(writer), json={})
    assert (await cancelled.json())["status"] == "cancelled"  # the write token still can


async def test_an_expired_token_is_refused(shim):
    token = await shim.token("temp", scope="read", expires_in=timedelta(days=1))
    assert (await shim.client.get("/api/v1/bookings", headers=bearer(token))).status == 200
    shim.clock.advance(timedelta(days=1).total_seconds())
    resp = await shim.client.get("/api/v1/bookings", headers=bearer(token))
    assert (await error_of(resp, 401))["code"] == "unauthorized" and resp.headers["WWW-Authenticate"] == "Bearer"


def test_tokens_made_before_scopes_keep_full_access(tmp_path, clock):
    """Migration 4 gives every existing token the write scope (they could do everything) and no expiry."""
    new = sqlite_utils.Database(tmp_path / "new.db")
    migrate(new)
    _, secret = auth.create_token(new, "old-desk", clock.now(), scope="read")
    row = new.execute("SELECT name, prefix, salt, hash, created_at FROM api_tokens").fetchone()

    old = sqlite_utils.Database(tmp_path / "old.db")
    migrate(old, [m for m in MIGRATIONS if m.version <= 3])
    with old.conn:
        old.execute("INSERT INTO api_tokens (name, prefix, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)", row)
    assert 4 in migrate(old)
    token = auth.verify_token(old, secret, clock.now())
    assert token is not None and token.scope == "write" and token.expires_at is None
    new.conn.close()
    old.conn.close()


# -- failed-token limit ------------------------------------------------------------------------------------

async def test_too_many_wrong_tokens_lock_the_client_out_for_a_while(tmp_path, clock):
    shim = await started(tmp_path, clock, max_auth_failures=3, auth_failure_window_s=60)
    try:
        good = await shim.token("desk", scope="read")
        c = shim.client
        invalid, locked = auth_failures("invalid"), auth_failures("locked-out")
        for _ in range(5):
            assert (await c.get("/api/v1/bookings")).status == 401  # no token at all: not a guess, not counted
        for i in range(3):
            assert (await c.get("/api/v1/bookings", headers=bearer(f"rcp_guess-{i}"))).status == 401
        resp = await c.get("/api/v1/bookings", headers=bearer(good))  # even the right token now waits
        assert (await error_of(resp, 429))["code"] == "too-many-auth-failures"
        assert int(resp.headers["Retry-After"]) == 20  # 3 per 60 s: one more try every 20 s
        assert auth_failures("invalid") - invalid == 3 and auth_failures("locked-out") - locked == 1
        assert (await c.post("/api/v1/chat", json={})).status == 200  # the public chat is not locked

        clock.advance(20)
        assert (await c.get("/api/v1/bookings", headers=bearer(good))).status == 200
        assert (await c.get("/api/v1/bookings", headers=bearer("rcp_guess-again"))).status == 401
        assert (await c.get("/api/v1/bookings", headers=bearer(good))).status == 429
    finally:
        await shim.close()


async def test_forged_forwarded_for_values_share_one_failure_budget(tmp_path, clock):
    shim = await started(tmp_path, clock, max_auth_failures=2, trusted_proxies=PROXY)
    try:
        c = shim.client
        for forged in ("1.1.1.1", "2.2.2.2"):
            headers = {**bearer("rcp_guess"), "X-Forwarded-For": f"{forged}, 203.0.113.7"}
            assert (await c.get("/api/v1/bookings", headers=headers)).status == 401
        headers = {**bearer("rcp_guess"), "X-Forwarded-For": "3.3.3.3, 203.0.113.7"}
        assert (await c.get("/api/v1/bookings", headers=headers)).status == 429
        other = {**bearer("rcp_guess"), "X-Forwarded-For": "203.0.113.8"}  # another real client
        assert (await c.get("/api/v1/bookings", headers=other)).status == 401
    finally:
        await shim.close()


# -- /metrics --------------------------------------------------------------------------------------------

async def test_metrics_are_open_by_default(shim):
    assert (await shim.client.get("/metrics")).status == 200


async def test_metrics_can_require_a_read_token(tmp_path, clock):
    shim = await started(tmp_path, clock, metrics_token_required=True)
    try:
        assert (await error_of(await shim.client.get("/metrics"), 401))["code"] == "unauthorized"
        resp = await shim.client.get("/metrics", headers=bearer(await shim.token("prometheus", scope="read")))
        assert resp.status == 200 and "receptionist_turns" in await resp.text()
        doc = await (await shim.client.get("/api/v1/openapi.json")).json()
        assert doc["paths"]["/metrics"]["get"]["x-token-scope"] == "read"
    finally:
        await shim.close()


# -- the staff API on its own address -----------------------------------------------------------------------

STAFF_PATHS = ("/api/v1/bookings", "/api/v1/availability", "/api/v1/callbacks", "/metrics")


async def test_with_staff_listen_the_public_listener_has_no_staff_api(tmp_path, clock):
    shim = await started(tmp_path, clock, staff_listen=("127.0.0.1", 0))
    try:
        token = await shim.token("desk")
        public, staff = shim.client, shim.staff_client
        assert staff is not None
        for path in STAFF_PATHS:
            resp = await public.get(path, headers=bearer(token), params=STAY)
            assert (await error_of(resp, 404))["code"] == "not-found", path
            assert (await staff.get(path, headers=bearer(token), params=STAY)).status == 200, path
        resp = await public.post("/api/v1/bookings", headers=bearer(token), json={"request": STAY, "customer": CUSTOMER})
        assert resp.status == 404
        assert await shim.calendar(lambda cal: cal.list_bookings("pawsome")) == []

        assert (await public.post("/api/v1/chat", json={})).status == 200
        assert (await staff.post("/api/v1/chat", json={})).status == 404
        for path in ("/healthz", "/readyz"):
            assert (await public.get(path)).status == 200 and (await staff.get(path)).status == 200
        public_doc = await (await public.get("/api/v1/openapi.json")).json()
        staff_doc = await (await staff.get("/api/v1/openapi.json")).json()
        assert "/api/v1/bookings" not in public_doc["paths"] and "/api/v1/chat" in public_doc["paths"]
        assert "/api/v1/bookings" in staff_doc["paths"] and "/api/v1/chat" not in staff_doc["paths"]
    finally:
        await shim.close()


async def test_the_service_serves_the_staff_api_on_its_own_port(tmp_path, clock):
    config = shim_config(tmp_path, port=0, staff_listen=("127.0.0.1", 0))
    running = await start_service(config, clock=clock, model=None)
    try:
        public, staff = running.ports["http"], running.ports["http-staff"]
        assert public != staff
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{public}/api/v1/bookings") as resp:
                assert resp.status == 404
            async with http.get(f"http://127.0.0.1:{staff}/api/v1/bookings") as resp:
                assert resp.status == 401  # there, and asking for a token
            async with http.get(f"http://127.0.0.1:{public}/healthz") as resp:
                assert resp.status == 200
    finally:
        await running.stop()


# -- the client behind a proxy -----------------------------------------------------------------------------

async def chat(client, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return (await client.post("/api/v1/chat", json={"message": "hello", "language": "en"}, headers=headers)).status


async def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(tmp_path, clock):
    shim = await started(tmp_path, clock, rate_limit=6, rate_burst=2, trusted_proxies=PROXY)
    try:
        c = shim.client
        assert await chat(c, "1.1.1.1, 203.0.113.7") == 200
        assert await chat(c, "2.2.2.2, 203.0.113.7") == 200  # a different forged left-most value ...
        assert await chat(c, "203.0.113.7") == 429  # ... is still the same client
        assert await chat(c, "203.0.113.8") == 200  # another client has its own limit
    finally:
        await shim.close()


async def test_without_a_trusted_proxy_forwarded_for_is_ignored(tmp_path, clock):
    shim = await started(tmp_path, clock, rate_limit=6, rate_burst=2)
    try:
        c = shim.client
        assert await chat(c, "203.0.113.7") == 200
        assert await chat(c, "203.0.113.8") == 200
        assert await chat(c, "203.0.113.9") == 429  # every request is the loopback peer
        assert await chat(c) == 429
    finally:
        await shim.close()


async def test_the_agent_hears_who_the_client_is_hashed(tmp_path, clock):
    """IncomingMessage.client: one stable opaque value per real client, whatever it forges, over POST and
    WebSocket alike; never the address itself."""
    shim = Shim(shim_config(tmp_path, rate_limit=0, trusted_proxies=PROXY), clock)
    brain = ScriptedBrain()
    async with TestClient(TestServer(build_app(replace(shim.services, agent=brain)), host="127.0.0.1")) as c:
        assert await chat(c, "1.1.1.1, 203.0.113.7") == 200
        assert await chat(c, "2.2.2.2, 203.0.113.7") == 200
        assert await chat(c, "203.0.113.8") == 200
        ws = await c.ws_connect("/api/v1/chat/ws?language=en", headers={"X-Forwarded-For": "9.9.9.9, 203.0.113.7"})
        await ws.send_json({"type": "message", "text": "hello"})
        while (await ws.receive_json(timeout=10))["type"] != "reply":
            pass
        await ws.close()
    shim.brain.close()
    clients = [m.client for m in brain.messages]
    assert len(clients) == 4 and clients[0] == clients[1] == clients[3] != clients[2]
    assert all(c is not None and c.startswith("web:") and "203.0.113" not in c for c in clients)
