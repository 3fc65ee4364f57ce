"""Audio I/O seams: every channel (mic, SIP at 8 kHz, simulator) plugs in through these.

- An audio *source* is any `AsyncIterator[AudioChunk]` (caller audio, any sample rate).
- An `AudioSink` is where bot audio goes. `write` enqueues and never blocks; `clear_buffer` drops all
  unplayed audio at once (barge-in); `pending_samples` tells how much is queued but not yet played,
  so the playout stage knows what the caller actually heard.
"""

from __future__ import annotations

from typing import AsyncIterator, Protocol, runtime_checkable

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.audio.ring import PlayoutRing
from receptionist.clock import Clock

AudioSource = AsyncIterator[AudioChunk]


@runtime_checkable
class AudioSink(Protocol):
    @property
    def sample_rate(self) -> int: ...

    def write(self, chunk: AudioChunk) -> None: ...

    def clear_buffer(self) -> None: ...

    def pending_samples(self) -> int: ...


class RingSink:
    """Sink for callback-driven outputs (sounddevice, SIP media port): the device thread calls
    `ring.read(n)` for each frame it needs."""

    def __init__(self, sample_rate: int) -> None:
        self._rate = sample_rate
        self.ring = PlayoutRing(sample_rate)

    @property
    def sample_rate(self) -> int:
        return self._rate

    def write(self, chunk: AudioChunk) -> None:
        if chunk.sample_rate != self._rate:
            raise ValueError(f"sink plays {self._rate} Hz (got {chunk.sample_rate} Hz)")
        self.ring.write(chunk.samples)

    def clear_buffer(self) -> None:
        self.ring.clear()

    def pending_samples(self) -> int:
        return self.ring.queued


class ClockedSink:
    """A virtual loudspeaker: plays queued audio in step with an injected clock and records the whole
    call (silence included) so the result can be written as one WAV. Used by simulate-call and tests."""

    def __init__(self, sample_rate: int, clock: Clock) -> None:
        self._rate = sample_rate
        self._clock = clock
        self._ring = PlayoutRing(sample_rate)
        self._origin = clock.monotonic()
        self._emitted = 0  # samples of timeline produced so far (played audio + silence)
        self._timeline: list[np.ndarray] = []
        self.clears = 0

    @property
    def sample_rate(self) -> int:
        return self._rate

    def _advance(self) -> None:
        due = int((self._clock.monotonic() - self._origin) * self._rate)
        if due > self._emitted:
            self._timeline.append(self._ring.read(due - self._emitted))
            self._emitted = due

    def write(self, chunk: AudioChunk) -> None:
        if chunk.sample_rate != self._rate:
            raise ValueError(f"sink plays {self._rate} Hz (got {chunk.sample_rate} Hz)")
        self._advance()
        self._ring.write(chunk.samples)

    def clear_buffer(self) -> None:
        self._advance()
        self._ring.clear()
        self.clears += 1

    def pending_samples(self) -> int:
        self._advance()
        return self._ring.queued

    @property
    def played_samples(self) -> int:
        self._advance()
        return self._ring.played

    def recording(self) -> AudioChunk:
        """Everything the caller heard, on the call's timeline (advances to the clock's now)."""
        self._advance()
        data = np.concatenate(self._timeline) if self._timeline else np.zeros(0, dtype=np.float32)
        return AudioChunk(data, self._rate)
