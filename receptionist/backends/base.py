"""Small Protocols in front of the heavy engines. Backends turn audio into numbers or text and back;
every decision (end of turn, barge-in, language commit) lives in pure state machines elsewhere.

All methods here are *blocking*; the pipeline runs each engine on its own worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class VadModel(Protocol):
    """Speech probability for fixed windows (`window_size` samples at `sample_rate`), stateful."""

    sample_rate: int
    window_size: int

    def reset(self) -> None: ...

    def speech_prob(self, window: np.ndarray) -> float: ...


@dataclass(frozen=True, slots=True)
class SttResult:
    text: str
    language: str
    language_probability: float
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    compression_ratio: float = 1.0
    tokens: int = 0
    prompt: str = ""  # the initial prompt decoding was biased with ("" = none); no_speech_prob is the
    # unprompted decoder's then (a prompt makes Whisper write its words on silence, confidently)


@runtime_checkable
class SpeechToText(Protocol):
    sample_rate: int  # 16000 for Whisper

    def transcribe(self, samples: np.ndarray, *, language: str | None, languages: tuple[str, ...],
                   max_tokens: int, prompts: Mapping[str, str] | None = None) -> SttResult:
        """Transcribe one utterance. The language is detected among `languages` only; `language`
        (the session's committed language) is kept unless another allowed language is very likely
        (`choose_language`). Decoding is greedy (temperature 0) and capped at `max_tokens`.
        `prompts`: per language a text that biases decoding towards its words and spelling (Whisper's
        "initial prompt"; engines without one ignore it)."""


@runtime_checkable
class TextToSpeech(Protocol):
    sample_rate: int

    def synthesize(self, text: str) -> Iterator[np.ndarray]:
        """Float32 mono chunks at `sample_rate`, yielded as soon as each is ready."""


@runtime_checkable
class TurnModel(Protocol):
    """End-of-turn model: how likely the caller has finished, from the audio of their current turn."""

    sample_rate: int  # 16000 for Smart Turn

    def complete_prob(self, samples: np.ndarray) -> float:
        """Probability 0..1 that the turn is complete, from float32 mono `samples` at `sample_rate`
        (the turn so far, ending at the pause; only the last 8 s count)."""


def choose_language(probs: dict[str, float], allowed: tuple[str, ...], preferred: str | None,
                    switch_threshold: float) -> tuple[str, float]:
    """Pick the language among `allowed` (renormalised). A `preferred` (pinned session) language wins
    unless another allowed language is at least `switch_threshold` likely."""
    sub = {lang: probs.get(lang, 0.0) for lang in allowed} if allowed else dict(probs)
    total = sum(sub.values()) or 1.0
    sub = {k: v / total for k, v in sub.items()}
    best = max(sub, key=lambda k: sub[k])
    if preferred and preferred in sub and best != preferred and sub[best] < switch_threshold:
        return preferred, sub[preferred]
    return best, sub[best]
