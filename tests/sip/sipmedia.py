"""Test-side media: G.711 µ-law, pcap files for sipp's play_pcap_audio, and a UDP RTP peer that
records what the bot sends (and can speak for the caller, taking turns like a polite person)."""

from __future__ import annotations

import asyncio
import random
import struct
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample

RATE = 8000
FRAME = 160  # 20 ms at 8 kHz
PT_PCMU = 0
PT_DTMF = 101


# ---- G.711 µ-law ------------------------------------------------------------------------------
def ulaw_encode(samples: np.ndarray) -> bytes:
    x = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int32)
    sign = np.where(x < 0, 0x80, 0)
    x = np.minimum(np.abs(x), 32635) + 0x84
    exponent = np.floor(np.log2(x)).astype(np.int32) - 7
    mantissa = (x >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8).tobytes()


def ulaw_decode(data: bytes) -> np.ndarray:
    u = ~np.frombuffer(data, dtype=np.uint8).astype(np.int32) & 0xFF
    sign, exponent, mantissa = u & 0x80, (u >> 4) & 0x07, u & 0x0F
    x = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return (np.where(sign != 0, -x, x) / 32768.0).astype(np.float32)


def rtp_packet(pt: int, seq: int, ts: int, ssrc: int, payload: bytes, marker: bool = False) -> bytes:
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + payload


# ---- pcap for sipp ----------------------------------------------------------------------------
def _ip_udp(payload: bytes, sport: int = 6000, dport: int = 6002) -> bytes:
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    words = struct.unpack("!10H", header)
    csum = sum(words)
    csum = (csum & 0xFFFF) + (csum >> 16)
    csum = ~((csum & 0xFFFF) + (csum >> 16)) & 0xFFFF
    header = header[:10] + struct.pack("!H", csum) + header[12:]
    return b"\x00" * 12 + b"\x08\x00" + header + udp  # Ethernet: zero MACs, IPv4


