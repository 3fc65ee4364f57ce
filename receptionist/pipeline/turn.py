"""End of turn, decided from numbers only: a pure state machine over speech probabilities.

Feed it one VAD window at a time (`step(prob, start_s, end_s)`, stream seconds). It reports:
  SpeechStarted  — at least `min_speech_s` of speech since the onset (blips shorter than that vanish)
  SpeechPaused   — the caller has been quiet `speculative_pause_s` (time to transcribe speculatively)
  SpeechResumed  — ... and then kept talking (the speculation is stale)
  TurnEnded      — quiet for `end_silence_s`, or the utterance reached `max_utterance_s`
An "uh/um" pause shorter than `end_silence_s` therefore never ends the turn.

While our own audio is playing, `set_echo_guard(True)` raises the threshold and the minimum speech so
speaker-phone echo of the bot does not count as the caller talking.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal


@dataclass(frozen=True, slots=True)
class TurnPolicy:
    threshold: float = 0.5  # speech probability that starts speech
    hysteresis: float = 0.15  # speech continues while prob >= threshold - hysteresis
    min_speech_s: float = 0.2
    end_silence_s: float = 0.6
    speculative_pause_s: float = 0.2  # 0 disables speculative transcription
    max_utterance_s: float = 15.0
    onset_gap_s: float = 0.1  # silence that cancels an onset before it reached min_speech_s
    echo_threshold: float = 0.85  # used while the bot is audible
    echo_min_speech_s: float = 0.35

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0 or not 0.0 < self.echo_threshold < 1.0:
            raise ValueError("thresholds must be inside 0..1")
        if self.speculative_pause_s and self.speculative_pause_s >= self.end_silence_s:
            raise ValueError("speculative_pause_s must be shorter than end_silence_s")


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    start_s: float  # onset of the speech (stream time)
    at_s: float  # when it was confirmed


@dataclass(frozen=True, slots=True)
class SpeechPaused:
    start_s: float
    speech_end_s: float
    at_s: float


@dataclass(frozen=True, slots=True)
class SpeechResumed:
    start_s: float
    at_s: float


@dataclass(frozen=True, slots=True)
class TurnEnded:
    start_s: float
    end_s: float  # end of the last speech window
    reason: Literal["silence", "max_length"]
    at_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


TurnEvent = SpeechStarted | SpeechPaused | SpeechResumed | TurnEnded


class _State(Enum):
    SILENCE = "silence"
    ONSET = "onset"
    SPEAKING = "speaking"


class TurnDetector:
    def __init__(self, policy: TurnPolicy | None = None) -> None:
        self.policy = policy or TurnPolicy()
        self._echo = False
        self._reset()

    def _reset(self) -> None:
        self._state = _State.SILENCE
        self._start = 0.0
        self._voiced = 0.0
        self._last_speech_end = 0.0
        self._paused = False
        self._last_voiced = False

    def set_echo_guard(self, active: bool) -> None:
        self._echo = active

    @property
    def echo_guard(self) -> bool:
        return self._echo

    @property
    def speaking(self) -> bool:
        """True once speech is confirmed, until the turn ends."""
        return self._state is _State.SPEAKING

    @property
    def voiced_now(self) -> bool:
        """The last window counted as speech of a confirmed utterance."""
        return self._state is _State.SPEAKING and self._last_voiced

    @property
    def speech_s(self) -> float:
        """Voiced seconds in the current utterance (0 when silent)."""
        return self._voiced if self._state is not _State.SILENCE else 0.0

    @property
    def start_s(self) -> float | None:
        return self._start if self._state is _State.SPEAKING else None

    def _thresholds(self) -> tuple[float, float, float]:
        p = self.policy
        on = p.echo_threshold if self._echo else p.threshold
        return on, max(0.01, on - p.hysteresis), (p.echo_min_speech_s if self._echo else p.min_speech_s)

    def step(self, prob: float, start_s: float, end_s: float) -> TurnEvent | None:
        on, off, min_speech = self._thresholds()
        p = self.policy
        dur = end_s - start_s
        self._last_voiced = prob >= off
        if self._state is _State.SILENCE:
            if prob >= on:
                self._state, self._start, self._voiced = _State.ONSET, start_s, dur
                self._last_speech_end = end_s
                return self._confirm(end_s, min_speech)
            return None
        if self._state is _State.ONSET:
            if prob >= off:
                self._voiced += dur
                self._last_speech_end = end_s
                return self._confirm(end_s, min_speech)
            if end_s - self._last_speech_end >= p.onset_gap_s:
                self._reset()
            return None
        # SPEAKING
        if prob >= off:
            self._voiced += dur
            self._last_speech_end = end_s
            if end_s - self._start >= p.max_utterance_s:
                return self._end(end_s, "max_length")
            if self._paused:
                self._paused = False
                return SpeechResumed(self._start, end_s)
            return None
        silence = end_s - self._last_speech_end
        if silence >= p.end_silence_s:
            return self._end(end_s, "silence")
        if p.speculative_pause_s and not self._paused and silence >= p.speculative_pause_s:
            self._paused = True
            return SpeechPaused(self._start, self._last_speech_end, end_s)
        return None

    def _confirm(self, now: float, min_speech: float) -> TurnEvent | None:
        if self._voiced >= min_speech - 1e-9:
            self._state = _State.SPEAKING
            return SpeechStarted(self._start, now)
        return None

    def _end(self, now: float, reason: Literal["silence", "max_length"]) -> TurnEnded:
        event = TurnEnded(self._start, self._last_speech_end, reason, now)
        self._reset()
        return event

    def flush(self, now: float) -> TurnEnded | None:
        """End of stream: close an open utterance."""
        if self._state is _State.SPEAKING:
            return self._end(now, "silence")
        self._reset()
        return None
