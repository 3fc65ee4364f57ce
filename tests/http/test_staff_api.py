"""The staff/booking API: Bearer tokens, bookings, availability, callbacks, conversations, tenant isolation."""

from __future__ import annotations

import pytest

from receptionist.booking.models import Customer, StayRequest
from receptionist.channels.http import auth
from tests.conftest import TWO_TENANTS_CONFIG
from tests.http.shim import Shim, shim_config

STAY = {"room_type": "dog", "start": "2026-12-10", "end": "2026-12-15"}
CUSTOMER = {"name": "Mari Maasikas", "phone": "5123 4567", "language": "et"}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def api(shim):
    token = await shim.token("front-desk")
    client = shim.client

    async def call(method: str, path: str, *, status: int = 200, **kwargs):
        resp = await client.request(method, path, headers=bearer(token), **kwargs)
        body = await resp.json()
        assert resp.status == status, body
        return body

    return call


async def test_staff_routes_refuse_missing_invalid_and_revoked_tokens(shim):
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("rcp_not-a-real-token"), bearer("garbage")):
        resp = await shim.client.get("/api/v1/bookings", headers=headers)
        assert resp.status == 401 and (await resp.json())["error"]["code"] == "unauthorized"
        assert resp.headers["WWW-Authenticate"] == "Bearer"
    token = await shim.token("temp")
    assert (await shim.client.get("/api/v1/callbacks", headers=bearer(token))).status == 200
    await shim.brain.worker.run(auth.revoke_token, "temp", shim.clock.now())
    assert (await shim.client.get("/api/v1/callbacks", headers=bearer(token))).status == 401


async def test_tokens_are_stored_hashed(shim):
    token = await shim.token("hashed")
    rows = await shim.brain.worker.run(lambda db: db.execute("SELECT * FROM api_tokens").fetchall())
    assert rows and all(token not in map(str, row) for row in rows)
    assert token.startswith("rcp_") and len(token) >= 40


async def test_booking_lifecycle(api):
    avail = await api("GET", "/api/v1/availability", params=STAY)
    assert avail["available"] is True and avail["price"] == "175.00"
    made = await api("POST", "/api/v1/bookings", json={"request": STAY, "customer": CUSTOMER,
                                                       "details": {"pet_name": "Muri"}}, status=201)
    code = made["code"]
    assert made["status"] == "confirmed" and made["phone"] == "+37251234567" and made["channel"] == "api"
    assert (await api("GET", f"/api/v1/bookings/{code}"))["code"] == code
    assert [b["code"] for b in (await api("GET", "/api/v1/bookings", params={"phone": "+372 5123 4567"}))["bookings"]] \
        == [code]
    listed = await api("GET", "/api/v1/bookings", params={"from": "2026-12-01", "to": "2026-12-31"})
    assert [b["code"] for b in listed["bookings"]] == [code]
    moved = await api("POST", f"/api/v1/bookings/{code}/reschedule",
                      json={"request": {"room_type": "dog", "start": "2026-12-11", "end": "2026-12-13"}})
    assert (moved["start"], moved["end"], moved["price"]) == ("2026-12-11", "2026-12-13", "70.00")
    cancelled = await api("POST", f"/api/v1/bookings/{code}/cancel")
    assert cancelled["status"] == "cancelled"


async def test_booking_errors_map_to_statuses_with_codes(api, shim):
    assert (await api("GET", "/api/v1/bookings/BK-0000", status=404))["error"]["code"] == "not-found"
    bad_phone = {"request": STAY, "customer": {**CUSTOMER, "phone": "12"}}
    assert (await api("POST", "/api/v1/bookings", json=bad_phone, status=422))["error"]["code"] == "invalid-phone"
    past = {"request": {"room_type": "dog", "start": "2026-01-10", "end": "2026-01-12"}, "customer": CUSTOMER}
    assert (await api("POST", "/api/v1/bookings", json=past, status=422))["error"]["code"] == "past-date"
    assert (await api("POST", "/api/v1/bookings", json={"customer": CUSTOMER}, status=422))["error"]["code"] \
        == "invalid-request"
    await shim.calendar(lambda cal: [cal.create_booking("pawsome", StayRequest("dog", *_dates()),
                                                        Customer(f"Owner {i}", f"+37251{i:02d}0000", "en"))
                                     for i in range(6)])
    full = await api("POST", "/api/v1/bookings", json={"request": STAY, "customer": CUSTOMER}, status=409)
    assert full["error"]["code"] == "full"
    assert (await api("GET", "/api/v1/availability", params=STAY))["available"] is False


def _dates():
    from datetime import date
    return date(2026, 12, 10), date(2026, 12, 15)


async def test_callbacks_and_conversations(api, shim):
    chat = await (await shim.client.post("/api/v1/chat", json={"message": "Can I talk to a person? My number is "
                                                                          "+372 5123 4567", "language": "en"})).json()
    callbacks = (await api("GET", "/api/v1/callbacks", params={"status": "open"}))["callbacks"]
    assert len(callbacks) == 1 and callbacks[0]["phone"] == "+37251234567"
    done = await api("POST", f"/api/v1/callbacks/{callbacks[0]['id']}/done")
    assert done["status"] == "done"
    assert (await api("GET", "/api/v1/callbacks", params={"status": "open"}))["callbacks"] == []
    conversation = await api("GET", f"/api/v1/conversations/{callbacks[0]['conversation_id']}")
    assert [m["role"] for m in conversation["messages"]] == ["caller", "bot"]
    assert chat["reply"] == conversation["messages"][1]["text"]
    assert (await api("GET", "/api/v1/conversations/nope", status=404))["error"]["code"] == "not-found"
    assert (await api("POST", "/api/v1/callbacks/999/done", status=404))["error"]["code"] == "not-found"


async def test_tenant_isolation(tmp_path, clock):
    shim = Shim(shim_config(tmp_path, TWO_TENANTS_CONFIG), clock)
    client = await shim.start_client()
    try:
        everything = await shim.token("all")
        clinic_only = await shim.token("clinic", "kesklinna")
        made = await client.post("/api/v1/bookings", headers=bearer(everything),
                                 json={"tenant": "pawsome", "request": STAY, "customer": CUSTOMER})
        code = (await made.json())["code"]
        # the same code is unknown in the other tenant
        resp = await client.get(f"/api/v1/bookings/{code}", params={"tenant": "kesklinna"}, headers=bearer(everything))
        assert resp.status == 404
        # a tenant-limited token cannot reach the other tenant, and defaults to its own
        resp = await client.get(f"/api/v1/bookings/{code}", params={"tenant": "pawsome"}, headers=bearer(clinic_only))
        assert resp.status == 403 and (await resp.json())["error"]["code"] == "forbidden"
        resp = await client.get("/api/v1/bookings", headers=bearer(clinic_only))
        assert (await resp.json()) == {"tenant": "kesklinna", "bookings": []}
        resp = await client.post(f"/api/v1/bookings/{code}/cancel", json={"tenant": "pawsome"},
                                 headers=bearer(clinic_only))
        assert resp.status == 403
        appt = await client.get("/api/v1/availability", headers=bearer(clinic_only),
                                params={"service": "checkup", "start": "2026-12-01T10:00"})
        assert appt.status == 200 and (await appt.json())["request"]["kind"] == "appointment"
    finally:
        await shim.close()
