"""End of turn, decided from numbers only: a pure state machine over speech probabilities.

Feed it one VAD window at a time (`step(prob, start_s, end_s)`, stream seconds). It reports:
  SpeechStarted  — at least `min_speech_s` of speech since the onset (blips shorter than that vanish)
  SpeechPaused   — the caller has been quiet `speculative_pause_s` (time to transcribe speculatively)
  SpeechResumed  — ... and then kept talking (the speculation is stale)
  TurnEnded      — quiet for `end_silence_s`, or the utterance reached `max_utterance_s`
An "uh/um" pause shorter than `end_silence_s` therefore never ends the turn.

With an end-of-turn judge (`verdicts=True`), the pause that raised `SpeechPaused` waits for a verdict
(`verdict(...)`): "end" closes the turn at once, "hold" keeps listening up to `max_silence_s` (an
unfinished sentence, a phone number dictated in groups), "none" falls back to `end_silence_s`.
Until the verdict arrives the pause may last `max_silence_s`.

The utterance starts at the caller's *first* speech window: a short sound that did not reach
`min_speech_s` ("Yes," before a pause) and the speech that follows within `lookback_gap_s` are one
utterance, and any window at the normal `threshold` just before an echo-guarded onset counts too, so
the audio cut for Whisper after a barge-in keeps the first word.

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
    max_silence_s: float = 1.6  # the longest pause inside a turn judged unfinished
    lookback_gap_s: float = 0.5  # a cancelled onset this close before the next one starts the utterance
    lookback_max_s: float = 1.0  # never reach further back than this before the confirmed onset

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0 or not 0.0 < self.echo_threshold < 1.0:
            raise ValueError("thresholds must be inside 0..1")
        if self.speculative_pause_s and self.speculative_pause_s >= self.end_silence_s:
            raise ValueError("speculative_pause_s must be shorter than end_silence_s")
        if self.max_silence_s < self.end_silence_s:
            raise ValueError("max_silence_s must not be shorter than end_silence_s")


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
    reason: Literal["silence", "max_length", "verdict"]
    at_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


TurnEvent = SpeechStarted | SpeechPaused | SpeechResumed | TurnEnded


class _State(Enum):
    SILENCE = "silence"
    ONSET = "onset"
    SPEAKING = "speaking"


Verdict = Literal["end", "hold", "none"]


class TurnDetector:
    def __init__(self, policy: TurnPolicy | None = None, *, verdicts: bool = False) -> None:
        self.policy = policy or TurnPolicy()
        self.verdicts = verdicts
        self._echo = False
        self._first_voiced: float | None = None  # start of the run of voiced windows (normal threshold)
        self._last_voiced_end = -1e9
        self._cancelled: tuple[float, float] | None = None  # (start, end) of the last cancelled onset
        self._reset()

    def _reset(self) -> None:
        self._state = _State.SILENCE
        self._start = 0.0
        self._voiced = 0.0
        self._last_speech_end = 0.0
        self._paused = False
        self._last_voiced = False
        self._limit = self.policy.end_silence_s  # silence that ends the current pause

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

    @property
    def sounding_now(self) -> bool:
        """The last window was voiced and belongs to an onset or a confirmed utterance."""
        return self._state is not _State.SILENCE and self._last_voiced

    @property
    def sound_start_s(self) -> float | None:
        """Where the current sound began (its first voiced window), None in silence."""
        return None if self._state is _State.SILENCE else self._utterance_start(self._start)

    @property
    def onset_s(self) -> float:
        """Voiced seconds since a sound began (an onset not yet confirmed as speech counts too)."""
        return self._voiced if self._state is not _State.SILENCE else 0.0

    def _track_first_voiced(self, prob: float, start_s: float, end_s: float) -> None:
        if prob >= self.policy.threshold:
            if self._first_voiced is None or start_s - self._last_voiced_end > self.policy.onset_gap_s:
                self._first_voiced = start_s
            self._last_voiced_end = end_s

    def _utterance_start(self, onset: float) -> float:
        """Where the utterance confirmed at `onset` really began (see the module docstring)."""
        p, start = self.policy, onset
        if self._first_voiced is not None and self._last_voiced_end >= onset - 1e-9:
            start = min(start, self._first_voiced)
        if self._cancelled is not None and onset - self._cancelled[1] <= p.lookback_gap_s:
            start = min(start, self._cancelled[0])
        return max(start, onset - p.lookback_max_s)

    def step(self, prob: float, start_s: float, end_s: float) -> TurnEvent | None:
        on, off, min_speech = self._thresholds()
        p = self.policy
        dur = end_s - start_s
        self._last_voiced = prob >= off
        self._track_first_voiced(prob, start_s, end_s)
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
                self._cancelled = (self._start, self._last_speech_end)
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
                self._limit = p.end_silence_s
                return SpeechResumed(self._start, end_s)
            return None
        silence = end_s - self._last_speech_end
        if silence >= self._limit - 1e-9:
            return self._end(end_s, "silence")
        if p.speculative_pause_s and not self._paused and silence >= p.speculative_pause_s:
            self._paused = True
            if self.verdicts:
                self._limit = p.max_silence_s  # until the verdict arrives
            return SpeechPaused(self._start, self._last_speech_end, end_s)
        return None

    def verdict(self, verdict: Verdict, speech_end_s: float, now_s: float) -> TurnEnded | None:
        """The judge's answer for the pause after speech ending at `speech_end_s` (from its
        `SpeechPaused`). Ignored when the caller went on talking or the turn already ended. "end"
        returns the TurnEnded at once; "none" may too, when `end_silence_s` has already passed."""
        if self._state is not _State.SPEAKING or not self._paused or abs(speech_end_s - self._last_speech_end) > 1e-6:
            return None
        if verdict == "end":
            return self._end(max(now_s, self._last_speech_end), "verdict")
        self._limit = self.policy.max_silence_s if verdict == "hold" else self.policy.end_silence_s
        if now_s - self._last_speech_end >= self._limit - 1e-9:
            return self._end(now_s, "silence")
        return None

    def _confirm(self, now: float, min_speech: float) -> TurnEvent | None:
        if self._voiced >= min_speech - 1e-9:
            self._state = _State.SPEAKING
            self._start = self._utterance_start(self._start)
            self._cancelled = None
            return SpeechStarted(self._start, now)
        return None

    def _end(self, now: float, reason: Literal["silence", "max_length", "verdict"]) -> TurnEnded:
        event = TurnEnded(self._start, self._last_speech_end, reason, now)
        self._reset()
        return event

    def flush(self, now: float) -> TurnEnded | None:
        """End of stream: close an open utterance."""
        if self._state is _State.SPEAKING:
            return self._end(now, "silence")
        self._reset()
        return None
