"""Regex rules and calendar arithmetic behind `extract_dates`; the words are every language folder's
daterules.toml (and dates.toml for week-relative words and end/start cues).

Everything here works on normalised text (see `normalise`) and is fed `today` explicitly.
No function returns a date before `today`; a date without a year is its next occurrence.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import MONTH_RE, NUMBER_WORDS, WEEKDAY_STEMS, alternation, month_of, weekday_of

# ---------------------------------------------------------------- text

_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "ё": "е", "’": "'"})


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().translate(_DASHES)).strip()


# ---------------------------------------------------------------- calendar arithmetic


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


RECENT_PAST_DAYS = 62  # a day/month that passed less than this ago is "past", not next year's


def resolve_day_month(day: int, month: int, year: int | None, today: date) -> date | None:
    """An explicit day and month: the given year (None if past), else the next occurrence — but
    None for a date that passed within RECENT_PAST_DAYS (the caller means a past day: ask)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        if year < 100:
            year += 2000
        found = safe_date(year, month, day)
        return found if found and found >= today else None
    this_year = safe_date(today.year, month, day)
    if this_year is not None and this_year < today and (today - this_year).days <= RECENT_PAST_DAYS:
        return None
    for y in range(today.year, today.year + 8):  # 29 February waits for a leap year
        found = safe_date(y, month, day)
        if found and found >= today:
            return found
    return None


def resolve_day(day: int, today: date, ref: date | None = None) -> date | None:
    """A bare day of month ("the 12th"). With `ref` (e.g. the booking being discussed) the
    occurrence nearest to `ref` wins; otherwise the next occurrence on or after today."""
    if not 1 <= day <= 31:
        return None
    if ref is not None:
        candidates = []
        for delta in (-1, 0, 1):
            y, m = add_months(ref.year, ref.month, delta)
            found = safe_date(y, m, day)
            if found and found >= today:
                candidates.append(found)
        if candidates:
            return min(candidates, key=lambda d: (abs((d - ref).days), d))
    for delta in range(0, 13):
        y, m = add_months(today.year, today.month, delta)
        found = safe_date(y, m, day)
        if found and found >= today:
            return found
    return None


def day_after(day: int, start: date) -> date | None:
    """The first date with this day of month strictly after `start` ("10th to 15th")."""
    for delta in range(0, 13):
        y, m = add_months(start.year, start.month, delta)
        found = safe_date(y, m, day)
        if found and found > start:
            return found
    return None


