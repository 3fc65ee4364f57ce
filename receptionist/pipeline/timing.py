"""Frozen timing and timeline events of a voice session. Times are `Clock.monotonic()` seconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class TurnTiming:
    """One caller turn: caller stops -> transcript -> agent reply -> first bot audio."""

    session_id: str
    turn: int
    language: str
    speech_start: float
    speech_end: float
    transcript_ready: float
    reply_ready: float | None
    first_audio_out: float | None
    speculative_hit: bool  # the transcript came from the speculative pass
    stt_compute_s: float
    tts_first_compute_s: float | None = None

    @property
    def voice_to_voice_s(self) -> float | None:
        return None if self.first_audio_out is None else self.first_audio_out - self.speech_end

    @property
    def stt_s(self) -> float:
        return self.transcript_ready - self.speech_end

    @property
    def agent_s(self) -> float | None:
        return None if self.reply_ready is None else self.reply_ready - self.transcript_ready

    @property
    def tts_s(self) -> float | None:
        if self.reply_ready is None or self.first_audio_out is None:
            return None
        return self.first_audio_out - self.reply_ready


@dataclass(frozen=True, slots=True)
class BargeInTiming:
    """Caller speech over the bot: how fast the bot went quiet, and what it turned out to be."""

    session_id: str
    turn: int
    speech_start: float
    audio_stopped: float | None
    outcome: Literal["interrupted", "resumed", "ignored"]
    heard_text: str = ""

    @property
    def reaction_s(self) -> float | None:
        return None if self.audio_stopped is None else self.audio_stopped - self.speech_start


@dataclass(frozen=True, slots=True)
class BotSpoke:
    session_id: str
    turn: int
    text: str
    heard_text: str
    interrupted: bool
    protected: bool
    started: float | None
    ended: float


@dataclass(frozen=True, slots=True)
class CallerTurnDropped:
    session_id: str
    reason: Literal["no-speech", "backchannel", "superseded", "held"]  # held: unfinished, waiting for the rest
    at: float
