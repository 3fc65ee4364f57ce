"""Taking a call back: when the caller asks for a person, and when they give the number a colleague
should call (the callback mode). No number is asked a third time."""

from __future__ import annotations

from receptionist.agent.booking_flow import spoken_phone
from receptionist.agent.callbacks import CallbackDesk
from receptionist.agent.turn import Turn


async def person_asked_for(turn: Turn, callbacks: CallbackDesk) -> None:
    """The caller asked for a person: on the phone a hand-off; elsewhere a call back, on the number
    known or asked for."""
    turn.handoff = turn.channel == "voice"
    phone = turn.heard.phone or turn.state.slots.get("phone") or turn.state.caller_id
    if turn.handoff:
        turn.say("handoff")
        turn.update(callback_reason="asked for a person")
        return
    if phone and await callbacks.take(turn, phone, "asked for a person"):
        turn.say("callback_taken", phone=spoken_phone(phone))
        turn.update(mode="idle", asked=None)
        return
    turn.update(mode="callback", callback_reason="asked for a person", asked="phone")
    turn.say("callback_ask_phone")


async def number_given(turn: Turn, callbacks: CallbackDesk) -> None:
    """In the callback mode: the number said (or the one read back, confirmed) takes the call back;
    a "no" keeps everything as it was; a number that cannot be taken is asked once more, not twice."""
    phone = turn.heard.phone
    if phone is None and turn.state.asked == "callback_confirm" and turn.heard.yes_no is True:
        phone = turn.state.slots.get("phone") or turn.state.caller_id  # the number just read back
    if phone is None:
        if turn.heard.yes_no is False:
            turn.say("kept")
            turn.update(mode="idle", asked=None)
            return
        tries = turn.state.asks.get("callback", 0) + 1
        if tries >= 2:  # no number asked a third time, digits heard or not
            await _give_up(turn)
            return
        turn.update(asks={**turn.state.asks, "callback": tries})
        turn.say("invalid_phone" if any(ch.isdigit() for ch in turn.heard.text) else "callback_ask_phone")
        return
    turn.set_slots(phone=phone)
    if await callbacks.take(turn, phone, turn.state.callback_reason or "callback"):
        turn.say("callback_taken", phone=spoken_phone(phone))
        turn.update(mode="idle", asked=None, callback_reason=None)
    else:
        turn.say("invalid_phone")

async def _give_up(turn: Turn) -> None:
    """The number for a call back could not be taken twice: an apology and an invitation to call
    again - never the question a third time. (A line that shows the caller's number was offered
    that number already: BookingFlow._offer_person.)"""
    turn.say("callback_give_up")
    turn.update(mode="idle", asked=None, callback_reason=None, asks={})
