"""HttpBackend: one appliance booking into another through the staff API, with the Tools reliability matrix."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace
from datetime import date

import pytest
from aiohttp import web

from receptionist.agent.http_backend import HttpBackend
from receptionist.agent.tools import Tools
from receptionist.booking.models import Customer, StayRequest
from receptionist.channels.http.server import start_http
from receptionist.errors import BackendUnavailable, BookingError
from receptionist.events import IncomingMessage
from tests.http.shim import Shim, shim_config

STAY = StayRequest("dog", date(2026, 12, 10), date(2026, 12, 15))
CUSTOMER = Customer("Mari Maasikas", "5123 4567", "et")


@pytest.fixture
async def remote(tmp_path, clock):
    """The 'other appliance': a real shim serving on a loopback port."""
    shim = Shim(shim_config(tmp_path / "remote"), clock)
    url = await shim.serve()
    token = await shim.token("branch-2")
    yield shim, url, token
    await shim.close()


async def test_booking_through_a_real_running_shim(remote):
    shim, url, token = remote
    backend = HttpBackend(url, token=token)
    try:
        availability = await backend.check_availability("pawsome", STAY)
        assert availability.available and str(availability.price) == "175.00" and availability.request == STAY
        booking = await backend.create_booking("pawsome", STAY, CUSTOMER, details={"pet_name": "Muri"}, channel="voice")
        assert booking.request == STAY and booking.phone == "+37251234567" and booking.details == {"pet_name": "Muri"}
        assert [b.code for b in await backend.find("pawsome", phone="+372 5123 4567")] == [booking.code]
        moved = await backend.reschedule("pawsome", booking.code, StayRequest("dog", date(2026, 12, 11), date(2026, 12, 12)))
        assert moved.request.nights == 1
        assert (await backend.cancel("pawsome", booking.code)).status == "cancelled"
        stored = (await shim.calendar(lambda cal: cal.find("pawsome", code=booking.code)))[0]
        assert stored.status == "cancelled" and stored.channel == "voice"
    finally:
        await backend.close()


async def test_client_errors_are_booking_errors_and_never_retried(remote):
    shim, url, token = remote
    tools = Tools(HttpBackend(url, token=token), retries=2, backoff_s=0.01)
    with tools.recording() as calls, pytest.raises(BookingError) as err:
        await tools.create_booking("pawsome", StayRequest("dog", date(2026, 1, 10), date(2026, 1, 12)), CUSTOMER,
                                   details={}, channel="web")
    assert err.value.code == "past-date" and calls[-1].attempts == 1
    with pytest.raises(BookingError) as err:
        await tools.cancel("pawsome", "BK-0000")
    assert err.value.code == "not-found"
    unauthorised = Tools(HttpBackend(url, token="rcp_wrong"), retries=2, backoff_s=0.01)
    with unauthorised.recording() as calls, pytest.raises(BookingError) as err:
        await unauthorised.check_availability("pawsome", STAY)
    assert err.value.code == "unauthorized" and calls[-1].attempts == 1
    await tools.backend.close()
    await unauthorised.backend.close()


async def counting_server(status: int, body: dict):
    hits: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = await start_http(app, "127.0.0.1", 0)
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}", hits


async def test_a_503_is_retried_then_backend_unavailable():
    runner, url, hits = await counting_server(503, {"error": {"code": "not-ready", "message": "starting"}})
    tools = Tools(HttpBackend(url, token="rcp_x"), retries=2, backoff_s=0.01)
    try:
        with tools.recording() as calls, pytest.raises(BackendUnavailable):
            await tools.check_availability("pawsome", STAY)
        assert len(hits) == 3 and calls[-1].attempts == 3
        assert calls[-1].outcome == "backend-unavailable"
    finally:
        await tools.backend.close()
        await runner.cleanup()


async def test_a_4xx_from_any_server_is_not_retried():
    runner, url, hits = await counting_server(422, {"error": {"code": "invalid-phone", "message": "bad"}})
    tools = Tools(HttpBackend(url), retries=2, backoff_s=0.01)
    try:
        with pytest.raises(BookingError) as err:
            await tools.create_booking("pawsome", STAY, CUSTOMER, details={}, channel="web")
        assert err.value.code == "invalid-phone" and len(hits) == 1
    finally:
        await tools.backend.close()
        await runner.cleanup()


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_agent_with_a_dead_backend_falls_back_to_a_stored_callback(tmp_path, clock):
    config = shim_config(tmp_path)
    config = replace(config, agent=replace(config.agent, tool_retries=1, tool_timeout_s=2.0))
    backend = HttpBackend(f"http://127.0.0.1:{dead_port()}", token="rcp_x")
    shim = Shim(config, clock, backend=backend)
    try:
        reply = await shim.brain.agent.handle(IncomingMessage(
            "I want to book a room for my dog Max from December 10 to 15", "sms", "sms-dead-backend", "pawsome",
            clock.now(), language_hint="en", caller_id="+37251234567"))
        assert reply.booking is None
        callbacks = await shim.calendar(lambda cal: cal.list_callbacks("pawsome", "open"))
        assert [c.phone for c in callbacks] == ["+37251234567"]
        assert callbacks[0].reason.startswith("booking")
    finally:
        await backend.close()
        await shim.close()


def answer_late_once(path: str, delay_s: float):
    """A middleware: the first POST to `path` is handled (and committed) normally, but its answer is held back
    for `delay_s` — longer than the client waits. Later requests are answered at once."""
    held: list[str] = []

    @web.middleware
    async def late(request: web.Request, handler):
        response = await handler(request)
        if request.method == "POST" and request.path == path and not held:
            held.append(request.headers.get("Idempotency-Key", ""))
            await asyncio.sleep(delay_s)
        return response

    return late, held


@pytest.fixture
async def late_remote(tmp_path, clock):
    """The other appliance, answering the first new-booking request only after the client gave up."""
    shim = Shim(shim_config(tmp_path / "remote"), clock)
    late, held = answer_late_once("/api/v1/bookings", delay_s=1.0)
    shim.app.middlewares.append(late)
    url = await shim.serve()
    token = await shim.token("branch-2")
    yield shim, url, token, held
    await shim.close()


async def test_a_booking_committed_after_the_client_gave_up_is_made_once(late_remote):
    shim, url, token, held = late_remote
    tools = Tools(HttpBackend(url, token=token, timeout_s=0.3), timeout_s=1.0, retries=2, backoff_s=0.01)
    try:
        with tools.recording() as calls:
            booking = await tools.create_booking("pawsome", STAY, CUSTOMER, details={"pet_name": "Muri"},
                                                 channel="voice")
        assert calls[-1].attempts == 2  # the first answer never came; the retry got the first booking back
        stored = await shim.calendar(lambda cal: cal.list_bookings("pawsome"))
        assert [b.code for b in stored] == [booking.code]
        assert held and held[0].startswith("tools-")  # the lost attempt carried the key the retry repeated
    finally:
        await tools.backend.close()


async def test_the_staff_api_honours_the_idempotency_key(remote):
    shim, url, token = remote
    backend = HttpBackend(url, token=token)
    try:
        first = await backend.create_booking("pawsome", STAY, CUSTOMER, details={}, channel="api", key="branch-2:17")
        again = await backend.create_booking("pawsome", STAY, CUSTOMER, details={}, channel="api", key="branch-2:17")
        assert again.code == first.code
        other = StayRequest("dog", date(2026, 12, 11), date(2026, 12, 12))
        with pytest.raises(BookingError) as err:
            await backend.create_booking("pawsome", other, CUSTOMER, details={}, channel="api", key="branch-2:17")
        assert err.value.code == "idempotency-conflict"
        moved = await backend.reschedule("pawsome", first.code, other, key="move-1")
        assert (await backend.reschedule("pawsome", first.code, other, key="move-1")) == moved
        assert (await backend.cancel("pawsome", first.code, key="cancel-1")).status == "cancelled"
        assert (await backend.cancel("pawsome", first.code, key="cancel-1")).status == "cancelled"
        stored = await shim.calendar(lambda cal: cal.list_bookings("pawsome"))
        assert [b.code for b in stored] == [first.code]
        audit = await shim.brain.worker.run(lambda db: db.execute(
            "SELECT action, COUNT(*) FROM audit_log GROUP BY action ORDER BY action").fetchall())
        assert audit == [("booking.cancel", 1), ("booking.create", 1), ("booking.move", 1)]
    finally:
        await backend.close()


async def test_an_agent_booking_through_a_late_backend_is_made_once_and_the_caller_told(late_remote, tmp_path, clock):
    remote, url, token, held = late_remote
    backend = HttpBackend(url, token=token, timeout_s=0.3)
    shim = Shim(shim_config(tmp_path / "local"), clock, backend=backend)
    try:
        def msg(text: str) -> IncomingMessage:
            return IncomingMessage(text, "sms", "sms-late-backend", "pawsome", clock.now(), language_hint="en",
                                   caller_id="+37251234567")

        summary = await shim.brain.agent.handle(msg("I want to book a room for my dog Max from December 10 to 15"))
        assert "Shall I book it?" in summary.text
        booked = await shim.brain.agent.handle(msg("yes"))
        stored = await remote.calendar(lambda cal: cal.list_bookings("pawsome"))
        assert len(stored) == 1 and booked.booking is not None and booked.booking.code == stored[0].code
        assert stored[0].code in booked.text and "confirmed" in booked.text
        assert held and held[0].startswith("agent-")  # the agent's own key: session, turn, proposal
    finally:
        await backend.close()
        await shim.close()
