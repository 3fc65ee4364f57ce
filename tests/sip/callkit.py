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


# How Whisper base writes a digit the bot spoke on its own ("8" read out alone comes back as "A", "3" as "Free").
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "won": "1", "two": "2", "to": "2", "too": "2",
               "three": "3", "free": "3", "four": "4", "for": "4", "five": "5", "six": "6", "seven": "7",
               "eight": "8", "a": "8", "nine": "9"}


def code_heard(transcript: str, code: str, slips: int = 1) -> bool:
    """Whether a booking code ("BK-482913") can be read in a Whisper transcript of the bot's English speech:
    its six digits in a row (as digits, digit words or the sound-alikes in DIGIT_WORDS), allowing `slips`
    digits misheard, dropped or doubled. Whisper base slips on line audio ("four, four" -> "4."); a reply
    cut short loses its whole code sentence, or more."""
    import re

    digits = code.split("-")[-1]
    heard = "".join(tok if tok.isdigit() else DIGIT_WORDS.get(tok, "")
                    for tok in re.findall(r"\d|[^\W\d_]+", transcript.lower()))
    n = len(digits)
    windows = {heard[i:i + k] for k in range(n - slips, n + slips + 1) for i in range(max(1, len(heard) - k + 1))}
    return any(_edits(digits, w) <= slips for w in windows if len(w) >= n - slips)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def transcribe_8k(stt, audio: AudioChunk, language: str = "en") -> str:
    """Whisper transcript of bot audio received over the line (any length: 25 s pieces)."""
    samples = resample(audio, 16000).samples
    parts = []
    for start in range(0, len(samples), 25 * 16000):
        piece = samples[start:start + 25 * 16000]
        if len(piece) > 8000:
            parts.append(stt.transcribe(piece, language=language, languages=(language,), max_tokens=200).text)
    return " ".join(parts)
