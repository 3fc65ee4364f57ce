"""espeak-ng (Debian package) as the fallback voice for languages without a Piper model (et, ru).

Runs the `espeak-ng` binary per sentence (first audio in < 30 ms) and reads the WAV it writes to stdout.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Iterator

import numpy as np

from receptionist.audio.pcm import read_wav
from receptionist.errors import ModelError

if TYPE_CHECKING:
    from receptionist.config.voice import VoiceChoice


class EspeakTts:
    sample_rate = 22050

    def __init__(self, voice: str, *, words_per_minute: int = 160, pitch: int = 50,
                 binary: str = "espeak-ng") -> None:
        exe = shutil.which(binary)
        if exe is None:
            raise ModelError(f"{binary} not found (install the Debian package espeak-ng)", code="model-missing")
        self._cmd = [exe, "-v", voice, "-s", str(words_per_minute), "-p", str(pitch), "--stdout", "--stdin"]
        self.voice = voice

    def synthesize(self, text: str) -> Iterator[np.ndarray]:
        if not text.strip():
            return
        proc = subprocess.run(self._cmd, input=text.encode("utf-8"), capture_output=True, timeout=30, check=False)
        if proc.returncode != 0 or not proc.stdout:
            raise ModelError(f"espeak-ng failed ({proc.returncode}): {proc.stderr[:200]!r}", code="tts-failed")
        chunk = read_wav(_fix_stream_header(proc.stdout))
        self.sample_rate = chunk.sample_rate
        yield chunk.samples


def _fix_stream_header(data: bytes) -> bytes:
    """espeak-ng writes a streaming WAV header (sizes 0x7fffffff); make the sizes match the data."""
    if data[:4] != b"RIFF" or len(data) < 44:
        return data
    fixed = bytearray(data)
    fixed[4:8] = (len(data) - 8).to_bytes(4, "little")
    idx = fixed.find(b"data", 12)
    if idx >= 0:
        fixed[idx + 4:idx + 8] = (len(data) - idx - 8).to_bytes(4, "little")
    return bytes(fixed)


def missing(choice: VoiceChoice) -> str:
    """Why espeak-ng cannot speak here ("" when it can)."""
    return "" if shutil.which("espeak-ng") else "espeak-ng is not installed (Debian package espeak-ng)"


def create(choice: VoiceChoice) -> EspeakTts:
    """The registry's factory (`[tts.<lang>] engine = "espeak"`): `voice` is the espeak-ng voice name
    (the composition root fills in the language code when config gave none)."""
    return EspeakTts(choice.voice or "en", words_per_minute=int(160 * choice.speed))
