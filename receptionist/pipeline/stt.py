"""Speech to text as a pipeline stage: runs the engine on its worker thread, filters Whisper's
silence hallucinations and keeps the session language.

The session transcribes *speculatively* at a short pause (`SpeechPaused`): when the caller does not
go on, the turn's final transcript is that result and the STT cost is hidden inside the end-of-turn
silence; when the caller keeps talking the speculation is discarded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from receptionist import lang as langdata
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.backends.base import SpeechToText, SttResult
from receptionist.clock import Clock
from receptionist.pipeline.worker import EngineWorker


@dataclass(frozen=True, slots=True)
class SttPolicy:
    """How utterances are transcribed and filtered. `prompts`: Whisper's initial prompt per language
    (receptionist.pipeline.stt_prompts.stt_prompts; empty: none)."""

    languages: tuple[str, ...] = ("en", "et", "ru")
    max_tokens: int = 96
    no_speech_threshold: float = 0.6
    logprob_threshold: float = -1.0
    max_compression_ratio: float = 2.4
    min_audio_s: float = 0.15
    prompts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    language: str
    language_probability: float
    audio_s: float
    speculative: bool
    compute_s: float


# Phrases Whisper invents on silence/noise (from its subtitle training data): every language folder's
# speech.toml `hallucinations`, and whole transcripts it often invents (`often_hallucinated`).
_ALWAYS_HALLUCINATED = langdata.merged_list("speech", "hallucinations")
_OFTEN_HALLUCINATED = frozenset(langdata.merged_list("speech", "often_hallucinated")) | {".", "..."}
_NON_WORD = re.compile(r"^[\W_♪]*$")


def is_hallucination(result: SttResult, policy: SttPolicy) -> bool:
    text = result.text.strip()
    if _NON_WORD.match(text):
        return True
    low = text.lower()
    if any(p in low for p in _ALWAYS_HALLUCINATED):
        return True
    if result.compression_ratio > policy.max_compression_ratio:
        return True  # a repetition loop
    if result.no_speech_prob > policy.no_speech_threshold and result.avg_logprob < policy.logprob_threshold:
        return True
    if result.prompt and (result.no_speech_prob > policy.no_speech_threshold or _echoes(low, result.prompt)):
        return True  # a prompted decoder is confident even on silence: its log-probability says nothing
    core = re.sub(r"[^\w\s]", "", low).strip()
    return core in _OFTEN_HALLUCINATED and result.no_speech_prob > 0.3


def _echoes(text: str, prompt: str) -> bool:
    """Whether a transcript only repeats the prompt's words ("kassituba, kassituba"): a word said
    twice or more and every word taken from the prompt."""
    words = re.findall(r"\w+", text)
    known = set(re.findall(r"\w+", prompt.lower()))
    return len(words) > len(set(words)) and all(w in known for w in words)


class SpeechRecognizer:
    def __init__(self, engine: SpeechToText, worker: EngineWorker, policy: SttPolicy, clock: Clock) -> None:
        self.engine = engine
        self.worker = worker
        self.policy = policy
        self.clock = clock
        self.pinned: str | None = None

    def pin(self, language: str | None) -> None:
        """The session language is committed: prefer it from now on (None unpins)."""
        if language is None or language in self.policy.languages:
            self.pinned = language

    async def transcribe(self, audio: AudioChunk, *, speculative: bool = False) -> Transcript | None:
        """None when there is nothing worth passing on (too short, empty, a hallucination)."""
        if audio.duration_s < self.policy.min_audio_s:
            return None
        samples = resample(audio, self.engine.sample_rate).samples
        started = self.clock.monotonic()
        result = await self.worker.run(self._run, samples, self.pinned)
        compute_s = self.clock.monotonic() - started
        if is_hallucination(result, self.policy):
            return None
        return Transcript(result.text.strip(), result.language, result.language_probability,
                          audio.duration_s, speculative, compute_s)

    def _run(self, samples, pinned: str | None) -> SttResult:  # worker thread
        return self.engine.transcribe(samples, language=pinned, languages=self.policy.languages,
                                      max_tokens=self.policy.max_tokens, prompts=self.policy.prompts)
