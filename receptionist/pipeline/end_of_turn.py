"""Is the caller done? A turn model's probability and the transcript's last words, judged in pure code.

Smart Turn's authors recommend a short VAD stop (~0.2 s) that asks the model "finished?", and, when it
says no, listening on up to a longer silence. `model_verdict` maps its probability to a verdict for
`TurnDetector.verdict`: "end" (sure it is complete), "hold" (sure it is not) or "none" (unsure, or a
language where the model was not shown to discriminate: the plain silence rule decides).

`unfinished_text` reads the transcript: a sentence that ends on "and" / "ja" / "и" (the language
folder's turn.toml `continuers`), on a cardinal number shorter than a phone number (a number or a date
dictated in groups: fewer than `COMPLETE_NUMBER_DIGITS` digits at the end), or trails off with a comma
or dots is not finished, whatever the silence said. The voice session then
waits up to `max_silence_s` for the caller to go on before answering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from receptionist import lang as langdata
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.backends.base import TurnModel
from receptionist.pipeline.turn import Verdict
from receptionist.pipeline.worker import EngineWorker


@dataclass(frozen=True, slots=True)
class EndOfTurnPolicy:
    complete_threshold: float = 0.9  # the model at least this sure the turn is complete -> end now
    incomplete_threshold: float = 0.2  # at most this -> hold (listen on up to max_silence_s)
    model_languages: tuple[str, ...] = ("en",)  # where its verdict counts ("*" = every language)
    text_cues: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.incomplete_threshold < self.complete_threshold <= 1.0:
            raise ValueError("need 0 <= incomplete_threshold < complete_threshold <= 1")

    def trusts(self, language: str | None) -> bool:
        return "*" in self.model_languages or (language is not None and language in self.model_languages)


def model_verdict(policy: EndOfTurnPolicy, prob: float | None, language: str | None) -> Verdict:
    """"end" / "hold" / "none" for the model's complete-probability `prob` (None: no model or it failed)."""
    if prob is None or not policy.trusts(language):
        return "none"
    if prob >= policy.complete_threshold:
        return "end"
    if prob <= policy.incomplete_threshold:
        return "hold"
    return "none"


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+", re.UNICODE)
_TRAILING_OFF = (",", "…", "...", "-", "–", ":")
_DIGIT_RUN_END = re.compile(r"(?:\d[\s,.\-]*)+$")  # "... 5 5 5", "... 123," (an ordinal keeps a marker: "4th")
COMPLETE_NUMBER_DIGITS = 7  # this many digits at the end read as a whole phone number (5123 4567)


@lru_cache(maxsize=None)
def continuers(language: str) -> frozenset[str]:
    """The language folder's turn.toml `continuers` (empty for an unknown language)."""
    try:
        return frozenset(w.lower() for w in langdata.section(language, "turn").get("continuers", ()))
    except langdata.UnknownLanguage:
        return frozenset()


def unfinished_text(text: str, language: str | None) -> bool:
    """The transcript reads as a sentence the caller has not finished (see the module docstring)."""
    core = text.strip()
    if not core:
        return False
    if core.endswith(_TRAILING_OFF):
        return True
    words = _WORD.findall(core.lower())
    if not words:
        return False
    langs = (language,) if language else tuple(langdata.folders())
    if any(words[-1] in continuers(code) for code in langs):
        return True
    if core.endswith("?"):
        return False
    spelled = spell_numbers(core.rstrip(".!?…"))  # every language: Whisper may have named the wrong one
    run = _DIGIT_RUN_END.search(spelled.rstrip())
    return run is not None and sum(ch.isdigit() for ch in run.group()) < COMPLETE_NUMBER_DIGITS


def complete_number(text: str) -> bool:
    """The transcript ends on a whole phone number (`COMPLETE_NUMBER_DIGITS` digits or more)."""
    run = _DIGIT_RUN_END.search(spell_numbers(text.strip().rstrip(".!?…")).rstrip())
    return run is not None and sum(ch.isdigit() for ch in run.group()) >= COMPLETE_NUMBER_DIGITS


class TurnChecker:
    """Asks the turn model (on its own worker thread) whether the audio so far is a finished turn."""

    def __init__(self, model: TurnModel | None, worker: EngineWorker | None, policy: EndOfTurnPolicy) -> None:
        self.model, self.worker, self.policy = model, worker, policy

    @property
    def enabled(self) -> bool:
        return self.model is not None and self.worker is not None

    async def verdict(self, audio: AudioChunk, language: str | None) -> Verdict:
        """The verdict for `audio` (the turn up to the pause). "none" when the model is off, the
        language is not trusted, or the model failed (the silence rule then decides)."""
        if self.model is None or self.worker is None or not self.policy.trusts(language):
            return "none"
        samples = resample(audio, self.model.sample_rate).samples
        try:
            prob = await self.worker.run(self.model.complete_prob, samples)
        except Exception:  # noqa: BLE001 - a failed check must never stall the turn: silence decides
            return "none"
        return model_verdict(self.policy, prob, language)
