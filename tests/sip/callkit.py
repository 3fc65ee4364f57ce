"""A caller made of sipp (signalling) + an RtpPeer (media) that takes turns politely: speaks a line,
waits for the bot to answer and fall quiet, speaks the next. Used by the models tests and bench-sip."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from sipmedia import RtpPeer


@dataclass
class TurnResult:
    text: str
    caller_stopped: float  # time.monotonic() of the caller's last speech frame
    bot_started: float | None  # first non-silent bot frame after that

    @property
    def latency_s(self) -> float | None:
        return None if self.bot_started is None else self.bot_started - self.caller_stopped


@dataclass
class PoliteCaller:
    peer: RtpPeer
    quiet_s: float = 1.2  # the bot is done when it has been silent this long
    answer_timeout_s: float = 25.0
    turns: list[TurnResult] = field(default_factory=list)

    async def wait_bot_done(self, since: float) -> float | None:
        """Wait for bot speech after `since`, then for it to fall quiet; returns when it started."""
        deadline = time.monotonic() + self.answer_timeout_s
        started = None
        while time.monotonic() < deadline:
            started = started or self.peer.first_voice_after(since)
            if started is not None and self.peer.quiet_for(self.quiet_s):
                return started
            await asyncio.sleep(0.05)
        return started

    async def say(self, text: str, audio: AudioChunk) -> TurnResult:
        await self.peer.speak(audio)
        stopped = self.peer.sent_until
        started = await self.wait_bot_done(stopped)
        result = TurnResult(text, stopped, started)
        self.turns.append(result)
        return result


def trim(audio: AudioChunk, threshold: float = 0.01) -> AudioChunk:
    """Cut leading/trailing silence so 'caller stopped' is the end of the last word."""
    idx = np.flatnonzero(np.abs(audio.samples) > threshold)
    if len(idx) == 0:
        return audio
    return AudioChunk(audio.samples[idx[0]:idx[-1] + 1], audio.sample_rate)


def synth(voice, text: str) -> AudioChunk:
    """Caller speech from a TextToSpeech backend (Piper), trimmed, at 8 kHz like a phone line."""
    parts = list(voice.synthesize(text))
    audio = AudioChunk(np.concatenate(parts).astype(np.float32), voice.sample_rate)
    return resample(trim(audio), 8000)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


from tests.heard import DIGIT_WORDS, code_heard  # noqa: F401  (re-exported: callers import them from here)


def transcribe_8k(stt, audio: AudioChunk, language: str = "en") -> str:
    """Whisper transcript of bot audio received over the line (any length: 25 s pieces)."""
    samples = resample(audio, 16000).samples
    parts = []
    for start in range(0, len(samples), 25 * 16000):
        piece = samples[start:start + 25 * 16000]
        if len(piece) > 8000:
            parts.append(stt.transcribe(piece, language=language, languages=(language,), max_tokens=200).text)
    return " ".join(parts)
