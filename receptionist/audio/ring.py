"""Ring buffers.

- `AudioHistory`: the last N seconds of caller audio addressed by stream time, so an utterance can be
  cut out with a pre-roll (the first syllable is never lost) after the VAD has decided it started.
- `PlayoutRing`: a thread-safe FIFO between the asyncio side and a device/media callback thread
  (sounddevice, SIP media port). `clear()` drops everything at once; `played` counts what went out.
"""

from __future__ import annotations

import threading

import numpy as np

from receptionist.audio.pcm import AudioChunk


class AudioHistory:
    def __init__(self, seconds: float, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._cap = max(1, int(seconds * sample_rate))
        self._buf = np.zeros(self._cap, dtype=np.float32)
        self._total = 0  # samples ever appended == stream position of the next sample

    @property
    def end_s(self) -> float:
        return self._total / self.sample_rate

    @property
    def start_s(self) -> float:
        return max(0, self._total - self._cap) / self.sample_rate

    def append(self, samples: np.ndarray) -> None:
        n = len(samples)
        if n >= self._cap:
            self._buf[:] = samples[-self._cap:]
            self._total += n
            # keep the ring aligned: position of sample k is k % cap
            self._buf = np.roll(self._buf, self._total % self._cap)
            return
        pos = self._total % self._cap
        first = min(n, self._cap - pos)
        self._buf[pos:pos + first] = samples[:first]
        self._buf[:n - first] = samples[first:]
        self._total += n

    def slice(self, start_s: float, end_s: float) -> AudioChunk:
        """Audio between two stream times, clamped to what is still held."""
        lo = max(int(round(start_s * self.sample_rate)), self._total - self._cap, 0)
        hi = min(int(round(end_s * self.sample_rate)), self._total)
        if hi <= lo:
            return AudioChunk(np.zeros(0, dtype=np.float32), self.sample_rate)
        idx = np.arange(lo, hi) % self._cap
        return AudioChunk(self._buf[idx].copy(), self.sample_rate)


class PlayoutRing:
    """FIFO of samples for a callback-driven output; safe to use from two threads."""

    def __init__(self, sample_rate: int, max_seconds: float = 120.0) -> None:
        self.sample_rate = sample_rate
        self._lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._queued = 0
        self._max = int(max_seconds * sample_rate)
        self.played = 0  # samples handed to the device

    def write(self, samples: np.ndarray) -> None:
        with self._lock:
            if self._queued + len(samples) > self._max:
                raise OverflowError("playout ring is full")
            self._chunks.append(np.asarray(samples, dtype=np.float32))
            self._queued += len(samples)

    def read(self, n: int) -> np.ndarray:
        """Exactly n samples: queued audio first, zero-padded when the queue runs dry."""
        out = np.zeros(n, dtype=np.float32)
        with self._lock:
            filled = 0
            while filled < n and self._chunks:
                head = self._chunks[0]
                take = min(n - filled, len(head))
                out[filled:filled + take] = head[:take]
                filled += take
                if take == len(head):
                    self._chunks.pop(0)
                else:
                    self._chunks[0] = head[take:]
            self._queued -= filled
            self.played += filled
        return out

    def clear(self) -> int:
        with self._lock:
            dropped = self._queued
            self._chunks.clear()
            self._queued = 0
        return dropped

    @property
    def queued(self) -> int:
        with self._lock:
            return self._queued
