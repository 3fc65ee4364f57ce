"""An answer read in the light of the question just asked (the session's `asked` slot).

"15" answers "which day?" with a day of the month and "10.30" answers "what time?"; digits said for
the phone question are never a new request; an answer to "which day?" that carries a day number the
rules cannot place may go to the language model's narrow date question (checked by `traceable`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time, timedelta

from receptionist import profiles
from receptionist.agent.extract.dates import DateMention
from receptionist.agent.extract.daterules import resolve_day
from receptionist.agent.extract.times import bare_clock_time
from receptionist.agent.session import SessionState
from receptionist.agent.turn import Turn


def ref_date(state: SessionState) -> date | None:
    """The day the conversation is about (the stay's start or the appointment's day), or None."""
    for key in ("start_date", "date"):
        if key in state.slots:
            return date.fromisoformat(state.slots[key])
    if state.asked == "start_date" and "end_date" in state.slots:  # a start said alone lies in the weeks before the end
        return date.fromisoformat(state.slots["end_date"]) - timedelta(days=14)
    return None


_DATE_SLOTS = ("start_date", "end_date", "date")
_BARE = re.compile(r"^\W*(?:the\s+)?(\d{1,2})(?:[.:](\d{2}))?\W*$", re.IGNORECASE)


def bare_number_answer(turn: Turn) -> DateMention | None:
    """A bare number answering the question just asked: a day of the month for a date question
    (the month nearest the stay being discussed), a clock time for the time question ("10", "8 30")."""
    h = turn.heard
    if turn.state.mode == "booking" and turn.state.asked == "time" and h.dates.time is None \
            and (clock := bare_clock_time(h.digits or h.text)) is not None:
        return replace(h.dates, time=clock)  # "kaheksa kolmkümmend", "eight thirty" to "what time?"
    m = _BARE.match(h.digits or h.text)
    if m is None and turn.state.asked == "time":  # "kümme, patsient on Mirjam Lipp": the hour comes first
        m = _BARE.match(re.split(r"[,;]", h.digits or h.text, maxsplit=1)[0])
    if m is None or turn.state.mode != "booking" or not h.dates.empty:
        return None
    number, minutes = int(m[1]), m[2]
    if turn.state.asked in _DATE_SLOTS and minutes is None:
        day = resolve_day(number, turn.today, ref_date(turn.state))
        return replace(h.dates, single=day) if day else None
    if turn.state.asked == "time" and 1 <= number <= 20 and (minutes is None or int(minutes) < 60):
        hour = number + 12 if number <= 6 else number  # "kolmeks" for an appointment is 15:00, not 3 a.m.
        return replace(h.dates, time=time(hour, int(minutes or 0)))
    return None


def date_answer_unread(turn: Turn) -> bool:
    """The bot asked for a day, and the answer has a day number or weekday the rules could not place
    (only then can the model's proposal pass `traceable`; otherwise asking it only costs time)."""
    h = turn.heard
    carried = re.search(r"(?<![\d:])\d{1,2}(?![\d:])", h.digits or h.text) or h.dates.weekday is not None
    return (turn.state.mode == "booking" and turn.state.asked in _DATE_SLOTS and h.dates.empty and bool(carried)
            and h.dates.problem is None and not h.dates.vague and h.yes_no is None and not h.has_slot_values
            and h.intent not in ("human", "cancel_booking", "change_booking", "thanks_bye"))


def bare_answer_expected(turn: Turn) -> bool:
    """Whether a short answer is expected for the slot just asked (a name, a one-time code, phone digits),
    so the language model is not asked what the caller meant."""
    asked = turn.state.asked
    if asked == "otp":  # the one-time code from the text message: the manage flow reads it
        return True
    if asked == "phone" and re.search(r"\d", turn.heard.digits or turn.heard.text):
        return True  # digits said for the phone question (maybe half of the number): never a new request
    if asked in profiles.of(turn.tenant).free_text_slots and "?" not in turn.heard.text:
        return True  # notes said for a free-text question ("a nut allergy") are the answer, not a new topic
    return asked == profiles.of(turn.tenant).name_slot and turn.heard.word_count <= 4
