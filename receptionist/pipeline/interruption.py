"""Barge-in policy as data, and a pure arbiter per bot utterance.

While the bot talks, the caller may (a) interrupt, (b) backchannel ("mhm", "jaa", "ага") or
(c) make a noise. The arbiter sees only numbers, text and seconds:

  caller sound >= pause_after_s (2 windows) -> PAUSE     (the bot stops within a breath; audio kept)
  the sound died before it was speech       -> RESUME    (a click, a cough: carry on after `resume_grace_s`,
                                                          unless the caller goes on: "Yes, ... please")
  transcript with >= min_words real words   -> INTERRUPT (reply cancelled; the turn goes to the agent)
  transcript of backchannels / nothing      -> RESUME    (false interruption: carry on speaking)
  speech >= commit_speech_s, no transcript -> INTERRUPT  (nobody backchannels that long)
  paused, caller quiet, nothing useful for resume_after_s -> RESUME
A protected utterance (e.g. a confirmation code) is never paused: every decision is NONE.
"Yes" / "jah" / "да" (each folder's yesno.toml) while the bot is asking a question (`asking=True`) is
an answer, not a backchannel: it interrupts and goes to the agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

from receptionist import lang as langdata


def default_backchannels() -> dict[str, frozenset[str]]:
    """Backchannel words per installed language (each folder's speech.toml), read now."""
    return {code: frozenset(w.lower() for w in langdata.section(code, "speech").get("backchannels", ()))
            for code in langdata.folders()}


DEFAULT_BACKCHANNELS: Mapping[str, frozenset[str]] = default_backchannels()


def default_answers() -> dict[str, frozenset[str]]:
    """Yes and no words per installed language (each folder's yesno.toml), read now."""
    out = {}
    for code in langdata.folders():
        yn = langdata.section(code, "yesno")
        out[code] = frozenset(w.lower() for w in (*yn.get("yes", ()), *yn.get("no", ())))
    return out


DEFAULT_ANSWERS: Mapping[str, frozenset[str]] = default_answers()

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def content_words(text: str, backchannels: frozenset[str]) -> list[str]:
    """Words of `text` that are not backchannel words (case- and punctuation-insensitive). Single
    letters are no words here: Whisper spells a hummed "mhm" as "M. H. N."; digits count."""
    words = [w.lower() for w in _WORD.findall(text)]
    return [w for w in words if w not in backchannels and (len(w) > 1 or w.isdigit())]


@dataclass(frozen=True, slots=True)
class BargeInPolicy:
    enabled: bool = True
    min_speech_s: float = 0.4
    min_words: int = 1
    commit_speech_s: float = 1.5
    resume_after_s: float = 1.5
    backchannels: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_BACKCHANNELS))
    pause_after_s: float = 0.064  # caller sound over the bot this long pauses the playout
    resume_grace_s: float = 0.3  # after a blip, wait this long for more before carrying on
    answers: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_ANSWERS))

    def backchannel_set(self, languages: tuple[str, ...], *, asking: bool = False) -> frozenset[str]:
        """Backchannel words of `languages`; while a question is asked, yes/no words are answers."""
        langs = languages or tuple(self.backchannels)
        out: set[str] = set()
        for lang in langs:
            out |= self.backchannels.get(lang, frozenset())
        if asking:
            for lang in langs:
                out -= self.answers.get(lang, frozenset())
        return frozenset(out)

    def is_backchannel(self, text: str, languages: tuple[str, ...] = (), *, asking: bool = False) -> bool:
        return len(content_words(text, self.backchannel_set(languages, asking=asking))) < self.min_words


QUIET_FOR_RESUME_S = 0.15  # a speculative backchannel resumes the bot only if the caller is this quiet


class Decision(Enum):
    NONE = "none"
    PAUSE = "pause"
    RESUME = "resume"
    INTERRUPT = "interrupt"


class _State(Enum):
    LISTENING = "listening"  # bot talking, caller silent (or below min speech)
    PAUSED = "paused"
    INTERRUPTED = "interrupted"


