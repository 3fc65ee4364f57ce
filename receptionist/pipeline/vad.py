"""Voice activity as a stage: caller audio (any rate) -> 16 kHz -> fixed windows -> speech probability.

It also keeps the last `history_s` seconds of 16 kHz audio by stream time, so an utterance can be cut
out with a pre-roll once the turn detector has decided where it started, and it remembers when each
window arrived (`clock_at`) so stream times become clock times for latency measurements.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass
from typing import AsyncIterator

from receptionist.audio.framing import Framer
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import StreamResampler
from receptionist.audio.ring import AudioHistory
from receptionist.backends.base import VadModel
from receptionist.clock import Clock


@dataclass(frozen=True, slots=True)
class VadFrame:
    start_s: float  # stream time
    end_s: float
    prob: float
    at: float  # clock time when the window was scored


class VadStage:
    def __init__(self, model: VadModel, clock: Clock, history_s: float = 40.0) -> None:
        self.model = model
        self.clock = clock
        self.sample_rate = model.sample_rate
        self._framer = Framer(model.window_size, model.sample_rate)
        self._resampler: StreamResampler | None = None
        self.history = AudioHistory(history_s, model.sample_rate)
        self._pos = 0  # samples scored so far
        self._arrivals: deque[tuple[float, float]] = deque(maxlen=4096)

    def push(self, chunk: AudioChunk) -> list[VadFrame]:
        """Blocking but cheap (~0.1-0.3 ms per 32 ms window): called inline from the ingest task."""
        if self._resampler is None or self._resampler.from_rate != chunk.sample_rate:
            self._resampler = StreamResampler(chunk.sample_rate, self.sample_rate)
        frames = []
        now = self.clock.monotonic()
        for window in self._framer.push(self._resampler.process(chunk)):
            prob = self.model.speech_prob(window.samples)
            self.history.append(window.samples)
            start = self._pos / self.sample_rate
            self._pos += len(window)
            end = self._pos / self.sample_rate
            self._arrivals.append((end, now))
            frames.append(VadFrame(start, end, prob, now))
        return frames

    async def frames(self, source: AsyncIterator[AudioChunk]) -> AsyncIterator[VadFrame]:
        async for chunk in source:
            for frame in self.push(chunk):
                yield frame

    def audio(self, start_s: float, end_s: float) -> AudioChunk:
        return self.history.slice(start_s, end_s)

    def clock_at(self, stream_s: float) -> float:
        """Clock time at which the window ending at (or just after) `stream_s` was scored."""
        if not self._arrivals:
            return self.clock.monotonic()
        ends = [e for e, _ in self._arrivals]
        i = min(bisect.bisect_left(ends, stream_s - 1e-9), len(ends) - 1)
        return self._arrivals[i][1]
