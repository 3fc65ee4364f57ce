"""Durations and shifts in one utterance (number words already as digits): a number of nights,
nights added ("two more nights"), a booking moved by an amount ("two days later"), and the day or
time being replaced ("instead of the 16th") left out before dates are read."""

from __future__ import annotations

import re

from receptionist.agent.extract import daterules as r


def more_nights(t: str) -> bool:
    """"two more nights", "veel kaks ööd", "ещё две ночи", "2 extra nights": nights added, not a new length."""
    m = r.NIGHTS.search(t) or r.WEEKS.search(t) or r.DAYS.search(t)
    if m is None:
        return False
    return bool(r.MORE_NIGHTS.search(t[: m.start()]) or re.match(r"\s*(?:\d+\s+)?(?:" + r._phrases("more_nights") + r")\b",
                                                                 t[m.start():]) or re.search(r"\d\s+(?:more|extra)\b", t[m.start():m.end()])
                or re.match(r"\s*(?:" + r.MORE_NIGHTS_AFTER + r")(?!\w)", t[m.end():]))  # "two days longer"


def fewer_nights(t: str) -> bool:
    """"one night less", "one fewer night", "üks öö vähem", "на одну ночь меньше": nights taken off the stay."""
    m = r.NIGHTS.search(t) or r.WEEKS.search(t) or r.DAYS.search(t)
    if m is None:
        return False
    return bool(re.match(r"\s*(?:" + r.FEWER_NIGHTS + r")(?!\w)", t[m.end():])
                or re.search(r"(?<!\w)(?:" + r.FEWER_NIGHTS + r")(?!\w)", t[m.start():m.end()]))


# "5-" / "five or" right before "6 nights" ("10.12 - 3 nights", with spaces, is a date and a count)
_UNSURE = re.compile(r"\b" + r._NUMW + r"(?:[-–]|\s+(?:" + r._any("unsure_counts") + r")\s+)$")


def nights_of(t: str) -> int | None:
    """The number of nights said ("four nights", "nädalaks" = 7, "на пять суток"), or None; None for
    a count the caller is unsure of ("5-6 nights", "на пять-шесть ночей", "five or six nights"):
    that is asked back."""
    if m := r.NIGHTS.search(t):
        return None if _UNSURE.search(t[: m.start()]) else r.number(m[1], 1)
    if r.FORTNIGHT.search(t):
        return 14
    if m := r.WEEKS.search(t):
        count = r.number(next((g for g in m.groups() if g), None), 1)
        return 7 * count if count else None
    if m := r.DAYS.search(t):
        return r.number(next((g for g in m.groups() if g), None))
    return None


def drop_replaced(t: str) -> str:
    """Leave out the day or time being replaced: "the 14th instead of the 16th", "kell üheksa asemel
    pool kolm", "вместо 16-го 14-го" keep only the new one. A day said first and then rejected in the
    same breath goes too: "4-ndal, ei, mitte 4-ndal, vaid 5-ndal" keeps only the 5th."""
    for pattern in (r.INSTEAD_BEFORE, r.NEGATED_DAY, r.INSTEAD_AFTER):
        t = _drop(pattern, t)
    return t


_DAY_NUMBER = re.compile(r"(?<![\w.,:])(\d{1,2})-?[^\W\d_]+")  # a day with its mark: "4th", "4-ndal", "4-го"


def _drop(pattern: re.Pattern[str], t: str) -> str:
    """`t` with each match of `pattern` replaced by a space, and the days it rejects left out where
    they were said before it."""
    done, last = "", 0
    for m in pattern.finditer(t):
        done += t[last:m.start()]
        for day in {d for d in _DAY_NUMBER.findall(m[0])}:
            done = re.sub(rf"(?<![\w.,:]){day}-?[^\W\d_]+", " ", done)
        done += " "
        last = m.end()
    return done + t[last:]


def shift_of(t: str) -> int | None:
    """"two days later", "kaks päeva hiljem", "nädala võrra varem", "на день позже": signed days."""
    m = r.SHIFT.search(t)
    if m is None:
        return None
    count = int(m["n"] or m["n2"] or 1)
    days = count * (7 if m["week"] else 1)
    return days if m["later"] else -days