def next_weekday(weekday: int, today: date) -> date:
    """The next such weekday strictly after today ("on Friday" said on a Friday = in a week)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


# ---------------------------------------------------------------- patterns


def _forms(*keys: str) -> list[str]:
    """The regex fragments of these daterules.toml keys, language by language (folder order), each once."""
    out: dict[str, None] = {}
    for code in langdata.folders():
        section = langdata.section(code, "daterules")
        for key in keys:
            out.update(dict.fromkeys(section.get(key, ())))
    return list(out)


def _any(*keys: str) -> str:
    """An alternation of the fragments (a never-matching regex when there are none)."""
    return "|".join(_forms(*keys)) or r"(?!x)x"


def _optional_words(key: str) -> str:
    r"""`(?:the\s+)?`: one optional word of this key followed by space ("" when no language has one)."""
    forms = _forms(key)
    return "(?:" + "|".join(f + r"\s+" for f in forms) + ")?" if forms else ""


def _not_after(key: str) -> str:
    """Lookbehinds: not right after one of these words and a space ("kell 10.12" is a time)."""
    return "".join(f"(?<!{w} )" for w in _forms(key))


_THE = _optional_words("articles")
_MARK = "(?:" + _any("day_marks", "day_marks_with_month") + ")"
_DAY = r"(?<![\d.,:])(\d{1,2})(" + _MARK + r")?(?![\d:])"
_MON = _optional_words("month_of") + "(" + MONTH_RE + ")"
_YEAR = r"(?:,?\s*(\d{4}))?"
_CONN = r"(\s*(?:-|" + _any("until", "range_extra") + r")\s*|\s+)"
_UNITS = r"(?!\s*(?:" + _any("units") + "))"
_PREFIX = r"(?:\b(" + _any("from", "between") + r")\s+)?" + _THE
_M1ST = "(?:" + _any("month_first_marks") + ")?"

NUMERIC_RANGE = re.compile(
    r"(?<![\d.])(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\.?\s*(?:-|" + _any("until") + r")\s*"
    r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d])"
)
# "10.-13.12", "10-13.12.2026": two days of one month written once.
NUMERIC_DAYS_RANGE = re.compile(
    r"(?<![\d.:])(\d{1,2})\.?\s*-\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d:])"
)
DAY_FIRST_RANGE = re.compile(
    _PREFIX + _DAY + r"(?:\s*" + _MON + r")?" + _CONN + _THE + _DAY
    + r"(?:\s*" + _MON + r")?" + _YEAR + _UNITS
)
MONTH_FIRST_RANGE = re.compile(
    r"(" + MONTH_RE + r")\s+" + _THE + r"(\d{1,2})" + _M1ST + r"\s*(?:-|" + _any("month_first_connectors") + r")\s*"
    r"(?:(" + MONTH_RE + r")\s+)?" + _THE + r"(\d{1,2})" + _M1ST + r"(?!\d)" + _YEAR + _UNITS
)
NUMERIC_DATE = re.compile(r"(?<![\d.:])" + _not_after("dotted_time_words") + r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d:]|\.\d)")
DAY_MONTH = re.compile(_DAY + r"\s*" + _MON + _YEAR)
MONTH_DAY = re.compile(r"(" + MONTH_RE + r")\s+" + _THE + r"(\d{1,2})" + _M1ST + r"(?![\d:])" + _YEAR)
ORDINAL_DAY = re.compile(
    r"(?<![\d.,:])" + _not_after("time_words") + r"(\d{1,2})(?:" + _any("day_marks", "day_marks_alone") + r")(?![\w\d])"
)
UNTIL_PREFIX = re.compile(r"\b(?:" + _any("until") + r")\s+" + _THE + "$")
FROM_PREFIX = re.compile(r"\b(?:" + _any("from", "starting") + r")\s+" + _THE + "$")


def _relative_days() -> tuple[tuple[re.Pattern[str], int], ...]:
    """(pattern, days from today) from daterules.toml `relative_days`, most days first ("day after
    tomorrow" is tried before "tomorrow")."""
    by_days: dict[int, list[str]] = {}
    for _, rules in langdata.per_language("daterules", "relative_days"):
        for rule in rules:
            by_days.setdefault(int(rule["days"]), []).append(rule["pattern"])
    return tuple((re.compile("|".join(dict.fromkeys(p))), days) for days, p in sorted(by_days.items(), reverse=True))


RELATIVE_DAYS = _relative_days()
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _phrases(key: str) -> str:
    """A regex alternation of one list from every language folder's dates.toml."""
    forms = [p.lower() for code in langdata.folders() for p in langdata.section(code, "dates").get(key, [])]
    return alternation(forms) if forms else r"(?!x)x"


NEXT_BEFORE = re.compile(r"(?<!\w)(?:" + _phrases("next") + r")\s+(?:[^\W\d_]+\s+)?$")
THIS_BEFORE = re.compile(r"(?<!\w)(?:" + _phrases("this") + r")\s+(?:[^\W\d_]+\s+)?$")
WEEK_AFTER_NEXT = re.compile(r"(?<!\w)(?:" + _phrases("week_after_next") + r")(?!\w)")
NEXT_WEEK = re.compile(r"(?<!\w)(?:" + _phrases("next_week") + r")(?!\w)")
_NOT_AND = r"(?!(?:and|but|ja|aga|ning|и|а|но)\b)"  # a cue never reaches over into the next clause
# "the Tuesday after (that)", "sellele järgneval teisipäeval", "во вторник после этого": a weekday counted from
# the day said before it. After the weekday the phrase ends its clause ("the Tuesday after the 5th" is no
# such phrase: "after the 5th" names its own day; "teisipäeval pärast lõunat" is an afternoon).
AFTER_REF_BEFORE = re.compile(r"(?<!\w)(?:" + _phrases("after_ref_before") + r")\s+(?:[^\W\d_]{1,3}\s+)?$")
AFTER_REF_AFTER = re.compile(r"^\s*(?:" + _phrases("after_ref_after") + r")(?=\s*(?:$|[,.;!?]|(?:and|but|ja|aga|ning|и|а|но)\b))")
CORRECTION = re.compile(r"(?<!\w)(?:" + _phrases("correction_cues") + r")(?!\w)")


def corrects_what_came_before(t: str) -> bool:
    """A correction cue with no day after it ("Saturday the 5th of December I mean", "viiendal ma
    mõtlen"): the day said corrects one said in an earlier turn. "the 12th, I mean the 14th" is a
    repair inside the utterance (the last day wins there), not this."""
    cues = list(CORRECTION.finditer(t))
    if not cues:
        return False
    rest = t[cues[-1].end():]
    return not re.search(r"\d", rest) and not any(weekday_of(w) is not None for w in WORD.findall(rest))
# A few words may stand between the day and the particle ("pühapäeva õhtul tuleme Rolfile järele").
END_AFTER = re.compile(r"^\s*(?:" + _NOT_AND + r"[^\W\d_]+\s+){0,3}(?:" + _phrases("end_after") + r")(?!\w)")
def _regexes(key: str) -> str:
    """One list of regex fragments (not literal words) from every language folder's dates.toml."""
    forms = [p for code in langdata.folders() for p in langdata.section(code, "dates").get(key, [])]
    return "|".join(f"(?:{f})" for f in forms) if forms else r"(?!x)x"


# A day named only vaguely ("a few days after the 10th", "paar päeva pärast 10-ndat", "где-то после
# 10-го", "the 10th or a bit later"): the words before or after it (dates.toml `vague_before_day`,
# `vague_after_day`) and the day they blur, which carries an ordinal mark or a month (a bare "3" after
# "2 päeva pärast" is "kolmeks", a time, not a day), or is a weekday.
_WEEKDAY_WORD = r"(?:" + alternation(s for stems in WEEKDAY_STEMS.values() for s in stems if len(s) > 3) + r")[^\W\d_]*"
_VAGUE_DAY_PHRASE = (r"(?:" + _THE + r"\d{1,2}(?:(?:" + _any("day_marks", "day_marks_alone") + r")(?![\w\d])(?:\s*" + _MON
                     + r")?|(?:" + _MARK + r")?\s*" + _MON + r")(?:" + _any("day_marks_alone") + r")?|" + _WEEKDAY_WORD + ")")
VAGUE_DAY = re.compile(r"(?<!\w)(?:(?:" + _regexes("vague_before_day") + r")\s+" + _VAGUE_DAY_PHRASE
                       + r"|" + _VAGUE_DAY_PHRASE + r"\s*,?\s*(?:" + _regexes("vague_after_day") + r"))(?!\w)")


def without_vague_days(t: str) -> tuple[str, bool]:
    """`t` (normalised, number words as digits) with every vaguely named day blanked out (spaces of
    the same length), and whether there was one."""
    out = VAGUE_DAY.sub(lambda m: " " * len(m[0]), t)
    return out, out != t


_MONTH_SCOPE = re.compile(_regexes("month_scope").replace("{M}", "(?:" + MONTH_RE + ")"))
_DATED = (DAY_MONTH, DAY_FIRST_RANGE)  # a month after its day; "jaanuaris 2-ndast" is the scope


def month_said_alone(t: str, today: date) -> date | None:
    """The middle of the one month said apart from any day ("in January", "jaanuaris", "в январе";
    dates.toml `month_scope`), as a `ref` that puts the bare days in it; None when there is none or
    several. Mid-month: `resolve_day` takes the occurrence nearest to `ref`, which is then in it."""
    months = set()
    for m in _MONTH_SCOPE.finditer(t):
        word = next(g for g in m.groups() if g)
        start = m.start(m.lastindex or 0)
        dated = any(x.start() <= start < x.end() for p in _DATED for x in p.finditer(t))  # "in January 5th"
        if (month := month_of(word)) is not None and not dated:
            months.add(month)
    if len(months) != 1:
        return None
    month = months.pop()
    year = today.year if month >= today.month else today.year + 1
    days = ((date(year + month // 12, month % 12 + 1, 1)) - date(year, month, 1)).days
    return date(year, month, days // 2 + 1)


SHIFT = re.compile(
    r"(?:\b(?P<n>\d{1,2})\s+|(?<!\w)(?:a|one|на)\s+(?:(?P<n2>\d{1,2})\s+)?)?(?<!\w)(?:(?P<day>" + _regexes("shift_day_units")
    + r")|(?P<week>" + _regexes("shift_week_units") + r"))\s+(?:võrra\s+)?(?:(?P<later>" + _regexes("shift_later")
    + r")|(?P<earlier>" + _regexes("shift_earlier") + r"))(?!\w)"
    + r"(?!\s+(?:" + "|".join(p.pattern for p, _ in RELATIVE_DAYS) + r"))"  # "the day after tomorrow" is a day
)
_STOP = r"(?!(?:and|but|a|и|но|ja|aga|vaid)\b)"
INSTEAD_BEFORE = re.compile(r"(?<!\w)(?:" + _phrases("instead_before") + r")\s+(?:the\s+)?(?:" + _STOP
                            + r"[^\s,;.!?]+(?:\s+|$|(?=[,;.!?]))){1,2}")
NEGATED_DAY = re.compile(_regexes("negated_day"))
INSTEAD_AFTER = re.compile(r"(?:(?<=\s)|^)(?:" + _STOP + r"[^\s,;.!?]+\s+){1,2}(?:" + _phrases("instead_after") + r")(?!\w)")
MORE_NIGHTS = re.compile(r"(?<!\w)(?:" + _phrases("more_nights") + r")\s+(?:\d{1,2}\s+)?$|^\s*(?:" + _phrases("more_nights") + r")(?!\w)")
PAST_DAYS = re.compile(r"(?<!\w)(?:" + _phrases("past_days") + r")(?!\w)")
WEEKEND = re.compile(_any("weekend"))
NEXT_WORD = re.compile(_any("next_word"))
AFTER_NEXT_WORD = re.compile(_any("after_next_word"))
_END_WORDS = re.compile(r"(?<!\w)(?:" + _phrases("end_cues") + r")(?!\w)")
_START_WORDS = re.compile(r"(?<!\w)(?:" + _phrases("start_cues") + r")(?!\w)")


def shift_role(t: str) -> str:
    """Which day a move by days is about: "end" ("pick him up a day earlier", "päev varem järele"),
    "start" ("bring her a day later"), or "" (the whole stay: "two days later")."""
    end, start = _END_WORDS.search(t), _START_WORDS.search(t)
    return "end" if end and not start else "start" if start and not end else ""


KEEP_END = re.compile(r"(?<!\w)(?:" + _phrases("keep_end") + r")(?!\w)")  # "same pick-up day"
FEWER_NIGHTS = _phrases("fewer_nights")  # "one night less", "üks öö vähem"
MORE_NIGHTS_AFTER = _phrases("more_nights_after")  # "two days longer", "kaks päeva kauem"
THIS_WORD = re.compile(_any("this_word"))
_DAY_PREP = _optional_words("day_prepositions")
END_CUE = re.compile(r"(?<!\w)(?:" + _phrases("end_cues") + r")(?!\w)(?:\s+" + _NOT_AND + r"[^\W\d_]+){0,2}\s+" + _DAY_PREP + "$")
START_CUE = re.compile(r"(?<!\w)(?:" + _phrases("start_cues") + r")(?!\w)(?:\s+" + _NOT_AND + r"[^\W\d_]+){0,2}\s+" + _DAY_PREP + "$")
START_AFTER = re.compile(r"^\s*(?:" + _NOT_AND + r"[^\W\d_]+\s+)?(?:" + _phrases("start_after") + r")(?!\w)")

_NUMW = r"(\d{1,2}|" + alternation(k for k, v in NUMBER_WORDS.items() if 1 <= v <= 30) + r")"


def _durations(key: str) -> list[str]:
    """Duration templates of one daterules.toml key with {N} filled in by the number pattern."""
    return [t.replace("{N}", _NUMW) for t in _forms(key)]


NIGHTS = re.compile(
    rf"\b{_NUMW}\s*(?:" + _any("night_units") + r")\b"
    r"|\b(?:" + _any("one_night_before") + r")\s+(" + _any("one_night_word") + r")\b"
)
WEEKS = re.compile("|".join(_durations("weeks")) or r"(?!x)x")
DAYS = re.compile("|".join(_durations("days")) or r"(?!x)x")
FORTNIGHT = re.compile(_any("fortnight"))  # two weeks in one word
OFFSET = tuple(  # (pattern, language): dateparser reads the fragment in that language
    (re.compile(t.replace("{N}", _NUMW)), code)
    for code, templates in langdata.per_language("daterules", "offset") for t in templates
)


def without_offsets(t: str) -> str:
    """`t` with the offsets from today blanked (same length): "in two weeks" names a day, no stay."""
    for pattern, _ in OFFSET:
        t = pattern.sub(lambda m: " " * len(m[0]), t)
    return t


def number(token: str | None, default: int | None = None) -> int | None:
    if not token:
        return default
    return int(token) if token.isdigit() else NUMBER_WORDS.get(token, default)


def month_group(token: str | None) -> int | None:
    return month_of(token) if token else None


def year_group(token: str | None) -> int | None:
    return int(token) if token else None


def weekend(t: str, today: date, *, this_said: bool = False) -> tuple[date, date] | None:
    """(Saturday, Sunday) of the weekend `t` names, or None: "next weekend" said Monday-Thursday is
    the coming one, said Friday-Sunday the one after, and the one after too when "this" is said
    beside it (`this_said`: also in a part of the sentence left out, "не на эти выходные, а на
    следующие"); "the weekend after next" is a week later than
    "next weekend"; "this weekend" / "the weekend" is the coming (or current) one; said on a Sunday
    without "next", it is today."""
    if not WEEKEND.search(t):
        return None
    after_next = bool(AFTER_NEXT_WORD.search(t))
    if today.weekday() == 6 and not NEXT_WORD.search(t) and not after_next:
        return today, today
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if (NEXT_WORD.search(t) or after_next) and (today.weekday() >= 4 or this_said or THIS_WORD.search(t)):
        saturday += timedelta(days=7)  # said Friday-Sunday, or "not this weekend but the next"
    if after_next:
        saturday += timedelta(days=7)  # "the weekend after next", "ülejärgmisel nädalavahetusel"
    return saturday, saturday + timedelta(days=1)


def offset_day(fragment: str, lang: str, today: date) -> date | None:
    """The day a relative offset names ("in 3 days", "3 päeva pärast", "через 3 дня"; an OFFSET match) via
    dateparser, or None when it is not within 400 days from `today`."""
    import dateparser

    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": datetime.combine(today, time())}
    parsed = dateparser.parse(fragment, languages=[lang], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if day < today:  # every offset pattern names the future; dateparser reads "2 weeks from today" as ago
        day = today + (today - day)
    return day if today <= day <= today + timedelta(days=400) else None


def in_week_of(span: tuple[date, date] | None, weekend: tuple[date, date] | None) -> tuple[date, date] | None:
    """A range of weekdays moved into the weekend named beside it ("на следующие выходные, с субботы по
    воскресенье", "this weekend, Saturday to Monday"); without a weekend word it stays as it is."""
    if span is None or weekend is None:
        return span
    weeks = -(-((weekend[0] - timedelta(days=1)) - span[0]).days // 7)  # to the week of that weekend's Friday
    return span[0] + timedelta(weeks=weeks), span[1] + timedelta(weeks=weeks)
