"""A few hundred short calls against the real line (pjsua2 endpoint, pooled media ports) with stand-in
speech sessions: short calls with a little RTP, CANCELs crossing the answer, callers that go silent
without a BYE (hung up by the line's media watch), all at once from three sipp streams. The line runs in
a child process (soakline.py), so a crash of the SIP library fails this test rather than the suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("need_sip_tools")]

HERE = Path(__file__).resolve().parent
CALLS, CANCELS, DROPS = 240, 100, 10


def test_hundreds_of_calls_leave_the_line_alive_with_every_call_ended_and_every_port_back(tmp_path: Path) -> None:
    child = subprocess.run([sys.executable, str(HERE / "soakline.py"), str(tmp_path), "--calls", str(CALLS),
                            "--cancels", str(CANCELS), "--drops", str(DROPS)],
                           capture_output=True, text=True, timeout=240)
    assert child.returncode == 0, f"the line's process died ({child.returncode}):\n{child.stderr[-3000:]}"
    summary = json.loads(child.stdout.strip().splitlines()[-1])
    print(summary)
    assert all(s["rc"] == 0 for s in summary["sipp"].values()), summary["sipp"]  # every call went as scripted
    refused = sum(summary["rejected"].values())
    assert set(summary["rejected"]) <= {"486"}  # over capacity is the only refusal
    assert summary["dialled"] == CALLS + CANCELS + DROPS
    assert summary["offered"] + refused == summary["dialled"]
    assert summary["offered"] >= 0.9 * summary["dialled"]
    assert summary["ended"] == summary["offered"] == summary["finished"]  # every answered call ended
    assert summary["ended_by"]["media-lost"] >= DROPS - refused  # silent callers were hung up
    assert summary["heard_caller"] >= 0.9 * CALLS - refused  # their RTP reached the bot through the pooled ports
    assert summary["settled"] and summary["active_calls"] == 0
    assert summary["free_ports"] == summary["max_calls"]  # no port leaked
    assert summary["stopped"]
