"""The parts of a voice session that only a phone line needs: keypad answers, silence on the line and
the caller's hold.

A mixin of `VoiceSession` (kept apart so each file has one job): it uses the session's queue of caller
turns, its reply task and its `_speak`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from receptionist import lang as langdata
from receptionist.events import AgentReply
from receptionist.pipeline.keypad import KEYPAD_HINTS
from receptionist.pipeline.stt import Transcript

if TYPE_CHECKING:
    from receptionist.pipeline.voice_session import VoiceSession

log = logging.getLogger(__name__)


def line_phrase(key: str, language: str) -> str:
    """A replies.toml template of `language` (e.g. "still_there"), "" when it has none."""
    try:
        return str(langdata.section(language, "replies").get("templates", {}).get(key, ""))
    except langdata.UnknownLanguage:
        return ""


class PhoneLine:
    """Mixed into VoiceSession: `on_key`, `on_hold` and the idle watch."""

    def on_hold(self: "VoiceSession", held: bool) -> None:
        """The caller put the call on hold (re-INVITE sendonly/inactive: True) or resumed it (False). No
        "are you still there?" and no hang-up for silence while held, however long; the silence on the
        line is counted again from the resume."""
        self._idle.set_held(held, self.clock.monotonic())
        log.debug("voice: session %s %s", self.call.session_id[:8], "on hold" if held else "resumed")

    def on_key(self: "VoiceSession", key: str) -> bool:
        """A keypad key from the line (DTMF). True when the session takes it (an answer to the number
        or date question being typed); False leaves it to the line (e.g. its hand-off key)."""
        if not self.keypad or not (self._keys.started or self._awaiting in KEYPAD_HINTS):
            return False
        text = self._keys.push(key)
        if text is not None:
            from receptionist.pipeline.voice_session import _Turn  # the session's own record

            now = self.clock.monotonic()
            lang = self.stt.pinned or self._language
            typed = Transcript(text, lang, 1.0, 0.0, False, 0.0)
            empty = self.vad.audio(0.0, 0.0)
            self._turns.put_nowait(_Turn(0.0, 0.0, now, now, empty, None, typed))
            self._idle.activity(now)
        return True

    def _watch_idle(self: "VoiceSession") -> None:
        now = self.clock.monotonic()
        replying = self._reply_task is not None and not self._reply_task.done()
        busy = replying or self.bot_audible or self._keys.started or self._stop
        action = self._idle.tick(now, busy=busy, caller_sounding=self.detector.speaking)
        if action is None:
            return
        assert self._tg is not None
        log.info("voice: session %s: caller silent (%s)", self.call.session_id[:8], action)
        self._reply_task = self._tg.create_task(self._line_says(action))

    async def _line_says(self: "VoiceSession", action: str) -> None:
        key = "still_there" if action == "prompt" else "silence_goodbye"
        reply = AgentReply(session_id=self.call.session_id, language=self._language,
                           sentences=(line_phrase(key, self._language),), intent=key,
                           end_of_conversation=action == "hangup")
        await self._speak(reply, None)
        if action == "hangup":
            self.ended_by = "caller-silent"
            record = getattr(self.brain, "record_event", None)
            if record is not None:  # the conversation log says how the call ended (no callback)
                try:
                    await self._computing(record(self.call.session_id, {"event": "call-abandoned",
                                                                        "reason": "caller-silent"}))
                except Exception as exc:  # noqa: BLE001 - the call ends anyway
                    log.warning("voice: abandoned call not recorded (%s)", type(exc).__name__)
            self._stop = True



