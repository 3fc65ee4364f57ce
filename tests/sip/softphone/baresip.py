"""A real softphone as the caller: Debian's baresip, headless on loopback, driven over its `ctrl_tcp`
JSON interface. Its microphone is a WAV file (`aufile` module; `use_source` switches it mid-call, so a
caller can take turns), and what it hears is written by the `sndfile` filter (decoded audio, one WAV
per audio stream set-up: `heard()` joins them).

    async with Baresip(tmp_path, codecs=("G722/16000", "PCMU/8000")) as phone:
        await phone.use_source(wav)              # 16 kHz mono s16 WAV, silence-padded (see `pad`)
        await phone.dial(f"sip:reception@127.0.0.1:{line.port}")
        await phone.wait_event("CALL_ESTABLISHED")
        ... phone.hold() / resume() / dtmf("5") / hangup()
        heard = phone.heard()                    # AudioChunk at the codec's rate

baresip 1.0 ends a call on its own when the source WAV runs out ("end of file"), so every source is
padded with a long silence and the next one is switched in before it ends. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import wave
from pathlib import Path
from typing import Any

import numpy as np

from receptionist.audio.pcm import AudioChunk, float_to_pcm16
from receptionist.audio.resample import resample

SOURCE_RATE = 16000  # baresip's microphone side (ausrc_srate); it resamples to the codec's rate
MODULES = "/usr/lib/baresip/modules"


def baresip_available() -> bool:
    return shutil.which("baresip") is not None and Path(MODULES, "aufile.so").exists()


def _free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _free_rtp_port() -> int:
    """An even free UDP port whose successor (RTCP) is free too."""
    for _ in range(50):
        port = _free_port(socket.SOCK_DGRAM)
        if port % 2 == 0 and port < 65534:
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                    s.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue
    raise RuntimeError("no free RTP port pair")


def write_wav(path: Path, audio: AudioChunk, pad_s: float = 0.0, lead_s: float = 0.0) -> Path:
    """`audio` as a 16 kHz mono 16-bit WAV (what baresip's aufile reads), with `lead_s` of silence before
    and `pad_s` after (the file must outlast the time until the next `use_source`)."""
    samples = resample(audio, SOURCE_RATE).samples.astype(np.float32)
    silence = lambda s: np.zeros(int(s * SOURCE_RATE), np.float32)  # noqa: E731
    pcm = float_to_pcm16(np.concatenate([silence(lead_s), samples, silence(pad_s)]))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SOURCE_RATE)
        w.writeframes(pcm)
    return path


def read_wav(path: Path) -> AudioChunk:
    with wave.open(str(path), "rb") as w:
        rate, data = w.getframerate(), w.readframes(w.getnframes())
    return AudioChunk(np.frombuffer(data, "<i2").astype(np.float32) / 32767.0, rate)


class BaresipError(RuntimeError):
    pass


class Baresip:
    """One baresip process with its own config folder under `workdir`. `codecs` are offered in order
    (baresip names with their rate: "G722/16000", "PCMU/8000", "PCMA/8000").

    The account is `<sip:{user}@{domain}>;{account}`: by default it does not register (regint=0) and
    dials the appliance directly. Through a PBX, e.g. `domain="127.0.0.1:5070",
    account='auth_pass=secret;outbound="sip:127.0.0.1:5070;lr";regint=60'`, then wait until the registrar
    has the registration before dialling (its log, as tests/sip/pbx/test_pbx_softphone.py does): baresip
    registers as it starts, usually before the control connection is up, so its REGISTER_OK event is
    missed."""

    def __init__(self, workdir: Path, *, codecs: tuple[str, ...] = ("G722/16000", "PCMU/8000"),
                 user: str = "caller", domain: str = "127.0.0.1", account: str = "regint=0",
                 log_name: str = "baresip.log", rtp_ports: int = 8) -> None:
        self.dir = workdir / "baresip"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.records = self.dir / "heard"
        self.records.mkdir(exist_ok=True)
        self.codecs, self.user, self.domain, self.account = codecs, user, domain, account
        self.sip_port = _free_port(socket.SOCK_DGRAM)
        self.ctrl_port = _free_port(socket.SOCK_STREAM)
        # RTP ports: `rtp_ports` from rtp_port on (baresip picks one at random); with 2, every call's RTP
        # arrives at rtp_port (a capture can listen there), but only one call at a time can have media
        self.rtp_port = _free_rtp_port()
        self._rtp_last = self.rtp_port + max(2, rtp_ports) - 1
        self.log_path = workdir / log_name
        self.events: list[dict[str, Any]] = []
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._pump: asyncio.Task[None] | None = None
        self._responses: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._changed = asyncio.Event()
        self._silence = write_wav(self.dir / "silence.wav", AudioChunk(np.zeros(1, np.float32), SOURCE_RATE),
                                  pad_s=600.0)

    # ---- lifecycle --------------------------------------------------------------------------------
    def _write_config(self) -> None:
        config = f"""poll_method epoll
sip_listen 127.0.0.1:{self.sip_port}
call_local_timeout 120
call_max_calls 4
audio_player
audio_source aufile,{self._silence}
audio_alert
ausrc_srate {SOURCE_RATE}
audio_buffer 20-160
jitter_buffer_delay 1-10
rtp_ports {self.rtp_port}-{self._rtp_last}
rtp_timeout 0
module_path {MODULES}
module g722.so
module g711.so
module sndfile.so
module aufile.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}
snd_path {self.records}
"""
        (self.dir / "config").write_text(config)
        codecs = ",".join(self.codecs)
        (self.dir / "accounts").write_text(f"<sip:{self.user}@{self.domain}>;{self.account};audio_codecs={codecs}\n")
        (self.dir / "contacts").write_text("")

    async def start(self, timeout_s: float = 10.0) -> "Baresip":
        self._write_config()
        log = self.log_path.open("wb")
        self._proc = await asyncio.create_subprocess_exec(
            "baresip", "-f", str(self.dir), "-v", stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            try:
                self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.ctrl_port)
                break
            except OSError:
                if self._proc.returncode is not None or loop.time() > deadline:
                    raise BaresipError(f"baresip did not start: {self.log_tail()}") from None
                await asyncio.sleep(0.1)
        self._pump = asyncio.create_task(self._read_messages(), name="baresip-ctrl")
        return self

    async def stop(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)
        if self._writer is not None:
            self._writer.close()
        if self._proc is not None and self._proc.returncode is None:
            self._proc.terminate()
            try:
                await asyncio.wait_for(self._proc.wait(), 5)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()

    async def __aenter__(self) -> "Baresip":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # ---- the control channel (netstrings of JSON) -------------------------------------------------
    async def _read_messages(self) -> None:
        assert self._reader is not None
        while True:
            size = await self._reader.readuntil(b":")
            body = await self._reader.readexactly(int(size[:-1]) + 1)  # + the trailing ","
            message = json.loads(body[:-1])
            if message.get("event"):
                self.events.append(message)
                self._changed.set()
            elif message.get("response"):
                self._responses.put_nowait(message)

    async def command(self, command: str, params: str = "", timeout_s: float = 5.0) -> str:
        """Run a baresip command (as typed in its menu: "dial", "hold", "ausrc", ...); returns its output."""
        assert self._writer is not None
        data = json.dumps({"command": command, "params": params, "token": command}).encode()
        self._writer.write(b"%d:%s," % (len(data), data))
        await self._writer.drain()
        reply = await asyncio.wait_for(self._responses.get(), timeout_s)
        if not reply.get("ok", False):
            raise BaresipError(f"{command} {params}: {reply.get('data')}")
        return str(reply.get("data", ""))

    async def wait_event(self, kind: str, timeout_s: float = 15.0, after: int = 0) -> dict[str, Any]:
        """The first event of type `kind` (e.g. "CALL_ESTABLISHED", "CALL_CLOSED") among those from index
        `after` on; raises TimeoutError (with baresip's log) when none comes in `timeout_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            for event in self.events[after:]:
                if event.get("type") == kind:
                    return event
            self._changed.clear()
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"baresip: no {kind} in {timeout_s} s; events "
                                   f"{[e.get('type') for e in self.events]}\n{self.log_tail()}")
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                pass

    def closed(self) -> bool:
        return any(e.get("type") == "CALL_CLOSED" for e in self.events)

    # ---- call actions -------------------------------------------------------------------------------
    async def dial(self, uri: str) -> None:
        await self.command("dial", uri)

    async def hangup(self) -> None:
        await self.command("hangup")

    async def hold(self) -> None:
        """re-INVITE with a=sendonly."""
        await self.command("hold")

    async def resume(self) -> None:
        """re-INVITE with a=sendrecv."""
        await self.command("resume")

    async def dtmf(self, keys: str, gap_s: float = 0.3) -> None:
        """Key presses as RFC 2833 telephone-events."""
        for key in keys:
            await self.command("sndcode", key)
            await asyncio.sleep(gap_s)

    async def use_source(self, wav: Path) -> None:
        """Switch the microphone to `wav` now (it plays from its start)."""
        await self.command("ausrc", f"aufile,{wav}")

    async def quiet(self) -> None:
        await self.use_source(self._silence)

    # ---- what the caller heard -----------------------------------------------------------------------
    def heard(self) -> AudioChunk:
        """Everything decoded from the appliance's RTP, in order (one file per stream set-up; a hold
        starts a new one), at the codec's rate. baresip names the files by the second: a set-up within
        the same second as the previous one overwrites it, so let a second pass between them."""
        parts = [read_wav(p) for p in sorted(self.records.glob("*-dec.wav"), key=lambda p: p.stat().st_mtime_ns)]
        parts = [p for p in parts if len(p.samples)]
        if not parts:
            return AudioChunk(np.zeros(0, np.float32), SOURCE_RATE)
        rate = parts[0].sample_rate
        return AudioChunk(np.concatenate([resample(p, rate).samples for p in parts]), rate)
