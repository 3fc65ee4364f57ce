"""Helpers shared by the voice tests (imported as `voicekit`; pytest puts this folder on sys.path)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from receptionist.audio.pcm import AudioChunk, read_wav

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
SILERO = MODELS / "silero" / "silero_vad.onnx"
WHISPER = MODELS / "whisper-base"
PIPER_EN = MODELS / "piper" / "en_US-joe-medium.onnx"
SMART_TURN = MODELS / "smart-turn" / "smart-turn-v3.2-cpu.onnx"


def need(*paths: Path) -> None:
    missing = [str(p.relative_to(ROOT)) for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"model files absent: {', '.join(missing)} (install them with scripts/setup)")


def need_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")


def espeak(text: str, voice: str, tmp_path: Path, rate: int | None = None) -> AudioChunk:
    """Caller audio from espeak-ng at a slow rate (at 175 wpm Whisper base hears espeak Estonian as
    Finnish or English). Language ID of robotic espeak Russian is fragile at any rate: keep the
    sentences the tests use, they were checked."""
    need_espeak()
    rate = rate or 130
    out = tmp_path / f"espeak-{voice}-{abs(hash(text))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), text], check=True)
    return read_wav(out)


def assert_no_leaked_tasks() -> None:
    """Call at the end of an async test: only the test's own task may still exist."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert not others, f"leaked tasks: {others}"


def silence(seconds: float, rate: int = 16000) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)
