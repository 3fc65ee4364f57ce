"""Fakes for every Protocol in backends/base.py, plus a scripted Brain. No models, no threads of their own.

- `ScriptedVad`: speech probabilities from a list (then `default`), or from loudness (`EnergyVad`).
- `FakeStt`: text chosen by a function of the utterance length (seconds); records every call.
- `FakeTts`: a tone whose length grows with the text (so "what was heard" can be checked).
- `ScriptedBrain`: replies from a function of the caller's text; records messages and note_heard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from receptionist.audio.pcm import rms_dbfs
from receptionist.backends.base import SttResult
from receptionist.events import AgentReply, HoldingPhrase, IncomingMessage


class ScriptedVad:
    def __init__(self, probs: Sequence[float] = (), default: float = 0.0, sample_rate: int = 16000) -> None:
        self.sample_rate = sample_rate
        self.window_size = 512 if sample_rate == 16000 else 256
        self._probs = list(probs)
        self._i = 0
        self.default = default

    def reset(self) -> None:
        self._i = 0

    def speech_prob(self, window: np.ndarray) -> float:
        p = self._probs[self._i] if self._i < len(self._probs) else self.default
        self._i += 1
        return p


class EnergyVad:
    """Loud is speech: probability rises from 0 at `floor_db` to 1 at `floor_db + 20`."""

    def __init__(self, floor_db: float = -45.0, sample_rate: int = 16000) -> None:
        self.sample_rate = sample_rate
        self.window_size = 512 if sample_rate == 16000 else 256
        self.floor_db = floor_db

    def reset(self) -> None:
        pass

    def speech_prob(self, window: np.ndarray) -> float:
        return float(np.clip((rms_dbfs(window) - self.floor_db) / 20.0, 0.0, 1.0))


class FakeStt:
    sample_rate = 16000

    def __init__(self, script: Callable[[float], str] | str = "hello", language: str = "en") -> None:
        self._script = script if callable(script) else (lambda _s, t=script: t)
        self.language = language
        self.calls: list[tuple[float, str | None]] = []

    def transcribe(self, samples: np.ndarray, *, language: str | None, languages: tuple[str, ...],
                   max_tokens: int, prompts: Mapping[str, str] | None = None) -> SttResult:
        seconds = len(samples) / self.sample_rate
        self.calls.append((seconds, language))
        return SttResult(self._script(seconds), language or self.language, 0.99)


class FakeTts:
    def __init__(self, sample_rate: int = 16000, seconds_per_char: float = 0.05, freq: float = 330.0) -> None:
        self.sample_rate = sample_rate
        self.seconds_per_char = seconds_per_char
        self.freq = freq
        self.texts: list[str] = []

    def synthesize(self, text: str) -> Iterator[np.ndarray]:
        self.texts.append(text)
        n = int(len(text) * self.seconds_per_char * self.sample_rate)
        t = np.arange(n) / self.sample_rate
        yield (0.3 * np.sin(2 * np.pi * self.freq * t)).astype(np.float32)


def tone(seconds: float, sample_rate: int = 16000, freq: float = 220.0, amp: float = 0.3) -> np.ndarray:
    """Synthetic 'speech' for fake-model tests (EnergyVad hears it, silence it does not)."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


ReplyFn = Callable[[IncomingMessage], tuple[str, ...] | AgentReply]


@dataclass
class ScriptedBrain:
    """Replies by rule: `reply(msg)` returns sentences (or a full AgentReply)."""

    reply: ReplyFn = lambda msg: (f"You said: {msg.text}.", "How else can I help?")
    greeting_sentences: tuple[str, ...] = ("Hello, how can I help you?",)
    language: str = "en"
    think_s: float = 0.0  # pretend thinking time (slept on `sleep` if given)
    sleep: Callable[[float], object] | None = None
    holding: str | None = None  # emit this holding phrase before thinking
    messages: list[IncomingMessage] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)

    async def handle(self, msg: IncomingMessage, *, on_holding=None) -> AgentReply:
        self.messages.append(msg)
        if self.holding and on_holding is not None:
            await on_holding(HoldingPhrase(msg.session_id, self.language, self.holding))
        if self.think_s and self.sleep is not None:
            await self.sleep(self.think_s)  # type: ignore[misc]
        out = self.reply(msg)
        if isinstance(out, AgentReply):
            return out
        return AgentReply(session_id=msg.session_id, language=msg.language_hint or self.language,
                          sentences=tuple(out), intent="scripted")

    async def note_heard(self, session_id: str, heard_text: str) -> None:
        self.heard.append(heard_text)

    async def greeting(self, session_id: str, tenant_id: str, channel: str) -> AgentReply:
        return AgentReply(session_id=session_id, language=self.language, sentences=self.greeting_sentences,
                          intent="greeting")


CANNED_REPLIES: dict[str, tuple[str, ...]] = {
    "en": ("Thank you.", "A dog room is free from December 1 to December 4.", "Three nights cost 105 €."),
    "et": ("Aitäh.", "Koeratuba on vaba 1. detsembrist 4. detsembrini.", "Kolm ööd maksab 105 €."),
    "ru": ("Спасибо.", "Комната для собак свободна с 1 декабря до 4 декабря.", "Три ночи стоят 105 €."),
}
CANNED_GREETING = ("Hello, Pawsome Pet Hotel, how can I help?",)


def canned_brain(language: str = "en") -> ScriptedBrain:
    """The default brain of simulate-call / bench-voice: a fixed answer in the caller's language."""
    return ScriptedBrain(reply=lambda msg: CANNED_REPLIES.get(msg.language_hint or language, CANNED_REPLIES["en"]),
                         greeting_sentences=CANNED_GREETING, language=language)


class FakeTurnModel:
    """End-of-turn model: the complete-probability is `script(seconds of audio)` (or a constant);
    records the length of every audio it was asked about."""

    sample_rate = 16000

    def __init__(self, script: Callable[[float], float] | float = 1.0) -> None:
        self._script = script if callable(script) else (lambda _s, p=float(script): p)
        self.calls: list[float] = []

    def complete_prob(self, samples: np.ndarray) -> float:
        seconds = len(samples) / self.sample_rate
        self.calls.append(seconds)
        return float(self._script(seconds))
