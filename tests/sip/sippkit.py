"""Run sipp (Debian sip-tester) against the line on loopback, with a scenario from tests/sip/scenarios
whose @@PLACEHOLDERS@@ are filled in here. Every run is bounded in time."""

from __future__ import annotations

import asyncio
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = Path(__file__).parent / "scenarios"


def sipp_available() -> bool:
    return shutil.which("sipp") is not None


def free_port(kind: int = socket.SOCK_DGRAM, pair: bool = False) -> int:
    """A free UDP port (with `pair`, an even one whose +2 is free too, for sipp's media sockets)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if not pair:
            return port
        if port % 2 == 0 and port + 2 < 65535:
            try:
                with socket.socket(socket.AF_INET, kind) as s2:
                    s2.bind(("127.0.0.1", port + 2))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def play(pcap: Path | None) -> str:
    """Replay a pcap (RTP as captured, e.g. RFC 2833 key presses) into the call."""
    return f'<exec play_pcap_audio="{pcap}"/>' if pcap else ""


def stream(ulaw: Path) -> str:
    """Stream a raw µ-law file from sipp's media port (caller speech; the bot's audio comes back there)."""
    return f'<exec rtp_stream="{ulaw},1,0"/>'


@dataclass
class SippResult:
    returncode: int
    output: str
    errors: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Sipp:
    def __init__(self, workdir: Path, target_port: int, scenarios: Path = SCENARIOS) -> None:
        self.workdir = workdir
        self.target_port = target_port
        self.scenarios = scenarios  # where scenario `name` is read from: <scenarios>/<name>.xml
        self.proc: asyncio.subprocess.Process | None = None
        self.sip_port = 0  # sipp's own SIP port
        self._output: "asyncio.Future[tuple[bytes, bytes]] | None" = None
        self._n = 0

    def scenario(self, name: str, **values: object) -> Path:
        text = (self.scenarios / f"{name}.xml").read_text()
        values.setdefault("caller", "+3725551234")
        values.setdefault("play", "")
        values.setdefault("hold_ms", 1000)
        values.setdefault("bye_timeout_ms", 30000)
        values.setdefault("refer_timeout_ms", 30000)
        values.setdefault("info_digit", "5")
        for key, value in values.items():
            text = text.replace(f"@@{key.upper()}@@", str(value))
        self._n += 1
        path = self.workdir / f"{name}-{self._n}.xml"
        path.write_text(text)
        return path

    async def start(self, name: str, *, rtp_port: int | None = None, media_port: int | None = None,
                    max_s: int = 90, calls: int = 1, limit: int = 1, rate: float | None = None,
                    **values: object) -> None:
        """Start sipp with scenario `name`; it gives up (and fails) after `max_s` seconds. `calls` in all,
        at most `limit` at once, started at `rate` calls a second (sipp's default of 10 when None)."""
        media = media_port or free_port(pair=True)
        values["rtp_port"] = rtp_port or media
        scenario = self.scenario(name, **values)
        self.sip_port = free_port()
        self.proc = await asyncio.create_subprocess_exec(
            "sipp", f"127.0.0.1:{self.target_port}", "-sf", str(scenario), "-m", str(calls), "-l", str(limit),
            *(("-r", f"{rate:g}") if rate else ()),
            "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", str(self.sip_port), "-mp", str(media), "-nostdin",
            "-timeout", f"{max_s}s", "-timeout_error", "-trace_err", "-trace_screen",
            cwd=self.workdir, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        self._output = asyncio.ensure_future(self.proc.communicate())  # drained all along: sipp never blocks

    async def ended(self, timeout_s: float) -> bool:
        """Whether sipp finished (its scenario ended) within `timeout_s`; it keeps running if not."""
        assert self._output is not None
        try:
            await asyncio.wait_for(asyncio.shield(self._output), timeout_s)
        except TimeoutError:
            return False
        return True

    async def wait(self, timeout_s: float = 60.0) -> SippResult:
        assert self.proc is not None and self._output is not None
        if not await self.ended(timeout_s):
            self.proc.kill()
        out, err = await self._output
        logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in self.workdir.glob("*_errors.log"))
        return SippResult(self.proc.returncode or 0, out.decode(errors="replace")[-4000:],
                          err.decode(errors="replace")[-2000:] + logs)

    async def run(self, name: str, *, timeout_s: float = 60.0, rtp_port: int | None = None,
                  media_port: int | None = None, **values: object) -> SippResult:
        await self.start(name, rtp_port=rtp_port, media_port=media_port, **values)
        return await self.wait(timeout_s)

    def hang_up(self) -> None:
        """Scenario `call_or_hangup`: tell sipp to hang up now (it sends the BYE). The word is a NOTIFY
        in its call (sipp names its first call "1-<pid>@<local ip>"), sent straight to its SIP port."""
        assert self.proc is not None
        notify = (f"NOTIFY sip:sipp@127.0.0.1:{self.sip_port} SIP/2.0\r\n"
                  f"Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-hangup-{self.proc.pid}\r\n"
                  f"From: <sip:bench@127.0.0.1>;tag=hangup\r\nTo: <sip:sipp@127.0.0.1>\r\n"
                  f"Call-ID: 1-{self.proc.pid}@127.0.0.1\r\nCSeq: 1 NOTIFY\r\nEvent: hang-up\r\n"
                  f"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(notify.encode(), ("127.0.0.1", self.sip_port))

    def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
