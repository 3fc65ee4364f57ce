"""Re-chunk a stream of arbitrary-length chunks into fixed-size frames (e.g. 512-sample VAD windows)."""

from __future__ import annotations

import numpy as np

from receptionist.audio.pcm import AudioChunk


class Framer:
    def __init__(self, frame_size: int, sample_rate: int) -> None:
        if frame_size <= 0:
            raise ValueError("frame_size must be positive")
        self.frame_size = frame_size
        self.sample_rate = sample_rate
        self._pending = np.zeros(0, dtype=np.float32)

    @property
    def frame_s(self) -> float:
        return self.frame_size / self.sample_rate

    def push(self, chunk: AudioChunk) -> list[AudioChunk]:
        if chunk.sample_rate != self.sample_rate:
            raise ValueError(f"Framer expects {self.sample_rate} Hz (got {chunk.sample_rate} Hz)")
        data = np.concatenate([self._pending, chunk.samples]) if len(self._pending) else chunk.samples
        n = len(data) // self.frame_size
        frames = [AudioChunk(data[i * self.frame_size:(i + 1) * self.frame_size].copy(), self.sample_rate)
                  for i in range(n)]
        self._pending = data[n * self.frame_size:].copy()
        return frames

    def flush(self) -> AudioChunk | None:
        """The last partial frame, zero-padded; None if nothing is pending."""
        if not len(self._pending):
            return None
        frame = np.zeros(self.frame_size, dtype=np.float32)
        frame[:len(self._pending)] = self._pending
        self._pending = np.zeros(0, dtype=np.float32)
        return AudioChunk(frame, self.sample_rate)


def split_frames(chunk: AudioChunk, frame_s: float) -> list[AudioChunk]:
    """Cut a clip into frames of `frame_s` seconds (the last one may be shorter)."""
    step = max(1, int(round(frame_s * chunk.sample_rate)))
    return [AudioChunk(chunk.samples[i:i + step], chunk.sample_rate) for i in range(0, len(chunk), step)]
