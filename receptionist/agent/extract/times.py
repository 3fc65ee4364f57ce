"""Clock times: "at 10", "10:30", "kell 10", "в 10 утра", "half past two". Markers and prepositions are
every language folder's times.toml; the half/quarter rules below are still per language in code.

Hours 1..6 without a morning/evening marker are read as afternoon (13..18): nobody books a
pet hotel or a clinic at 3 a.m. Pass `business_hours=False` to keep them as said.
"""

from __future__ import annotations

import re
from datetime import time

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import MONTH_RE, NUMBER_WORDS, RU_ORDINAL_GEN, alternation

_NUM = r"(\d{1,2}|" + alternation(k for k, v in NUMBER_WORDS.items() if 1 <= v <= 12 and len(k) > 2) + r")"


def _forms(*keys: str) -> list[str]:
    """The regex fragments of these times.toml keys, language by language (folder order), each once."""
    forms: dict[str, None] = {}
    for code in langdata.folders():
        for key in keys:
            forms.update(dict.fromkeys(langdata.section(code, "times").get(key, ())))
    return list(forms)


def _any(*keys: str) -> str:
    """An alternation of the fragments (a never-matching regex when no language has any)."""
    return "|".join(_forms(*keys)) or r"(?!x)x"


def _unless_followed(key: str) -> str:
    """A negative lookahead for the fragments of one times.toml key ("" when no language has any)."""
    return r"(?!\s*(?:" + "|".join(_forms(key)) + "))" if _forms(key) else ""


_PM = "(?:" + _any("pm") + ")"
_AM = "(?:" + _any("am") + ")"
_MARK = rf"(?:\s*(?:(?P<pm>{_PM})|(?P<am>{_AM})))?"

_HHMM = re.compile(r"(?<![\d.])(?P<h>[01]?\d|2[0-3])[:](?P<m>[0-5]\d)(?!\d)" + _MARK)
# "at ten thirty" once number words are digits: "at 10 30"
_AT_H_M = re.compile(
    r"\b(?:" + _any("at") + r")\s+(?P<h>[01]?\d|2[0-3])\s+(?P<m>[0-5]\d)\b" + _unless_followed("not_after_minutes") + _MARK
)
_KELL_DOT = re.compile(r"\b(?:" + _any("dotted_time") + r")\s+(?P<h>[01]?\d|2[0-3])[.](?P<m>[0-5]\d)(?!\d)" + _MARK)
# "7.30 pm" (a marker after it), "18.30" (no day.month: no 18th month, no 30th): a dotted time without "at".
_DOT_MARKED = re.compile(r"(?<![\w.,:/-])(?P<h>[01]?\d|2[0-3])[.](?P<m>[0-5]\d)\s*(?:(?P<pm>" + _any("pm_after_digits")
                         + ")|(?P<am>" + _any("am_after_digits") + r"))(?!\w)")
_DOT_EVENING = re.compile(r"(?<![\w.,:/-])(?P<h>1[3-9]|2[0-3])[.](?P<m>1[3-9]|[2-5]\d)(?![\d.]|\s*[.,]?\s*\d)")
_HALF_PAST = re.compile(rf"\bhalf past {_NUM}\b" + _MARK)
_HALF_BRITISH = re.compile(rf"\bhalf {_NUM}\b(?!\s*(?:hours?|an?\b))" + _MARK)  # "half nine" = 9:30
_QUARTER = re.compile(rf"\bquarter (?P<dir>past|to) {_NUM}\b" + _MARK)
_HALF_TO_NEXT = re.compile(r"(?<!\w)(?:" + _any("half_to_next_hour") + rf")\s+{_NUM}\b" + _MARK)  # "pool kolm" = 2:30
_ET_QUARTER = re.compile(rf"\b(?:kell\s+)?(?P<q>kolmveerand|veerand)\s+{_NUM}\b" + _MARK)  # "veerand kümme" = 9:15
_RU_QUARTER = re.compile(r"\bв?\s*четверть\s+(?P<ord>" + alternation(RU_ORDINAL_GEN) + r")\b" + _MARK)  # 9:15
_RU_TO = re.compile(rf"\bбез\s+четверти\s+{_NUM}\b" + _MARK)  # "без четверти десять" = 9:45
_RU_POL = re.compile(r"\bв?\s*пол[\s-]?(?P<ord>" + alternation(RU_ORDINAL_GEN) + r")\b" + _MARK)  # "полдесятого" = 9:30
_RU_HALF = re.compile(r"\bв?\s*половин[еауы]\s+(?P<ord>" + alternation(RU_ORDINAL_GEN) + r")\b" + _MARK)
_OCLOCK = r"(?:\s*(?:" + "|".join(_forms("oclock")) + "))?" if _forms("oclock") else ""
_AT_HOUR = re.compile(
    r"(?:\b(?:" + _any("at", "at_hour_extra") + r")\s+)" + _NUM + r"\b" + _OCLOCK + r"(?!\s*[.:]?\d)"
    + r"(?![-.]?\s*(?:" + "|".join([*_forms("not_after_hour"), MONTH_RE]) + "))"
    + _MARK
)
_ONE_OCLOCK = re.compile(r"(?:" + _any("one_oclock") + r")(?!\w)(?:\s+(?P<m>[0-5]\d)(?!\d))?" + _MARK)  # "в час" = 1:00
# An hour with "o'clock" needs no "at" ("say four o'clock").
_HOUR_OCLOCK = re.compile(r"\b" + _NUM + r"\s*(?:" + "|".join(_forms("oclock")) + r")" + _MARK) if _forms("oclock") \
    else re.compile(r"(?!x)x")
