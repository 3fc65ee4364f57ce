"""The line against a real registrar/proxy (Kamailio, examples/kamailio/registrar.cfg) on loopback:
digest registration over UDP and TCP, refreshes before expiry, recovery after the registrar restarts,
calls routed to the registered contact, and wrong credentials reported once, clearly, without a loop."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from kamkit import REGISTRAR_CFG, Kamailio
from pbxkit import LineEvents, call_through, line_config, pbx_line
from siphelpers import until

pytestmark = pytest.mark.usefixtures("need_kamailio")


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_registers_with_digest_auth_and_answers_a_call_routed_through_the_pbx(
        tmp_path: Path, tenant, registrar: Kamailio, transport: str) -> None:
    events = LineEvents()
    async with pbx_line(line_config(registrar.port, transport=transport), tenant, events) as line:
        assert await until(lambda: events.registered() >= 1, 15), registrar.tail()
        assert line.registration.status == 200 and line.registration.account == f"reception@127.0.0.1:{registrar.port}"
        assert registrar.lines(rf"REGISTER ok: reception from 127\.0\.0\.1:\d+ over {transport}")
        result = await call_through(tmp_path, registrar.port)
        assert result.ok, result.errors + registrar.tail()
        assert await until(lambda: len(line.finished) == 1, 10)


async def test_refreshes_the_registration_before_it_expires(tmp_path: Path, tenant, registrar: Kamailio) -> None:
    events = LineEvents()
    async with pbx_line(line_config(registrar.port, register_interval_s=6), tenant, events) as line:
        # three REGISTERs accepted = two refreshes of a 6 s registration: the contact never lapsed
        assert await until(lambda: len(registrar.lines("REGISTER ok")) >= 3, 30), registrar.tail()
        assert all(e.registered for e in events.registrations())
        assert line.registration.expires_s <= 6
        result = await call_through(tmp_path, registrar.port)  # well past the first registration's expiry
        assert result.ok, result.errors + registrar.tail()


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_registers_again_after_the_registrar_restarts(tmp_path: Path, tenant, registrar: Kamailio,
                                                            transport: str) -> None:
    events = LineEvents()
    cfg = line_config(registrar.port, transport=transport, register_interval_s=8)
    async with pbx_line(cfg, tenant, events) as line:
        assert await until(lambda: events.registered() >= 1, 15)
        registrar.stop()  # forgets every registration (in memory only)
        seen = len(events)
        await asyncio.sleep(6)  # a refresh falls due while it is down
        registrar.start()
        assert await until(lambda: any(e.registered for e in events.registrations()[seen:] if e), 30), \
            registrar.tail()
        assert registrar.lines("REGISTER ok")  # the restarted registrar knows the line again
        result = await call_through(tmp_path, registrar.port)
        assert result.ok, result.errors + registrar.tail()
        assert line.registration.registered


@pytest.mark.parametrize(("user", "password", "status"), [("reception", "Bad-Pass-42", 403), ("nobody", "s3cret", 401)])
async def test_wrong_credentials_are_one_clear_error_and_no_loop(tmp_path: Path, tenant, registrar: Kamailio,
                                                                 caplog, user: str, password: str,
                                                                 status: int) -> None:
    caplog.set_level(logging.INFO, logger="receptionist.channels.sip")
    events = LineEvents()
    cfg = line_config(registrar.port, user=user, password=password)
    async with pbx_line(cfg, tenant, events) as line:
        assert await until(lambda: line.registration is not None and not line.registration.registered, 15)
        await asyncio.sleep(3)  # a retry loop would show here
        assert [e.status for e in events.registrations()] == [status]
        assert line.registration.retry_s and line.registration.retry_s >= 30  # the next try, after a back-off
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1 and f"{user}@127.0.0.1:{registrar.port}" in errors[0] and str(status) in errors[0]
        assert password not in errors[0]
        result = await call_through(tmp_path, registrar.port)  # not registered: the PBX cannot reach the line
        assert not result.ok
        assert line.port  # the line is still up, answering nothing it was not given


async def test_doctor_names_the_refusal(tmp_path: Path, tenant, registrar: Kamailio, pet_config) -> None:
    from aiohttp import web

    from receptionist.ops import metrics
    from receptionist.ops.doctor import check_sip

    events = LineEvents()
    cfg = line_config(registrar.port, password="Bad-Pass-42")
    config = replace(pet_config, channels=replace(pet_config.channels, sip=replace(cfg, enabled=True)))

    async def scrape(request: web.Request) -> web.Response:
        return web.Response(body=metrics.generate_latest(metrics.REGISTRY), content_type="text/plain")

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with pbx_line(cfg, tenant, events) as line:
            assert await until(lambda: line.registration is not None, 15)
            check = await asyncio.to_thread(check_sip, config, url)
            assert check.status == "fail"
            assert check.detail == (f"not registered as reception with sip:127.0.0.1:{registrar.port}: the registrar "
                                    "answered 403 (wrong sip.user or password, or this user may not register from "
                                    "here?)")
        events.clear()
        async with pbx_line(replace(cfg, password="s3cret"), tenant, events) as line:
            assert await until(lambda: events.registered() >= 1, 15)
            assert (await asyncio.to_thread(check_sip, config, url)).status == "ok"
    finally:
        await runner.cleanup()


async def test_a_refused_line_retries_with_a_doubling_back_off_and_registers_once_the_pbx_accepts_it(
        tmp_path: Path, tenant, need_kamailio: None) -> None:
    pbx = Kamailio(tmp_path, REGISTRAR_CFG, accounts={"reception": "old-password"}, MIN_EXPIRES=5)
    pbx.start()
    try:
        events = LineEvents()
        cfg = line_config(pbx.port, password="new-password", register_interval_s=6)  # retries 2 s, back-off 4 s
        async with pbx_line(cfg, tenant, events) as line:
            assert await until(lambda: len(events.registrations()) >= 2, 20), pbx.tail()
            assert [(e.status, e.retry_s) for e in events.registrations()] == [(403, 4.0), (403, 8.0)]
            pbx.stop()  # the clinic fixes the password on the PBX
            fixed = Kamailio(tmp_path, REGISTRAR_CFG, accounts={"reception": "new-password"}, port=pbx.port,
                             MIN_EXPIRES=5)
            pbx = fixed
            pbx.start()
            assert await until(lambda: line.registration.registered, 20), pbx.tail()
            assert line.registration.status == 200
    finally:
        pbx.stop()
