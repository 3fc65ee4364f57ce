"""A softphone caller that takes turns politely: it says a line (switches baresip's microphone to the
line's WAV), then waits until the bot has answered and fallen quiet. "Answered" is read from the line's
own events (a `BotSpoke` after the line) and "quiet" from the call's playout buffer, so no audio has to
be analysed while the call runs. Used by the softphone models tests and scripts/bench-codecs."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.events import CallOffered
from receptionist.pipeline.timing import BotSpoke
from softphone.baresip import Baresip, write_wav

LEAD_S = 0.4  # silence before each line in its WAV


def trimmed(voice: Any, text: str) -> AudioChunk:
    """`text` spoken by a TextToSpeech backend (Piper) at its own rate, leading/trailing silence cut."""
    samples = np.concatenate(list(voice.synthesize(text))).astype(np.float32)
    idx = np.flatnonzero(np.abs(samples) > 0.01)
    if len(idx):
        samples = samples[idx[0]:idx[-1] + 1]
    return AudioChunk(samples, voice.sample_rate)


@dataclass
class Line:
    text: str
    wav: Path
    seconds: float  # how long it takes to say, lead included


def prepare_lines(voice: Any, texts: list[str], folder: Path, prefix: str = "line") -> list[Line]:
    out = []
    for i, text in enumerate(texts):
        audio = trimmed(voice, text)
        wav = write_wav(folder / f"{prefix}-{i}.wav", audio, pad_s=120.0, lead_s=LEAD_S)
        out.append(Line(text, wav, LEAD_S + len(audio.samples) / audio.sample_rate))
    return out


@dataclass
class PoliteSoftphone:
    phone: Baresip
    events: list  # the line's events (SIP events and the session's timing events), appended as they happen
    quiet_s: float = 2.0  # the bot is done when nothing more was said or queued for this long
    answer_timeout_s: float = 40.0
    established_at: float = 0.0  # time.monotonic() when the call was answered (the recording starts there)
    spoken: list[tuple[str, float, float]] = field(default_factory=list)  # (text, started, ended), monotonic

    @property
    def audio(self) -> Any:
        return next(e.audio for e in self.events if isinstance(e, CallOffered))

    async def call(self, uri: str) -> None:
        await self.phone.dial(uri)
        await self.phone.wait_event("CALL_ESTABLISHED")
        self.established_at = time.monotonic()

    def _bot_turns(self, since: int) -> int:
        return sum(1 for e in self.events[since:] if isinstance(e, BotSpoke))

    async def wait_bot_done(self, since: int = 0) -> bool:
        """Wait for a bot utterance among the events from index `since`, then for quiet; False on timeout
        or when the call ended."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.answer_timeout_s
        quiet_since: float | None = None
        seen = -1
        while loop.time() < deadline and not self.phone.closed():
            turns = self._bot_turns(since)
            busy = self.audio.sink.pending_samples() > 0 or turns != seen
            seen = turns
            if turns and not busy:
                quiet_since = quiet_since or loop.time()
                if loop.time() - quiet_since >= self.quiet_s:
                    return True
            else:
                quiet_since = None
            await asyncio.sleep(0.05)
        return False

    async def say(self, line: Line) -> bool:
        mark = len(self.events)
        started = time.monotonic()
        await self.phone.use_source(line.wav)
        await asyncio.sleep(line.seconds)
        self.spoken.append((line.text, started + LEAD_S, time.monotonic()))
        return await self.wait_bot_done(mark)
