"""Audio as data: one frozen chunk type that always carries its sample rate, plus PCM/WAV helpers.

Pure: numpy and the stdlib `wave` module only; no devices, no clocks.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PCM16_MAX = 32767.0


@dataclass(frozen=True, slots=True, eq=False)
class AudioChunk:
    """Mono float32 samples in [-1, 1] at `sample_rate` Hz."""

    samples: np.ndarray
    sample_rate: int

    def __post_init__(self) -> None:
        if self.sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive (got {self.sample_rate})")
        if self.samples.ndim != 1:
            raise ValueError("AudioChunk holds mono audio: a 1-D array")
        if self.samples.dtype != np.float32:
            object.__setattr__(self, "samples", self.samples.astype(np.float32))

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    def __len__(self) -> int:
        return len(self.samples)

    @classmethod
    def silence(cls, seconds: float, sample_rate: int) -> "AudioChunk":
        return cls(np.zeros(int(round(seconds * sample_rate)), dtype=np.float32), sample_rate)

    @classmethod
    def from_pcm16(cls, data: bytes, sample_rate: int) -> "AudioChunk":
        return cls(pcm16_to_float(data), sample_rate)

    def to_pcm16(self) -> bytes:
        return float_to_pcm16(self.samples)


def pcm16_to_float(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / PCM16_MAX


def float_to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * PCM16_MAX).astype("<i2").tobytes()


def concat(chunks: list[AudioChunk], sample_rate: int | None = None) -> AudioChunk:
    """Join chunks that share one sample rate (an empty list needs `sample_rate`)."""
    if not chunks:
        if sample_rate is None:
            raise ValueError("concat of no chunks needs a sample_rate")
        return AudioChunk(np.zeros(0, dtype=np.float32), sample_rate)
    rate = chunks[0].sample_rate
    if any(c.sample_rate != rate for c in chunks):
        raise ValueError("concat: chunks have different sample rates")
    return AudioChunk(np.concatenate([c.samples for c in chunks]), rate)


def rms_dbfs(samples: np.ndarray) -> float:
    if len(samples) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20.0 * np.log10(max(rms, 1e-6))


def read_wav(source: str | Path | bytes) -> AudioChunk:
    """Read a 16-bit PCM WAV (any rate; stereo is averaged to mono)."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
    with handle, wave.open(handle, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"only 16-bit PCM WAV is supported (got {8 * w.getsampwidth()}-bit)")
        rate, channels = w.getframerate(), w.getnchannels()
        samples = pcm16_to_float(w.readframes(w.getnframes()))
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.float32)
    return AudioChunk(samples, rate)


def wav_bytes(chunk: AudioChunk) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(chunk.sample_rate)
        w.writeframes(chunk.to_pcm16())
    return buf.getvalue()


def write_wav(path: str | Path, chunk: AudioChunk) -> None:
    Path(path).write_bytes(wav_bytes(chunk))


def write_wav_multi(path: str | Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write [n, channels] float samples as interleaved 16-bit PCM (e.g. caller left, bot right)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(float_to_pcm16(samples.reshape(-1)))