class BargeInArbiter:
    """One per bot utterance. Feed it caller speech durations, transcripts and time."""

    def __init__(self, policy: BargeInPolicy, *, protected: bool = False,
                 languages: tuple[str, ...] = ()) -> None:
        self.policy = policy
        self.protected = protected
        self._bc = policy.backchannel_set(languages)
        self._bc_asking = policy.backchannel_set(languages, asking=True)
        self._confirmed = False  # the sound that paused us was confirmed as speech
        self._gone_at: float | None = None  # when an unconfirmed sound died (resume after the grace)
        self._last_voiced_at = -1e9
        self._state = _State.LISTENING
        self._speech_s = 0.0
        self._caller_speaking = False
        self._paused_at = 0.0
        self._last_activity = 0.0
        self.reacted = False  # paused for the current caller utterance (the bot went quiet)

    @property
    def state(self) -> str:
        return self._state.value

    @property
    def active(self) -> bool:
        return self.policy.enabled and not self.protected and self._state is not _State.INTERRUPTED

    def on_speech(self, speech_s: float, now: float, *, confirmed: bool = True) -> Decision:
        """The caller is making a sound; `speech_s` voiced seconds so far in this utterance;
        `confirmed` once the turn detector counts it as speech (not a blip)."""
        self._caller_speaking = True
        self._speech_s = max(self._speech_s, speech_s)
        self._last_activity = now
        self._confirmed = self._confirmed or confirmed
        self._gone_at = None
        self._last_voiced_at = now
        if not self.active:
            return Decision.NONE
        if self._state is _State.LISTENING and speech_s >= self.policy.pause_after_s - 1e-9:
            self._state, self._paused_at = _State.PAUSED, now
            self.reacted = True
            return Decision.PAUSE
        if self._state is _State.PAUSED and speech_s >= self.policy.commit_speech_s:
            self._state = _State.INTERRUPTED
            return Decision.INTERRUPT
        return Decision.NONE

    def on_speech_end(self, now: float) -> Decision:
        self._caller_speaking = False
        self._last_activity = now
        return Decision.NONE

    def on_sound_gone(self, now: float) -> Decision:
        """The sound that paused the bot died before it became speech (a click, a cough): resume
        `resume_grace_s` later (`tick`) unless the caller goes on."""
        self._caller_speaking = False
        self._last_activity = now
        if self.active and self._state is _State.PAUSED and not self._confirmed:
            self._gone_at = now
            return self.tick(now)
        return Decision.NONE

    def on_transcript(self, text: str, now: float, *, final: bool = False, asking: bool = False) -> Decision:
        """A (speculative or final) transcript of the caller's current speech; `asking`: the bot was
        asking a question when the caller spoke (a yes/no word is then an answer)."""
        self._last_activity = now
        if not self.active:
            return Decision.NONE
        real = len(content_words(text, self._bc_asking if asking else self._bc)) >= self.policy.min_words
        # A short sound with words (often Whisper's guess at a "mhm") does not cancel the reply: it is
        # answered after it. Only a yes/no said to the question being asked is a short interruption.
        if real and (self._speech_s >= self.policy.min_speech_s or (final and asking)):
            self._state = _State.INTERRUPTED
            return Decision.INTERRUPT
        quiet = now - self._last_voiced_at >= QUIET_FOR_RESUME_S  # a partial result while they go on decides nothing
        if self._state is _State.PAUSED and (final or (not real and quiet)):
            self._state = _State.LISTENING
            self._speech_s, self._confirmed = 0.0, False
            return Decision.RESUME
        if final:
            self._speech_s = 0.0
        return Decision.NONE

    def tick(self, now: float) -> Decision:
        if (self.active and self._state is _State.PAUSED and self._gone_at is not None and not self._confirmed
                and not self._caller_speaking and now - self._gone_at >= self.policy.resume_grace_s - 1e-9):
            self._state, self._gone_at = _State.LISTENING, None
            self._speech_s = 0.0
            return Decision.RESUME
        if (self.active and self._state is _State.PAUSED and not self._caller_speaking
                and now - self._last_activity >= self.policy.resume_after_s):
            self._state = _State.LISTENING
            self._speech_s, self._confirmed = 0.0, False
            return Decision.RESUME
        return Decision.NONE

    def new_caller_utterance(self) -> None:
        """A fresh caller utterance starts (the previous one ended and was judged)."""
        if self._state is not _State.PAUSED:
            self._speech_s = 0.0
            self.reacted = False
            self._confirmed = False