# An hour with a word for "around" after it ("kümne paiku", "kahe ajal") needs no "kell" either.
_HOUR_AROUND = re.compile(r"(?<![\d.,:-])" + _NUM + r"\s+(?:" + _any("around_after_hour") + r")(?!\w)" + _MARK)
# "eight thirty", "kaheksa kolmkümmend", "восемь тридцать" said alone ("8 30"): see bare_clock_time.
_BARE_H_M = re.compile(
    r"(?<![\w.,:/-])(?P<h>1\d|2[0-3]|0?[1-9])\s+(?P<m>[0-5]\d)(?![\w-]|[.,:]\d)"
    + r"(?!\s*(?:" + "|".join([*_forms("not_after_bare_time"), MONTH_RE]) + "))" + _MARK
)
_NOON = re.compile(_any("noon"))  # "at noon", "keskpäeval", "в полдень"
_NUMBER_ALONE = re.compile(r"\b\d+\b(?!-?[^\W\d_])")  # "5", "19" - not "10th", "10-ndal", "10-го"
# A bare number with a marker only in the unambiguous English form ("3pm"): Russian "3 дня" is
# also "3 days" and "3 ночи" also "3 nights".
_HOUR_MARKED = re.compile(
    r"\b(\d{1,2})\s*(?:(?P<pm>" + _any("pm_after_digits") + ")|(?P<am>" + _any("am_after_digits") + r"))(?!\w)"
)

# "10 in the morning", "3 in the afternoon": a bare hour with a part of the day after it (times.toml
# `am_phrase` / `pm_phrase`) - but not after a month or "the" ("December 10 in the morning" is a day).
_HOUR_PHRASE = re.compile(
    r"(?<![\w.,:/-])(?<!the )(\d{1,2})\s+(?:(?P<pm>" + _any("pm_phrase") + ")|(?P<am>" + _any("am_phrase") + r"))(?!\w)"
)
_MONTH_BEFORE = re.compile(r"(?:" + MONTH_RE + r")\s+$")


def _hour_phrase(t: str) -> re.Match[str] | None:
    return next((m for m in _HOUR_PHRASE.finditer(t) if not _MONTH_BEFORE.search(t[: m.start()])), None)


