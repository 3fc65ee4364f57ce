"""The end-of-turn side of a voice session (a mixin of `VoiceSession`, kept apart so each file has one
job): the speculative transcript at a short pause and the final one; a turn that ended goes to the
responder with its audio; the turn model's verdict on a pause; and, for a transcript that reads
unfinished, the wait for the caller to go on."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from receptionist.audio.pcm import AudioChunk
from receptionist.pipeline.end_of_turn import complete_number
from receptionist.pipeline.stt import Transcript
from receptionist.pipeline.turn import SpeechPaused, TurnEnded

if TYPE_CHECKING:
    from receptionist.pipeline.voice_session import VoiceSession, _Turn

log = logging.getLogger("receptionist.pipeline.voice_session")  # the session's log, whichever file


class TurnTaking:
    """Mixed into VoiceSession: `_turn_ended`, `_ask_turn_model`, `_check_turn`, `_caller_goes_on`,
    `_start_speculation`, `_speculate`, `_final_transcript`."""

    def _turn_ended(self: "VoiceSession", event: TurnEnded) -> None:
        """Queue the ended turn for the responder, its audio from the first voiced window (+ pre-roll)."""
        from receptionist.pipeline.voice_session import _Turn  # the session's own record

        self._emit(event)
        if self._arbiter is not None:
            self._arbiter.on_speech_end(self.clock.monotonic())
        spec = self._spec[2] if self._spec and self._spec[:2] == (event.start_s, event.end_s) else None
        audio = self.vad.audio(event.start_s - self.preroll_s, event.end_s + 0.1)
        self._turns.put_nowait(_Turn(event.start_s, event.end_s, self._speech_start_clock,
                                     self.vad.clock_at(event.end_s), audio, spec, early=event.reason == "verdict"))

    def _ask_turn_model(self: "VoiceSession", start_s: float, speech_end_s: float) -> None:
        """Ask the turn model about the pause after speech ending at `speech_end_s` (stream time)."""
        self._unasked = None
        audio = self.vad.audio(start_s - self.preroll_s, self.vad.history.end_s)
        assert self._tg is not None
        self._tg.create_task(self._check_turn(audio, speech_end_s))

    async def _check_turn(self: "VoiceSession", audio: AudioChunk, speech_end_s: float) -> None:
        """Ask the turn model about the pause after `speech_end_s`; act on its verdict."""
        assert self.turn_checker is not None
        # Only once the session language is known: a first turn may be in a language it is not trusted in.
        langs = self.stt.policy.languages
        language = self.stt.pinned or (langs[0] if len(langs) == 1 else None)
        verdict = await self._computing(self.turn_checker.verdict(audio, language))
        if verdict == "none" and self.dictating:
            verdict = "hold"
        ended = self.detector.verdict(verdict, speech_end_s, self.vad.history.end_s)
        if ended is not None:
            self._turn_ended(ended)

    async def _caller_goes_on(self: "VoiceSession", turn: "_Turn") -> bool:
        """True when the caller starts speaking again within the detector's `max_silence_s` of the
        end of `turn` (or already has)."""
        epoch = self._speech_epoch
        if self.detector.speaking or not self._turns.empty():
            return True
        deadline = turn.speech_end + self.detector.policy.max_silence_s
        while self._speech_epoch == epoch and (left := deadline - self.clock.monotonic()) > 0:
            self._speech_wake.clear()
            waiter = asyncio.ensure_future(self._speech_wake.wait())
            timer = asyncio.ensure_future(self.clock.sleep(min(left, 0.05)))
            try:
                await asyncio.wait({waiter, timer}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
                timer.cancel()
                await asyncio.gather(waiter, timer, return_exceptions=True)
        return self._speech_epoch != epoch

    def _start_speculation(self: "VoiceSession", event: SpeechPaused) -> None:
        assert self._tg is not None
        audio = self.vad.audio(event.start_s - self.preroll_s, event.speech_end_s + 0.1)
        task = self._tg.create_task(self._speculate(audio, event.speech_end_s))
        self._spec = (event.start_s, event.speech_end_s, task)

    async def _speculate(self: "VoiceSession", audio: AudioChunk, speech_end_s: float) -> Transcript | None:
        try:
            result = await self.stt.transcribe(audio, speculative=True)
        except Exception as exc:  # a failed speculation is retried by the final pass
            log.warning("speculative stt failed: %s", type(exc).__name__)
            log.debug("speculative stt traceback", exc_info=exc)  # DEBUG only: may carry caller content
            return None
        if self._arbiter is not None and self._utterance is not None:  # a partial transcript can settle a barge-in
            self._apply(self._arbiter.on_transcript(result.text if result else "", self.clock.monotonic(),
                                                    asking=self._utterance.asking()))
        if result is not None and self.dictating and complete_number(result.text):  # the whole number: answer now
            ended = self.detector.verdict("end", speech_end_s, self.vad.history.end_s)
            if ended is not None:
                self._turn_ended(ended)
        return result

    async def _final_transcript(self: "VoiceSession", turn: "_Turn") -> Transcript | None:
        if turn.typed is not None:
            return turn.typed
        if turn.speculation is not None:
            try:
                result = await asyncio.shield(turn.speculation)
                if result is not None:
                    return result
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                    raise
        try:
            return await self.stt.transcribe(turn.audio)
        except Exception as exc:
            log.error("stt-failed: %s", type(exc).__name__)
            log.debug("stt-failed traceback", exc_info=exc)  # DEBUG only: may carry caller content
            return None
