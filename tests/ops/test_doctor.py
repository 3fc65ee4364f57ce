"""`receptionist doctor`: one line per check, exit 1 when something would stop the appliance."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from dataclasses import replace

from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.ops.doctor import check_database, check_disk, check_models, check_ports, run_checks
from tests.conftest import NOW, REPO


def _statuses(checks) -> dict[str, str]:
    return {c.name: c.status for c in checks}


def test_a_healthy_box_passes(config):
    CalendarService(config.app.database, config, FakeClock(NOW)).close()
    config = replace(config, channels=replace(config.channels, http=replace(config.channels.http, port=0)))
    st = _statuses(run_checks(config, min_free_bytes=1))
    assert st["model llm"] == "ok" and st["database integrity"] == "ok" and st["database schema"] == "ok"
    assert st["sip"] == "skip" and st["modem"] == "skip" and st["disk"] in ("ok", "warn")
    assert "fail" not in st.values()


def test_a_port_held_by_another_program_fails(config):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        http = replace(config.channels.http, port=port)
        checks = check_ports(replace(config, channels=replace(config.channels, http=http)), running=None)
    assert checks[0].status == "fail" and "in use by another program" in checks[0].detail


def test_a_damaged_database_fails(tmp_path):
    db = tmp_path / "cal.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, 'x', 'y')", [(1,), (2,), (3,), (99,)])
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("y" * 500,)] * 200)
    conn.commit()
    conn.close()
    st = _statuses(check_database(db))
    assert st["database schema"] == "fail"  # written by a newer version
    data = bytearray(db.read_bytes())
    data[4096 * 2: 4096 * 2 + 200] = b"\xff" * 200  # scribble over a page
    db.write_bytes(bytes(data))
    assert "fail" in _statuses(check_database(db)).values()


def test_a_missing_or_changed_model_fails(config, tmp_path):
    missing = replace(config, llm=replace(config.llm, model_path=tmp_path / "nope.gguf"))
    assert check_models(missing, REPO / "models")[0].status == "fail"
    models = tmp_path / "models"
    (models / "llm").mkdir(parents=True)
    manifest = json.loads((REPO / "models" / "manifest.json").read_text())
    (models / "manifest.json").write_text(json.dumps(manifest))
    llm = next(f for f in manifest["files"] if f["role"] == "llm")
    (models / llm["dest"]).write_bytes(b"GGUF not really")
    changed = replace(config, llm=replace(config.llm, model_path=models / llm["dest"]))
    check = check_models(changed, models)[0]
    assert check.status == "fail" and "sha256" in check.detail


def test_low_disk_fails(tmp_path):
    assert check_disk(tmp_path / "not" / "yet", min_free_bytes=1 << 60).status == "fail"


def test_doctor_command_prints_one_line_per_check_and_json(cli):
    cli.ok("bookings", "list")  # creates the database
    result = cli("doctor", "--min-free-mb", "1")
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("ok") and "database integrity" in line for line in lines)
    doc = json.loads(cli("doctor", "--json", "--min-free-mb", "1").stdout)
    assert {c["name"] for c in doc["checks"]} >= {"database integrity", "disk", "data folder"}
    assert result.exit_code == (0 if doc["ok"] else 1)
    low = cli("doctor", "--min-free-mb", str(1 << 40))
    assert low.exit_code == 1 and "FAIL" in low.stdout and "Traceback" not in low.stdout


async def test_sip_registration_and_modem_state_come_from_the_running_service(config, tmp_path):
    from aiohttp import web

    from receptionist.ops import metrics
    from receptionist.ops.doctor import check_modem, check_sip

    sip = replace(config.channels.sip, enabled=True, registrar="sip:pbx.clinic.lan")
    config = replace(config, channels=replace(config.channels, sip=sip))
    assert check_sip(config, None).status == "skip"  # the service is not running

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
        metrics.set_sip_registered(False, "sip:pbx.clinic.lan")
        assert (await asyncio.to_thread(check_sip, config, url)).status == "fail"
        metrics.set_sip_registered(True, "sip:pbx.clinic.lan")
        assert (await asyncio.to_thread(check_sip, config, url)).status == "ok"
    finally:
        await runner.cleanup()
    sms = replace(config.channels.sms, enabled=True, port=str(tmp_path / "ttyUSB9"))
    modem = check_modem(replace(config, channels=replace(config.channels, sms=sms)), None)
    assert modem.status == "fail" and "not found" in modem.detail
