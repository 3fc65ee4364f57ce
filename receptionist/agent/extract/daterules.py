"""Regex rules and calendar arithmetic behind `extract_dates` (en / et / ru).

Everything here works on normalised text (see `normalise`) and is fed `today` explicitly.
No function returns a date before `today`; a date without a year is its next occurrence.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import MONTH_RE, NUMBER_WORDS, alternation, month_of

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

_ET_ORD = r"-?nda(?:l|le|lt|ks|ni|na|st|s|sse|t)?"  # Estonian ordinal + case ending ("10-ndal", "2-ndast")
_MARK = r"(?:st|nd|rd|th|-?го|-?е|-?ого|" + _ET_ORD + r"|\.)"
_DAY = r"(?<![\d.,:])(\d{1,2})(" + _MARK + r")?(?![\d:])"
_MON = r"(?:of\s+)?(" + MONTH_RE + r")"
_YEAR = r"(?:,?\s*(\d{4}))?"
_CONN = r"(\s*(?:-|to|until|till|through|thru|and|kuni|по|до)\s*|\s+)"
_UNITS = (
    r"(?!\s*(?:nights?|days?|weeks?|min|hours?|kg|years?|eur|euros?|€|dogs?|cats?|öö|päev|nädal|tund|"
    r"aasta|koer|kass|ноч|дн|сут|недел|мин|час|кг|лет|год|евро|собак|кош|кот))"
)
_PREFIX = r"(?:\b(from|between|alates|с|со|от)\s+)?(?:the\s+)?"

NUMERIC_RANGE = re.compile(
    r"(?<![\d.])(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\.?\s*(?:-|to|until|till|kuni|по|до)\s*"
    r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d])"
)
DAY_FIRST_RANGE = re.compile(
    _PREFIX + _DAY + r"(?:\s*" + _MON + r")?" + _CONN + r"(?:the\s+)?" + _DAY
    + r"(?:\s*" + _MON + r")?" + _YEAR + _UNITS
)
MONTH_FIRST_RANGE = re.compile(
    r"(" + MONTH_RE + r")\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|to|until|till|through)\s*"
    r"(?:(" + MONTH_RE + r")\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?!\d)" + _YEAR + _UNITS
)
NUMERIC_DATE = re.compile(r"(?<![\d.:])(?<!kell )(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d:]|\.\d)")
DAY_MONTH = re.compile(_DAY + r"\s*" + _MON + _YEAR)
MONTH_DAY = re.compile(r"(" + MONTH_RE + r")\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?![\d:])" + _YEAR)
ORDINAL_DAY = re.compile(
    r"(?<![\d.,:])(?<!kell )(?<!at )(\d{1,2})(?:st|nd|rd|th|-?го|-?е|" + _ET_ORD +
    r"|\s+числа|\.(?=\s*(?:$|[,;!?]|kuupäev)))(?![\w\d])"
)
UNTIL_PREFIX = re.compile(r"\b(?:until|till|to|kuni|по|до)\s+(?:the\s+)?$")
FROM_PREFIX = re.compile(r"\b(?:from|starting|alates|с|со|от)\s+(?:the\s+)?$")

RELATIVE_DAYS = (  # longest first: "day after tomorrow" before "tomorrow"
    (re.compile(r"\bday after tomorrow\b|\bülehom(?:me|se)\w*|\bпослезавтра\b"), 2),
    (re.compile(r"\btomorrow\b|\bhom(?:me|se)\w*|\bзавтра\w*"), 1),
    (re.compile(r"\btoday\b|\btonight\b|\btäna\w*|\bсегодня\b"), 0),
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _phrases(key: str) -> str:
    """A regex alternation of one list from every language folder's dates.toml."""
    forms = [p.lower() for code in langdata.folders() for p in langdata.section(code, "dates").get(key, [])]
    return alternation(forms) if forms else r"(?!x)x"


NEXT_BEFORE = re.compile(r"(?<!\w)(?:" + _phrases("next") + r")\s+(?:[^\W\d_]+\s+)?$")
THIS_BEFORE = re.compile(r"(?<!\w)(?:" + _phrases("this") + r")\s+(?:[^\W\d_]+\s+)?$")
NEXT_WEEK = re.compile(r"(?<!\w)(?:" + _phrases("next_week") + r")(?!\w)")
END_CUE = re.compile(r"(?<!\w)(?:" + _phrases("end_cues") + r")(?!\w)(?:\s+[^\W\d_]+){0,2}\s+(?:on\s+|the\s+|в\s+|во\s+)?$")
START_CUE = re.compile(r"(?<!\w)(?:" + _phrases("start_cues") + r")(?!\w)(?:\s+[^\W\d_]+){0,2}\s+(?:on\s+|the\s+|в\s+|во\s+)?$")
PAST_DAYS = re.compile(r"(?<!\w)(?:" + _phrases("past_days") + r")(?!\w)")
WEEKEND = re.compile(r"\bweekend\b|\bnädalavahetus\w*|\bвыходн\w*")
NEXT_WORD = re.compile(r"\bnext\b|\bjärgmis\w*|\bjärgmine\b|\bследующ\w*")

_NUMW = r"(\d{1,2}|" + alternation(k for k, v in NUMBER_WORDS.items() if 1 <= v <= 30) + r")"
NIGHTS = re.compile(
    rf"\b{_NUMW}\s*(?:nights?|ööd?|ööks|ööseks|ночь|ночи|ночей|суток|сутки)\b"
    r"|\b(?:for the|one|üheks|на)\s+(night|ööks|ночь)\b"
)
WEEKS = re.compile(
    rf"\b(?:for\s+{_NUMW}|{_NUMW})\s+weeks?\b|\b{_NUMW}?\s*nädalaks\b"
    rf"|\bна\s+{_NUMW}?\s*недел[июь]\w*"
)
DAYS = re.compile(rf"\bfor\s+{_NUMW}\s+days?\b|\b{_NUMW}\s+päevaks\b|\bна\s+{_NUMW}\s+(?:дн[яей]\w*|день)")
OFFSET = (
    (re.compile(rf"\bin\s+{_NUMW}\s+(?:days?|weeks?)\b"), "en"),
    (re.compile(rf"\b{_NUMW}\s+(?:päeva|nädala)\s+pärast\b"), "et"),
    (re.compile(rf"\bчерез\s+{_NUMW}\s+(?:дн\w+|день|недел\w+)"), "ru"),
)


def number(token: str | None, default: int | None = None) -> int | None:
    if not token:
        return default
    return int(token) if token.isdigit() else NUMBER_WORDS.get(token, default)


def month_group(token: str | None) -> int | None:
    return month_of(token) if token else None


def year_group(token: str | None) -> int | None:
    return int(token) if token else None
