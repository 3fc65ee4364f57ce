"""Measures of audio a test hears: tones, where the energy lies, how long something was audible."""

from __future__ import annotations

import numpy as np

from receptionist.audio.pcm import AudioChunk


def tone(seconds: float, freq: float, rate: int, level: float = 0.3) -> AudioChunk:
    t = np.arange(int(seconds * rate)) / rate
    return AudioChunk((level * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate)


def band_energy(audio: AudioChunk, low_hz: float, high_hz: float) -> float:
    """The share (0..1) of the audio's energy between `low_hz` and `high_hz`; 0.0 for silence."""
    spectrum = np.abs(np.fft.rfft(audio.samples.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(audio.samples), 1.0 / audio.sample_rate)
    total = float(spectrum.sum())
    if total <= 1e-9:
        return 0.0
    return float(spectrum[(freqs >= low_hz) & (freqs <= high_hz)].sum()) / total


def voiced_seconds(audio: AudioChunk, threshold: float = 0.05, frame_s: float = 0.02) -> float:
    """How many seconds of `audio` are louder than `threshold` (RMS of 20 ms frames)."""
    n = int(audio.sample_rate * frame_s)
    frames = len(audio.samples) // n
    if frames == 0:
        return 0.0
    rms = np.sqrt(np.mean(audio.samples[: frames * n].reshape(frames, n) ** 2, axis=1))
    return float(np.count_nonzero(rms > threshold)) * frame_s