def write_pcap(path: Path, packets: list[tuple[float, bytes]]) -> Path:
    """packets: (seconds from start, RTP bytes) -> a libpcap file sipp can replay."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for at, rtp in packets:
        frame = _ip_udp(rtp)
        sec, usec = 1_700_000_000 + int(at), int(round((at % 1) * 1e6))
        out.append(struct.pack("<IIII", sec, min(usec, 999_999), len(frame), len(frame)) + frame)
    path.write_bytes(b"".join(out))
    return path


def pcmu_packets(audio: AudioChunk, start_s: float = 0.0, seq: int = 1, ssrc: int = 0x1234) -> list[tuple[float, bytes]]:
    pcm = resample(audio, RATE).samples
    pcm = np.concatenate([pcm, np.zeros((-len(pcm)) % FRAME, dtype=np.float32)])
    packets = []
    for i in range(len(pcm) // FRAME):
        payload = ulaw_encode(pcm[i * FRAME:(i + 1) * FRAME])
        packets.append((start_s + i * 0.02, rtp_packet(PT_PCMU, seq + i, i * FRAME, ssrc, payload, marker=i == 0)))
    return packets


def pcap_from_audio(path: Path, audio: AudioChunk, lead_silence_s: float = 0.0, tail_silence_s: float = 0.5) -> Path:
    """The caller's side of a call as a G.711 PCMU pcap (the helper sipp's play_pcap_audio needs)."""
    clip = np.concatenate([np.zeros(int(lead_silence_s * audio.sample_rate), np.float32), audio.samples,
                           np.zeros(int(tail_silence_s * audio.sample_rate), np.float32)])
    return write_pcap(path, pcmu_packets(AudioChunk(clip, audio.sample_rate)))


def ulaw_file(path: Path, audio: AudioChunk, tail_silence_s: float = 0.5) -> Path:
    """Raw 8 kHz µ-law (no header) for sipp's `rtp_stream` action. sipp streams it from its media socket
    (the port in its SDP), so the bot's RTP comes back there and can be captured. (A pcap replayed with
    play_pcap_audio goes out with source port 0 and pjmedia latches its RTP onto that address.)"""
    pcm = resample(audio, RATE).samples
    path.write_bytes(ulaw_encode(np.concatenate([pcm, np.zeros(int(tail_silence_s * RATE), np.float32)])))
    return path


def dtmf_packets(digit: str, start_s: float = 0.0, seq: int = 1, ssrc: int = 0x4321,
                 duration_ms: int = 200) -> list[tuple[float, bytes]]:
    """RFC 2833 telephone-event packets for one key press (marker first, three end packets)."""
    event = "0123456789*#ABCD".index(digit.upper())
    packets, ts = [], 8000
    steps = duration_ms // 20
    for i in range(steps):
        payload = struct.pack("!BBH", event, 10, (i + 1) * FRAME)
        packets.append((start_s + i * 0.02, rtp_packet(PT_DTMF, seq + i, ts, ssrc, payload, marker=i == 0)))
    for j in range(3):
        payload = struct.pack("!BBH", event, 0x80 | 10, steps * FRAME)
        packets.append((start_s + (steps + j) * 0.02, rtp_packet(PT_DTMF, seq + steps + j, ts, ssrc, payload)))
    return packets


# ---- a live RTP peer ----------------------------------------------------------------------------
@dataclass
class Received:
    at: float  # time.monotonic() on arrival
    samples: np.ndarray  # 160 float32 samples


@dataclass
class RtpPeer(asyncio.DatagramProtocol):
    """Binds 127.0.0.1:<free port>; records PCMU from the bot; `speak()` sends audio back to wherever
    the bot's RTP comes from, paced at 20 ms. After `keep_sending()` it sends a frame every 20 ms for the
    rest of the call, silence when there is nothing to say, as a phone does (the line hangs up on a
    caller whose RTP stops for `media_timeout_s`)."""

    received: list[Received] = field(default_factory=list)
    transport: asyncio.DatagramTransport | None = None
    remote: tuple[str, int] | None = None
    port: int = 0
    seq: int = field(default_factory=lambda: random.randint(0, 30000))
    ts: int = 0
    sent_until: float = 0.0  # time.monotonic() when our last sent speech frame went out
    _pending: deque = field(default_factory=deque)  # frames queued for the transmitter
    _drained: asyncio.Event = field(default_factory=asyncio.Event)
    _transmitter: "asyncio.Task[None] | None" = None

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if len(data) < 12 or data[1] & 0x7F != PT_PCMU:
            return
        self.remote = addr
        self.received.append(Received(time.monotonic(), ulaw_decode(data[12:])))

    async def open(self) -> "RtpPeer":
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=("127.0.0.1", 0))
        self.port = self.transport.get_extra_info("sockname")[1]
        return self

    def close(self) -> None:
        if self._transmitter is not None:
            self._transmitter.cancel()
        if self.transport is not None:
            self.transport.close()

    async def wait_remote(self, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self.remote is None:
            if time.monotonic() > deadline:
                raise TimeoutError("no RTP from the bot")
            await asyncio.sleep(0.02)

    def keep_sending(self) -> None:
        """From now on send RTP every 20 ms (once the bot's address is known): queued speech, else silence."""
        if self._transmitter is None:
            self._transmitter = asyncio.get_running_loop().create_task(self._transmit())

    async def _transmit(self) -> None:
        await self.wait_remote(60.0)
        silence = np.zeros(FRAME, dtype=np.float32)
        t0, sent = time.monotonic(), 0
        while True:
            if self._pending:
                self._send(self._pending.popleft())
                self.sent_until = time.monotonic()
                if not self._pending:
                    self._drained.set()
            else:
                self._send(silence)
            sent += 1
            await asyncio.sleep(max(0.0, t0 + sent * 0.02 - time.monotonic()))

    async def speak(self, audio: AudioChunk) -> None:
        """Send a clip in real time (20 ms frames); returns when its last frame went out."""
        await self.wait_remote()
        pcm = resample(audio, RATE).samples
        pcm = np.concatenate([pcm, np.zeros((-len(pcm)) % FRAME, dtype=np.float32)])
        if self._transmitter is not None:
            self._drained.clear()
            self._pending.extend(pcm[i * FRAME:(i + 1) * FRAME] for i in range(len(pcm) // FRAME))
            await self._drained.wait()
            return
        t0 = time.monotonic()
        for i in range(len(pcm) // FRAME):
            self._send(pcm[i * FRAME:(i + 1) * FRAME])
            self.sent_until = time.monotonic()
            delay = t0 + (i + 1) * 0.02 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

    def _send(self, frame: np.ndarray) -> None:
        assert self.transport is not None and self.remote is not None
        self.transport.sendto(rtp_packet(PT_PCMU, self.seq, self.ts, 0xC0FFEE, ulaw_encode(frame)), self.remote)
        self.seq += 1
        self.ts += FRAME

    async def keep_talking_silence(self, stop: asyncio.Event) -> None:
        """Send silence every 20 ms until `stop` (a phone keeps sending RTP)."""
        await self.wait_remote()
        silence = np.zeros(FRAME, dtype=np.float32)
        while not stop.is_set():
            self._send(silence)
            await asyncio.sleep(0.02)

    # ---- analysis -------------------------------------------------------------------------------
    def audio(self, since: float = 0.0) -> AudioChunk:
        frames = [r.samples for r in self.received if r.at >= since]
        return AudioChunk(np.concatenate(frames) if frames else np.zeros(0, np.float32), RATE)

    def first_voice_after(self, since: float, threshold: float = 0.02) -> float | None:
        for r in self.received:
            if r.at >= since and float(np.sqrt(np.mean(r.samples ** 2))) > threshold:
                return r.at
        return None

    def quiet_for(self, seconds: float, threshold: float = 0.02) -> bool:
        """The bot's audio has been silent (or absent) for the last `seconds`."""
        now = time.monotonic()
        recent = [r for r in self.received if r.at >= now - seconds]
        return all(float(np.sqrt(np.mean(r.samples ** 2))) <= threshold for r in recent)


# ---- capture on the loopback interface (dumpcap from the tshark packages) -------------------------
class LoopbackCapture:
    """Records UDP packets to `port` on lo while the `async with` block runs; `audio()` decodes the
    PCMU RTP among them (what the bot sent to sipp's media port, after RTP latching)."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.proc: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> "LoopbackCapture":
        import shutil

        exe = shutil.which("dumpcap")
        if exe is None:
            import pytest

            pytest.skip("dumpcap (Debian tshark) is not installed")
        self.proc = await asyncio.create_subprocess_exec(
            exe, "-i", "lo", "-f", f"udp dst port {self.port}", "-w", str(self.path), "-P", "-q",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not (self.path.exists() and self.path.stat().st_size >= 24):
            if time.monotonic() > deadline or self.proc.returncode is not None:
                raise RuntimeError("dumpcap did not start capturing")
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            await asyncio.sleep(0.3)
            self.proc.terminate()
            await asyncio.wait_for(self.proc.wait(), 10)

    def rtp(self) -> list[tuple[float, int, bytes]]:
        """(capture time, RTP payload type, payload) per packet."""
        data = self.path.read_bytes()
        magic = struct.unpack("<I", data[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        link = struct.unpack(endian + "I", data[20:24])[0]
        offset, out = 24, []
        while offset + 16 <= len(data):
            sec, usec, incl, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
            frame = data[offset + 16:offset + 16 + incl]
            offset += 16 + incl
            ip = frame[14:] if link == 1 else frame[16:] if link == 113 else frame[4:]
            if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            udp = ip[(ip[0] & 0x0F) * 4:]
            rtp = udp[8:]
            if len(rtp) > 12 and rtp[0] >> 6 == 2:
                out.append((sec + usec / 1e6, rtp[1] & 0x7F, rtp[12:]))
        return out

    def audio(self) -> AudioChunk:
        payloads = [p for _, pt, p in self.rtp() if pt == PT_PCMU]
        return AudioChunk(ulaw_decode(b"".join(payloads)) if payloads else np.zeros(0, np.float32), RATE)
