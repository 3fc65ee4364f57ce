"""Nothing leaves the box: the appliance, run in a network namespace whose only way out is a counted
link, completes a booking over the chat API without sending one packet on that link."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

SETUP = """set -e
ip link set lo up
ip link add v0 type veth peer name v1
for l in v0 v1; do echo 1 > /proc/sys/net/ipv6/conf/$l/disable_ipv6; done
ip addr add 10.9.9.1/24 dev v0
ip link set v0 up; ip link set v1 up
ip route add default via 10.9.9.2 dev v0
exec "$@"
"""


def _can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link add v0 type veth peer name v1"],
                           capture_output=True, timeout=10)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _can_unshare(), reason="needs root, unshare and veth links (network namespaces)")
def test_a_booking_over_chat_sends_nothing_beyond_loopback(tmp_path):
    result = subprocess.run(
        ["unshare", "-n", "sh", "-c", SETUP, "sh", sys.executable, "-m", "tests.ops.egress_probe", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["booking"] and report["booking"]["status"] == "confirmed"
    assert report["metrics_ok"]
    assert report["outside_sockets"] == []
    assert report["tx_during"] == 0, report
    assert report["control_tx"] >= 1, "the counter did not see a deliberate packet: the check proves nothing"
