"""Playout of one bot utterance — the barge-in handle.

Segments (sentence text + audio) arrive from TTS while earlier ones play. `play()` paces ~20 ms frames
into the sink, keeping only `lead_s` queued there, so that:
  - `pause()` / `interrupt()` clear the sink at once: the caller hears nothing more after the decision;
  - what was actually played is known (`written - sink.pending_samples()`), so `heard_text()` returns
    only the words the caller heard and `resume()` continues exactly there.
"""

from __future__ import annotations

import asyncio
import re
from typing import Callable

import numpy as np

from receptionist.audio.io import AudioSink
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.clock import Clock


class Utterance:
    def __init__(self, sink: AudioSink, clock: Clock, *, protected: bool = False, frame_s: float = 0.02,
                 lead_s: float = 0.08, on_first_audio: Callable[[float], None] | None = None) -> None:
        self.sink = sink
        self.clock = clock
        self.protected = protected
        self._frame = max(1, int(frame_s * sink.sample_rate))
        self._frame_s = frame_s
        self._lead = int(lead_s * sink.sample_rate)
        self._on_first_audio = on_first_audio
        self._texts: list[str] = []
        self._bounds: list[int] = [0]  # cumulative sample offsets of segments
        self._audio: list[np.ndarray] = []
        self._flat = np.zeros(0, dtype=np.float32)
        self._written = 0
        self._closed = False
        self._paused = False
        self._interrupted = False
        self._finished = False
        self._played_at_stop: int | None = None
        self._wake = asyncio.Event()
        self.first_audio_at: float | None = None
        self.stopped_at: float | None = None

    # ---- input side (TTS)
    def add(self, text: str, audio: AudioChunk) -> None:
        audio = resample(audio, self.sink.sample_rate)
        self._texts.append(text)
        self._audio.append(audio.samples)
        self._bounds.append(self._bounds[-1] + len(audio))
        self._flat = np.concatenate(self._audio)
        self._wake.set()

    def close(self) -> None:
        self._closed = True
        self._wake.set()

    # ---- state
    @property
    def total_samples(self) -> int:
        return self._bounds[-1]

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def interrupted(self) -> bool:
        return self._interrupted

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def audible(self) -> bool:
        """Our audio is (about to be) coming out of the speaker: the echo guard should be up."""
        return not (self._paused or self._interrupted or self._finished) and self._written > 0

    def played_samples(self) -> int:
        if self._played_at_stop is not None:
            return self._played_at_stop
        return max(0, self._written - self.sink.pending_samples())

    def played_s(self) -> float:
        return self.played_samples() / self.sink.sample_rate

    def asking(self) -> bool:
        """The sentence playing now (or the last one, once all was played) is a question."""
        played = self.played_samples()
        for i, text in enumerate(self._texts):
            if played < self._bounds[i + 1]:
                return text.rstrip().endswith("?")
        return bool(self._texts) and self._texts[-1].rstrip().endswith("?")

    def heard_text(self) -> str:
        """The sentences heard in full, plus the words heard of the sentence cut off."""
        played = self.played_samples()
        out: list[str] = []
        for i, text in enumerate(self._texts):
            lo, hi = self._bounds[i], self._bounds[i + 1]
            if played >= hi:
                out.append(text)
            elif played > lo:
                words = text.split()
                n = int(len(words) * (played - lo) / max(1, hi - lo))
                if n:
                    out.append(re.sub(r"[,;:]$", "", " ".join(words[:n])) + " …")
                break
            else:
                break
        return " ".join(out)

    # ---- control (called from the decision path; act synchronously)
    def _stop_output(self) -> None:
        played = self.played_samples()
        self.sink.clear_buffer()
        self._written = played
        self.stopped_at = self.clock.monotonic()

    def pause(self) -> None:
        if self._paused or self._interrupted or self._finished:
            return
        self._stop_output()
        self._paused = True

    def resume(self) -> None:
        if self._paused and not self._interrupted:
            self._paused = False
            self._wake.set()

    def interrupt(self) -> None:
        if self._interrupted or self._finished:
            return
        if not self._paused:
            self._stop_output()
        self._played_at_stop = self._written
        self._interrupted = True
        self._wake.set()

    # ---- the pacing loop
    async def play(self) -> None:
        """Returns when everything was played (after `close()`) or on `interrupt()`."""
        while not self._interrupted:
            if self._paused:
                await self._wait()
                continue
            total = self.total_samples
            pending = self.sink.pending_samples()
            if self._written < total and pending < self._lead:
                end = min(total, self._written + self._frame)
                self.sink.write(AudioChunk(self._flat[self._written:end], self.sink.sample_rate))
                if self.first_audio_at is None:
                    self.first_audio_at = self.clock.monotonic()
                    if self._on_first_audio is not None:
                        self._on_first_audio(self.first_audio_at)
                self._written = end
                continue
            if self._closed and self._written >= total and pending == 0:
                self._finished = True
                self._played_at_stop = self._written
                return
            if self._written >= total and not self._closed:
                await self._wait()  # waiting for TTS
                continue
            await self.clock.sleep(self._frame_s)

    async def _wait(self) -> None:
        self._wake.clear()
        await self._wake.wait()
