"""`receptionist serve` registered with a real registrar (Kamailio) under a wrong password: the service
keeps running, logs the refusal once, and `receptionist doctor` names it."""

from __future__ import annotations

import json
from pathlib import Path

from boxkit import Box, cli
from kamkit import Kamailio
from siphelpers import until


async def test_doctor_and_the_log_name_a_refused_registration(tmp_path: Path, registrar: Kamailio) -> None:
    box = Box(tmp_path, "box", sip=f'registrar = "sip:127.0.0.1:{registrar.port}"\nuser = "reception"\n'
                                   'password = "Bad-Pass-42"\nregister_interval_s = 60')
    box.start()
    try:
        refused = f"registration as reception@127.0.0.1:{registrar.port} refused"
        assert await until(lambda: refused in box.tail(100_000), 20), box.tail()
        doctor = cli(box.config, "doctor", "--json", "--min-free-mb", "1")
        checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
        sip = checks["sip registration"]
        assert sip["status"] == "fail" and "answered 403" in sip["detail"] and "reception" in sip["detail"]
        assert doctor.returncode == 1
        log = box.tail(100_000)
        assert log.count(refused) == 1 and '"level": "error"' in log.split(refused)[0].rsplit("\n", 1)[-1]
        assert "Bad-Pass-42" not in log
        assert box.proc is not None and box.proc.poll() is None  # still serving: no crash, no restart loop
    finally:
        box.stop()
