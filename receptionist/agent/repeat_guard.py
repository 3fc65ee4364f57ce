"""No reply a third time: when the agent is about to say, word for word, a reply it has said twice
already in this conversation ("Sorry, I didn't quite understand…", "Please say yes to book it…"),
it offers a colleague's call back instead, so a caller the rules cannot follow is never stuck in a
loop. (Each booking question has its own, finer limit: BookingFlow.ask_next.)

Replies are remembered as short hashes in SessionState.said, never as text."""

from __future__ import annotations

import hashlib

from receptionist.agent.booking_flow import describe_request, spoken_phone
from receptionist.agent.extract import extract_phone
from receptionist.agent.turn import Turn

MAX_SAME_REPLY = 2  # a reply may be said this many times; the next time a way out is offered
_KEEP = 40  # replies remembered per conversation (the oldest are forgotten)


def _fingerprint(parts: list[str]) -> str:
    return hashlib.sha256(" ".join(p for p in parts if p).encode("utf-8")).hexdigest()[:12]


def guard(turn: Turn) -> None:
    """Count this turn's reply; said a third time, replace it with an apology and a call-back offer
    (on the number known — the booking's or the caller id — or asking for one). Nothing changes when
    the turn ends the conversation, hands over, or is already in the call-back mode (which has its
    own limit: callback_talk)."""
    if not turn.parts or turn.end or turn.handoff or turn.state.mode == "callback":
        return
    key = _fingerprint(turn.parts)
    said = dict(turn.state.said)
    times = said.pop(key, 0) + 1
    said[key] = times  # (re-inserted: the most recent last)
    turn.update(said=dict(list(said.items())[-_KEEP:]))
    if times <= MAX_SAME_REPLY:
        return
    turn.notes["loop_guard"] = "same-reply"
    turn.parts[:] = []
    turn.options[:] = []
    turn.say("loop_offer_person")
    reason = "could not understand the caller" + (
        "; " + describe_request(turn) if turn.state.mode in ("booking", "confirming") else "")
    turn.update(mode="callback", asked="phone", asked_times=1, callback_reason=reason)
    caller = extract_phone(turn.state.caller_id, turn.tenant.phone_region) if turn.state.caller_id else None
    phone = turn.state.slots.get("phone") or caller
    if phone:
        turn.say("stuck_offer_known", phone=spoken_phone(phone))
        turn.update(asked="callback_confirm")
    else:
        turn.say("stuck_ask_phone")
