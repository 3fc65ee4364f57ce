"""No question a third time, no reply a third time. After routing a turn the agent checks two
things and, when either holds, offers a colleague's call back instead of what it was about to say:

- the same question (`SessionState.asked`) is asked for the third time in a row while nothing in the
  session moved (slots, mode, the booking being changed) and the caller's words held nothing to use (no
  value, code or number, nor a question; a "no" that changes nothing counts) — e.g. the
  summary's "Shall I book it?" met twice by words that are neither yes, no nor a change;
- the same reply, word for word, would be said a third time in the conversation.

Each booking question has its own, finer limit (BookingFlow.ask_next), the call-back number too
(callback_talk); this guard catches every other place. Replies are remembered as short hashes in
SessionState.said, never as text."""

from __future__ import annotations

import hashlib

from receptionist.agent.booking_flow import describe_request, offer_call_back
from receptionist.agent.session import SessionState
from receptionist.agent.turn import Turn

MAX_SAME = 2  # a reply, or a question with nothing moving, may come this many times; then a way out
_KEEP = 40  # replies remembered per conversation (the oldest are forgotten)
_UNDERSTOOD = ("question", "greeting", "thanks_bye", "human")  # turns that were understood, though nothing moved


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _where(state: SessionState) -> str:
    """Where the conversation stands: mode, question, slots and the booking being managed."""
    return _hash(repr((state.mode, state.asked, sorted(state.slots.items()), state.manage)))


def guard(turn: Turn, before: SessionState) -> None:
    """Count this turn's reply and question against `before` (the session before the turn); the
    third time, replace the reply with an apology and a call-back offer (on the number known — the
    booking's or the caller id — or asking for one). Nothing changes when the turn ends the
    conversation, hands over, or is in the call-back mode (which has its own limit)."""
    if not turn.parts or turn.end or turn.handoff or turn.state.mode == "callback":
        return
    key = _hash(" ".join(p for p in turn.parts if p))
    said = dict(turn.state.said)
    times = said.pop(key, 0) + 1
    said[key] = times  # (re-inserted: the most recent last)
    h = turn.heard
    understood = turn.intent in _UNDERSTOOD or h.has_slot_values or h.code or h.phone  # a bare "no" moves nothing
    stuck = turn.state.asked is not None and not understood and _where(turn.state) == _where(before)
    asked_in_a_row = before.same_ask + 1 if stuck else 1
    turn.update(said=dict(list(said.items())[-_KEEP:]), same_ask=asked_in_a_row)
    if times > MAX_SAME or asked_in_a_row > MAX_SAME:
        _offer_call_back(turn)


def _offer_call_back(turn: Turn) -> None:
    turn.notes["loop_guard"] = "same-reply"
    turn.parts[:] = []
    turn.options[:] = []
    reason = "could not understand the caller" + (
        "; " + describe_request(turn) if turn.state.mode in ("booking", "confirming") else "")
    offer_call_back(turn, reason, known="stuck_offer_known", ask="stuck_ask_phone")