def _hour(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _finish(hour: int, minute: int, m: re.Match[str], business_hours: bool) -> time | None:
    groups = m.groupdict()
    if groups.get("pm") and hour < 12:
        hour += 12
    elif groups.get("am") and hour == 12:
        hour = 0
    elif not groups.get("am") and business_hours and 1 <= hour <= 6:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def extract_time(text: str, lang: str = "en", *, business_hours: bool = True) -> time | None:
    """The first clock time mentioned, or None. `lang` is accepted for symmetry; rules cover all three."""
    found = _time_match(text.lower().replace("ё", "е"), business_hours)
    return found[0] if found else None


def time_span(text: str) -> tuple[int, int] | None:
    """Where in `text` the clock time `extract_time` reads was said ((start, end) of the words), or
    None: a number that is the time is never also a day ("kell võiks olla 2." is 14:00, not the 2nd)."""
    found = _time_match(text.lower().replace("ё", "е"), True)
    return found[1].span() if found and found[1] is not None else None


def _time_match(t: str, business_hours: bool) -> tuple[time | None, re.Match[str] | None] | None:
    if m := _HHMM.search(t) or _KELL_DOT.search(t) or _AT_H_M.search(t) or _DOT_MARKED.search(t) \
            or _DOT_EVENING.search(t):
        return _with(m, _finish(int(m["h"]), int(m["m"]), m, business_hours))
    if m := _HALF_PAST.search(t):
        h = _hour(m.group(1))
        return _with(m, None if h is None else _finish(h, 30, m, business_hours))
    if m := _HALF_BRITISH.search(t):
        h = _hour(m.group(1))
        return _with(m, None if h is None else _finish(h, 30, m, business_hours))
    if m := _QUARTER.search(t):
        h = _hour(m.group(2))
        if h is None:
            return None
        return _with(m, _finish(h, 15, m, business_hours) if m["dir"] == "past" else _finish(h - 1 or 12, 45, m, business_hours))
    if m := _HALF_TO_NEXT.search(t):  # "pool kolm" = half *to* three = 2:30
        h = _hour(m.group(1))
        return _with(m, None if h is None else _finish(h - 1 or 12, 30, m, business_hours))
    if m := _ET_QUARTER.search(t):
        h = _hour(m.group(2))
        return _with(m, None if h is None else _finish(h - 1 or 12, 45 if m["q"] == "kolmveerand" else 15, m, business_hours))
    if m := _RU_QUARTER.search(t):
        return _with(m, _finish(RU_ORDINAL_GEN[m["ord"]] - 1 or 12, 15, m, business_hours))
    if m := _RU_TO.search(t):
        h = _hour(m.group(1))
        return _with(m, None if h is None else _finish(h - 1 or 12, 45, m, business_hours))
    if m := _RU_POL.search(t):
        return _with(m, _finish(RU_ORDINAL_GEN[m["ord"]] - 1 or 12, 30, m, business_hours))
    if m := _RU_HALF.search(t):  # "в половине третьего" = 2:30
        return _with(m, _finish(RU_ORDINAL_GEN[m["ord"]] - 1 or 12, 30, m, business_hours))
    if m := _ONE_OCLOCK.search(t):
        return _with(m, _finish(1, int(m["m"] or 0), m, business_hours))
    if m := _AT_HOUR.search(t) or _HOUR_MARKED.search(t) or _HOUR_OCLOCK.search(t) or _HOUR_AROUND.search(t) \
            or _hour_phrase(t):
        h = _hour(m.group(1))
        return _with(m, None if h is None or h > 23 else _finish(h, 0, m, business_hours))
    if _NOON.search(t):
        return time(12, 0), _NOON.search(t)
    return None


def _with(m: re.Match[str], found: time | None) -> tuple[time | None, re.Match[str]] | None:
    return (found, m) if found is not None else None


def bare_clock_time(text: str, *, business_hours: bool = True) -> time | None:
    """An hour and its minutes said with nothing between them ("eight thirty", "kaheksa kolmkümmend",
    "восемь тридцать" = "8 30" once number words are digits) as the answer to "what time?", or None.
    Only when they are the only two plain numbers in `text`: the same words are also two groups of a
    phone number ("девятнадцать двадцать"), so the caller must have been asked for a time."""
    t = text.lower().replace("ё", "е")
    m = _BARE_H_M.search(t)
    if m is None or len(_NUMBER_ALONE.findall(t)) != 2:
        return None
    return _finish(int(m["h"]), int(m["m"]), m, business_hours)


# Clock times as speech recognition writes them: "at 845", "at 1045" (run together after "at" /
# "kell" / "в"), and "December 11, 930" / "2nd December 9, 30" (right after a date). Never a group
# that more digits follow (a phone number) nor a year ("10 December 2026").
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_RUN_TOGETHER = re.compile(r"\b(?P<lead>(?:" + _any("at") + r")\s+)(?P<h>[01]?\d|2[0-3])(?P<m>[0-5]\d)(?![\d:.,]?\d)(?!\s*,?\s*\d)")
_AFTER_DATE = re.compile(
    r"(?P<lead>(?:(?:" + MONTH_RE + r")\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?:"
    + MONTH_RE + r"))\w*,?\s+)(?P<h>[01]?\d|2[0-3])(?P<sep>,\s?|\s)?(?P<m>[0-5]\d)(?![\d:]|\.\d|\s*,?\s*\d)",
    re.IGNORECASE,
)


# A lone hour right after a date at the end of a sentence: "FluShot on 8 December 11.", "Friday 4 December 10?"
_HOUR_AFTER_DATE = re.compile(
    r"(?P<lead>(?:(?:" + MONTH_RE + r")\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?:"
    + MONTH_RE + r"))\w*,?\s+)(?P<h>1\d|2[0-3]|[1-9])(?=\s*(?:[.!?]+\s*$|$|[.!?]\s+(?!\d|(?:"
    + MONTH_RE + r"))))",
    re.IGNORECASE,
)


def stt_clock(text: str) -> str:
    """`text` (number words already as digits) with clock times written the way speech recognition
    writes them turned into "H:MM": "at 845" -> "at 8:45", "December 11, 930" -> "December 11, 9:30",
    "2nd December 9, 30" -> "2nd December 9:30". Years and digit groups of a phone number stay."""
    def clock(m: re.Match[str]) -> str:
        if not m.groupdict().get("sep") and _YEAR_LIKE.fullmatch(m["h"] + m["m"]):
            return m[0]
        return f"{m['lead']}{int(m['h'])}:{m['m']}"
    at = (_forms("at") or ["at"])[0]
    text = _AFTER_DATE.sub(clock, _RUN_TOGETHER.sub(clock, text))
    return _HOUR_AFTER_DATE.sub(lambda m: f"{m['lead']}{at} {int(m['h'])}:00", text)

