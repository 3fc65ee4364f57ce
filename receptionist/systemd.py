"""sd_notify without a dependency: READY=1 once models are warm, WATCHDOG=1 pings, STOPPING=1."""

from __future__ import annotations

import os
import socket


def notify(message: str) -> bool:
    """Send one notification to systemd; False when not running under systemd (no NOTIFY_SOCKET)."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(message.encode())
    return True


def watchdog_interval_s() -> float | None:
    """Half the watchdog timeout systemd gave us (WATCHDOG_USEC), or None when there is none."""
    usec = os.environ.get("WATCHDOG_USEC")
    if not usec or (os.environ.get("WATCHDOG_PID") not in (None, str(os.getpid()))):
        return None
    return int(usec) / 2_000_000
