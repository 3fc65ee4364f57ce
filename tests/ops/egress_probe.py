"""Run inside a network namespace by test_no_egress.py: start the appliance (HTTP shim on loopback, real
agent, LLM off), book a stay over the chat API, and report what left loopback, as one JSON line.

The namespace has a veth link with a default route, so any attempt to reach the outside world would be
sent — and counted in the link's TX packets — instead of failing silently for lack of a route."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

import aiohttp

from receptionist.clock import FakeClock
from receptionist.service import start_service
from tests.conftest import NOW
from tests.http.shim import shim_config

LINK = "v0"


def tx_packets(link: str = LINK) -> int:
    for line in Path("/proc/net/dev").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name.strip() == link:
            return int(rest.split()[9])  # receive: 8 fields, then transmit bytes, packets
    raise RuntimeError(f"no link {link}")


def _hex_ip(value: str) -> str:
    if len(value) == 8:
        return socket.inet_ntop(socket.AF_INET, bytes.fromhex(value)[::-1])
    raw = bytes.fromhex(value)
    return socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))


def outside_sockets() -> list[str]:
    """Sockets of this namespace connected to anything but loopback (or unconnected)."""
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/net/{proto}").read_text().splitlines()[1:]:
            remote = line.split()[2]
            host, port = remote.split(":")
            ip = _hex_ip(host)
            if int(port, 16) == 0 and ip in ("0.0.0.0", "::"):
                continue
            if not (ip.startswith("127.") or ip in ("::1", "::ffff:127.0.0.1")):
                found.append(f"{proto} {ip}:{int(port, 16)}")
    return found


async def main(tmp: Path) -> dict:
    config = shim_config(tmp, port=0)
    before = tx_packets()
    running = await start_service(config, clock=FakeClock(NOW), model=None)
    try:
        base = f"http://127.0.0.1:{running.ports['http']}"
        async with aiohttp.ClientSession() as http:
            async def say(body):
                async with http.post(f"{base}/api/v1/chat", json=body) as r:
                    return await r.json()
            r = await say({"message": "I want to book a room for my dog Max from December 10 to 15", "language": "en"})
            r = await say({"message": "+372 5123 4567", "session_id": r["session_id"]})
            r = await say({"message": r["options"][0]["value"], "session_id": r["session_id"]})
            async with http.get(f"{base}/metrics") as m:
                metrics_ok = m.status == 200
        sockets = outside_sockets()
    finally:
        await running.stop()
    during = tx_packets() - before
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # the positive control: egress IS counted
        probe.sendto(b"x", ("10.9.9.2", 9))
    await asyncio.sleep(0.05)
    control = tx_packets() - before - during
    return {"booking": r.get("booking"), "tx_during": during, "outside_sockets": sockets, "control_tx": control,
            "metrics_ok": metrics_ok}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(Path(sys.argv[1])))))
