"""Kamailio (Debian package `kamailio`) as a real SIP server on loopback, started by the tests themselves:
a config from examples/kamailio/ with its `#!trydef` settings given on the command line (-A NAME=value),
in the foreground (-DD -E), logging to a file in the test's tmp dir, killed at teardown.

    pbx = Kamailio(tmp_path, REGISTRAR_CFG, accounts={"reception": "s3cret"}, MIN_EXPIRES=5)
    pbx.start()          # waits until it answers an OPTIONS probe
    ...
    pbx.restart()        # same port, empty memory (registrations forgotten)
    pbx.stop()
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "kamailio"
REGISTRAR_CFG = EXAMPLES / "registrar.cfg"
DISPATCHER_CFG = EXAMPLES / "dispatcher.cfg"
_ACCOUNTS = re.compile(r"(event_route\[htable:mod-init\] \{\n)(.*?)(\n\})", re.S)


def kamailio_binary() -> str | None:
    return shutil.which("kamailio") or next((p for p in ("/usr/sbin/kamailio",) if os.path.exists(p)), None)


def require_pbx_tools() -> None:
    """Skip (a failure under REQUIRE_TIERS) unless Kamailio, sipp and pjsua2 are all installed."""
    import pytest

    if kamailio_binary() is None:
        pytest.skip("kamailio is not installed (Debian package kamailio; scripts/setup --test installs it)")
    if shutil.which("sipp") is None:
        pytest.skip("sipp is not installed (Debian package sip-tester)")
    pytest.importorskip("pjsua2")


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (Kamailio listens on both)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", 0))
            port = u.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    continue
        return port
    raise RuntimeError("no free port")


def options_ping(port: int, timeout_s: float = 0.3) -> str | None:
    """Send one OPTIONS to 127.0.0.1:port over UDP; the status line of the answer, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        me = s.getsockname()[1]
        tag = uuid.uuid4().hex[:10]
        msg = (f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK{tag};rport\r\n"
               f"From: <sip:probe@127.0.0.1>;tag={tag}\r\nTo: <sip:127.0.0.1:{port}>\r\n"
               f"Call-ID: {tag}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
        s.sendto(msg.encode(), ("127.0.0.1", port))
        s.settimeout(timeout_s)
        try:
            data = s.recv(4096)
        except OSError:
            return None
    return data.split(b"\r\n", 1)[0].decode(errors="replace")


class Kamailio:
    """One Kamailio process on 127.0.0.1:`port` (UDP and TCP)."""

    def __init__(self, workdir: Path, config: Path, *, accounts: dict[str, str] | None = None,
                 port: int | None = None, replace: dict[str, str] | None = None, **defines: object) -> None:
        self.workdir = workdir / f"kamailio-{uuid.uuid4().hex[:6]}"
        self.workdir.mkdir(parents=True)
        self.port = port or free_port()
        self.defines = {"SIP_PORT": self.port, **defines}
        self.config = self.workdir / config.name
        text = config.read_text(encoding="utf-8")
        if accounts is not None:
            lines = "\n".join(f'\t$sht(accounts=>{user}) = "{password}";' for user, password in accounts.items())
            text, n = _ACCOUNTS.subn(lambda m: m.group(1) + lines + m.group(3), text)
            assert n == 1, f"{config} has no accounts block to fill in"
        for old, new in (replace or {}).items():
            assert old in text, f"{config} no longer contains {old!r}"
            text = text.replace(old, new)
        self.config.write_text(text, encoding="utf-8")
        self.log = self.workdir / "kamailio.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout_s: float = 15.0) -> None:
        binary = kamailio_binary()
        assert binary, "kamailio is not installed"
        args = [binary, "-f", str(self.config), "-DD", "-E", "-Y", str(self.workdir), "-w", str(self.workdir)]
        for name, value in self.defines.items():
            args += ["-A", f"{name}={value}"]
        self.starts += 1
        with open(self.log, "ab") as out:
            out.write(f"--- start {self.starts}\n".encode())
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=self.workdir,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kamailio exited ({self.proc.returncode}):\n{self.tail()}")
            if options_ping(self.port):
                return
        self.stop()
        raise RuntimeError(f"kamailio did not answer on port {self.port}:\n{self.tail()}")

    def stop(self, timeout_s: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: the main process and its children
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout_s)
        # the children may outlive the main process by a moment: wait until the port is free again
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and options_ping(self.port, 0.1):
            time.sleep(0.1)

    def restart(self) -> None:
        self.stop()
        self.start()

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def lines(self, pattern: str) -> list[str]:
        """Log lines matching the regular expression `pattern`."""
        rx = re.compile(pattern)
        return [line for line in self.log.read_text(errors="replace").splitlines() if rx.search(line)]
