"""SIP line tests: sipp (Debian sip-tester) is the real peer on loopback; the line binds random free
ports. Fast tier: fake speech sessions / the keypad flow. `models` tier: the packaged models end to end.
Helpers live in sipmedia.py (G.711, pcap, RTP peer) and sippkit.py (scenario runner)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

import numpy as np
import pytest

from receptionist.audio.pcm import AudioChunk
from receptionist.config import load_config
from receptionist.config.sip import SipConfig

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
SILERO = MODELS / "silero" / "silero_vad.onnx"
WHISPER = MODELS / "whisper-base"
PIPER_EN = MODELS / "piper" / "en_US-joe-medium.onnx"


@pytest.fixture
def need_sip_tools() -> None:
    if shutil.which("sipp") is None:
        pytest.skip("sipp is not installed (Debian package sip-tester)")
    pytest.importorskip("pjsua2")


def english_config(tmp_path: Path):
    """The bundled pet-hotel config, English by default, its calendar in tmp_path."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^data_dir = .*$', 'data_dir = "data"', text)
    text = re.sub(r'(?m)^database = .*$', 'database = "data/receptionist.db"', text)
    text = re.sub(r'(?m)^default_language = .*$', 'default_language = "en"', text)
    text = re.sub(r'(?m)^knowledge_dir = "([^"]*)"', lambda m: f'knowledge_dir = "{ROOT / m.group(1)}"', text)
    text = re.sub(r'(?m)^model_path = "(models/[^"]*)"', lambda m: f'model_path = "{ROOT / m.group(1)}"', text)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def sip_config(**overrides: Any) -> SipConfig:
    base = dict(enabled=True, port=0, rtp_port=0, max_calls=2)
    base.update(overrides)
    return SipConfig(**base)


class FakeAgent:
    """Brain protocol + end_session; scripted replies."""

    def __init__(self, replies: list[Any] | None = None) -> None:
        self.replies = list(replies or [])
        self.ended: list[str] = []
        self.handled: list[str] = []

    async def greeting(self, session_id: str, tenant_id: str, channel: str, *, caller_id: str | None = None):
        from receptionist.events import AgentReply
        return AgentReply(session_id, "en", ("Hello.",), "greeting")

    async def handle(self, msg, *, on_holding=None):
        self.handled.append(msg.text)
        return self.replies.pop(0)

    async def note_heard(self, session_id: str, heard_text: str) -> None:
        pass

    async def end_session(self, session_id: str) -> None:
        self.ended.append(session_id)


class FakeCallbacks:
    def __init__(self) -> None:
        self.stored: list[dict[str, Any]] = []

    async def add_callback(self, tenant_id: str, **kw: Any) -> int:
        self.stored.append({"tenant_id": tenant_id, **kw})
        return len(self.stored)


class ToneSession:
    """A stand-in for VoiceSession: says a `seconds`-long `freq` Hz tone (the 'greeting'), then listens
    until the source ends. Records the caller frames that arrived (`heard`, at the line's rate) and
    whether it was cancelled."""

    instances: list["ToneSession"] = []

    def __init__(self, sink, seconds: float = 1.0, freq: float = 440.0, caller_id: str | None = None) -> None:
        self.sink, self.seconds, self.freq, self.caller_id = sink, seconds, freq, caller_id
        self.frames = 0
        self.heard: list[np.ndarray] = []
        self.cancelled = False
        self.finished = False
        ToneSession.instances.append(self)

    async def run(self, source: AsyncIterator[AudioChunk]) -> None:
        rate = self.sink.sample_rate
        t = np.arange(int(self.seconds * rate)) / rate
        self.sink.write(AudioChunk((0.3 * np.sin(2 * np.pi * self.freq * t)).astype(np.float32), rate))
        try:
            async for chunk in source:
                self.frames += 1
                self.heard.append(chunk.samples)
            self.finished = True
        except asyncio.CancelledError:
            self.cancelled = True
            raise


def tone_sessions(seconds: float = 1.0, freqs: dict[str | None, float] | None = None):
    """Sessions saying a tone; `freqs` picks its pitch by caller id (440 Hz otherwise)."""
    def make(call, brain, sink, on_event):
        return ToneSession(sink, seconds, (freqs or {}).get(call.caller_id, 440.0), call.caller_id)
    return make


def tone(seconds: float, freq: float = 300.0, rate: int = 8000) -> AudioChunk:
    t = np.arange(int(seconds * rate)) / rate
    return AudioChunk((0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate)


def tone_level(samples: np.ndarray, rate: int, freq: float) -> float:
    """Amplitude of the `freq` Hz component of `samples` (0.3 for the tones above, ~0 when absent)."""
    if len(samples) == 0:
        return 0.0
    t = np.arange(len(samples)) / rate
    return float(2 * abs(np.dot(samples.astype(np.float64), np.exp(-2j * np.pi * freq * t))) / len(samples))


@asynccontextmanager
async def running_line(cfg: SipConfig, agent: Any, callbacks: Any, tenant: Any, sessions: Any,
                       events: list | None = None, **kw: Any):
    from receptionist.channels.sip.line import SipLine

    line = SipLine(cfg, agent, callbacks=callbacks, tenant=tenant, sessions=sessions,
                   on_event=(lambda kind, ev: events.append(ev)) if events is not None else None, **kw)
    await line.start()
    try:
        yield line
    finally:
        await asyncio.wait_for(line.stop(), 15)


async def until(predicate, timeout_s: float = 10.0, step_s: float = 0.05) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(step_s)
    return True


@pytest.fixture
def tenant(tmp_path: Path):
    return english_config(tmp_path).default_tenant


@pytest.fixture
def brain(tmp_path: Path):
    """(AppConfig, Brain): the English pet hotel's real agent (rules only, no LLM), closed after."""
    from receptionist.app import build_brain
    from receptionist.clock import SystemClock

    config = english_config(tmp_path)
    made = build_brain(config, clock=SystemClock(), model=None)
    yield config, made
    made.close()


@pytest.fixture(scope="session")
def sip_engines():
    """(VoiceConfig, VoiceEngines) with the real models, loaded once for the session."""
    missing = [p for p in (SILERO, WHISPER / "model.bin", PIPER_EN) if not p.exists()]
    if missing:
        pytest.skip(f"model files absent: {missing}")
    from receptionist.config.turn import TurnConfig
    from receptionist.config.voice import SttConfig, TtsConfig, VadConfig, VoiceChoice, VoiceConfig
    from receptionist.app import build_voice_engines

    smart_turn = SILERO.parent.parent / "smart-turn" / "smart-turn-v3.2-cpu.onnx"
    cfg = VoiceConfig(vad=VadConfig(model_path=SILERO), stt=SttConfig(model_dir=WHISPER),
                      tts=TtsConfig(voices={"en": VoiceChoice("piper", model=PIPER_EN),
                                            "et": VoiceChoice("espeak", voice="et"),
                                            "ru": VoiceChoice("espeak", voice="ru")}),
                      turn=TurnConfig(model_path=smart_turn) if smart_turn.exists() else TurnConfig(model="off"))
    engines = build_voice_engines(cfg, ("en", "et", "ru"), warm=True)
    yield cfg, engines
    engines.close()
