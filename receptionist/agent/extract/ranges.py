"""Two dates said as one range ("10.12-15.12", "10.-13.12", "December 10 to 15", "10 detsembrist 15
detsembrini", "с 10 по 15 декабря"): the start and the end, or None. Patterns: daterules.py."""

from __future__ import annotations

import re
from datetime import date

from receptionist.agent.extract import daterules as r


def date_range(t: str, today: date, ref: date | None) -> tuple[date, date] | None:
    """(start, end) of the first range in the normalised text `t`, or None. `ref` places bare days."""
    for m in r.NUMERIC_RANGE.finditer(t):
        start = r.resolve_day_month(int(m[1]), int(m[2]), r.year_group(m[3]), today)
        if start is None:
            continue
        end = _end_of(int(m[4]), int(m[5]), r.year_group(m[6]), start)
        if end is not None:
            return start, end
    for m in r.NUMERIC_DAYS_RANGE.finditer(t):
        start = r.resolve_day_month(int(m[1]), int(m[3]), r.year_group(m[4]), today)
        end = start and _end_of(int(m[2]), int(m[3]), r.year_group(m[4]), start)
        if start and end:
            return start, end
    for m in r.MONTH_FIRST_RANGE.finditer(t):
        m1, m2 = r.month_group(m[1]), r.month_group(m[3])
        if m1 is None:
            continue
        start = r.resolve_day_month(int(m[2]), m1, r.year_group(m[5]), today)
        end = start and _end_of(int(m[4]), m2 or m1, r.year_group(m[5]), start)
        if start and end:
            return start, end
    for m in r.DAY_FIRST_RANGE.finditer(t):
        if span := _day_first(m, today, ref):
            return span
    return None


def _day_first(m: re.Match[str], today: date, ref: date | None) -> tuple[date, date] | None:
    prefix, d1, mark1, mon1, conn, d2, mark2, mon2, year = m.groups()
    m1, m2 = r.month_group(mon1), r.month_group(mon2)
    if (mon1 and m1 is None) or (mon2 and m2 is None):
        return None
    conn = conn.strip()
    if conn == "and" and prefix != "between":
        return None
    if not conn and not ((mon1 or "").endswith("st") or (mon2 or "").endswith("ni")):
        return None  # "10 detsembrist 15 detsembrini" needs no connector; "10 15" is no range
    if not (m1 or m2 or mark1 or mark2 or prefix):
        return None  # "2-3" alone could be anything
    y = r.year_group(year)
    if m1 or m2:
        start = r.resolve_day_month(int(d1), _start_month(m1, m2, d1, d2), y if not m1 or m1 == m2 else None, today)
        end = start and _end_of(int(d2), m2 or m1, y, start)
    else:
        if int(d2) <= int(d1) and int(d1) - int(d2) < 15:
            return None  # "from the 15th to the 10th": reversed, not a month-long stay (see _reversed_range)
        start = r.resolve_day(int(d1), today, ref)
        end = start and r.day_after(int(d2), start)
    return (start, end) if start and end else None


def _start_month(m1: int | None, m2: int | None, d1: str, d2: str) -> int:
    """The start's month when only one month is said: the end's, or the month before it when the
    start's day is well after the end's ("28. kuni 2. detsembrini" = 28 November – 2 December)."""
    if m1 is None and m2 is not None and int(d1) - int(d2) >= 15:  # "15. kuni 10." is reversed, not a month
        return 12 if m2 == 1 else m2 - 1
    return m1 or m2 or 0


def past_range(t: str, today: date) -> bool:
    """Whether `t` holds a range with its month said that starts on a day just passed ("20. kuni 23.
    novembrini", "from the 20th to the 23rd of November" said on 24 November): said back, never
    moved to next month."""
    for m in r.DAY_FIRST_RANGE.finditer(t):
        _, d1, _, mon1, _, d2, _, mon2, year = m.groups()
        m1, m2 = r.month_group(mon1), r.month_group(mon2)
        if (m1 or m2) and r.year_group(year) is None:
            month = _start_month(m1, m2, d1, d2)
            said = r.safe_date(today.year, month, int(d1))
            if said is not None and said < today and r.resolve_day_month(int(d1), month, None, today) is None:
                return True
    return False


def _end_of(day: int, month: int, year: int | None, start: date) -> date | None:
    if year is not None:
        end = r.safe_date(year if year >= 100 else year + 2000, month, day)
    else:
        end = r.safe_date(start.year, month, day)
        if end is not None and end <= start and month < start.month:  # "28.12-3.01"
            end = r.safe_date(start.year + 1, month, day)
    return end if end is not None and end > start else None
