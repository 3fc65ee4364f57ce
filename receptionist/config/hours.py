"""Opening hours and closure dates as config values.

TOML shapes accepted:
    [tenants.hours]            # days not listed are closed; [] also means closed
    mon = ["08:00-12:00", "13:00-18:00"]
    closures = ["2026-12-24..2026-12-26", 2027-01-01]   # strings, ranges or TOML dates
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from receptionist.config.fields import Section
from receptionist.errors import ConfigError

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Interval:
    """A same-day interval of local wall-clock time, start < end."""

    start: time
    end: time

    def contains(self, start: time, end: time) -> bool:
        return self.start <= start and end <= self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Seven tuples of intervals, Monday first (index = date.weekday())."""

    days: tuple[tuple[Interval, ...], ...] = ((),) * 7

    def on(self, weekday: int) -> tuple[Interval, ...]:
        return self.days[weekday]

    def is_open(self, weekday: int) -> bool:
        return bool(self.days[weekday])

    def describe(self) -> dict[str, list[str]]:
        return {name: [str(i) for i in self.days[n]] for n, name in enumerate(WEEKDAYS)}


def parse_time(key: str, text: str) -> time:
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text) if isinstance(text, str) else None
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ConfigError(f"{key} must be a time like \"14:00\" (got {text!r})")
    return time(int(m.group(1)), int(m.group(2)))


def parse_interval(key: str, text: Any) -> Interval:
    m = _INTERVAL.match(text) if isinstance(text, str) else None
    if not m:
        raise ConfigError(f"{key} must look like \"09:00-17:00\" (got {text!r})")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ConfigError(f"{key} has an invalid time (got {text!r})")
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    interval = Interval(time(h1, m1), end)
    if interval.start >= interval.end:
        raise ConfigError(f"{key} must end after it starts (got {text!r})")
    return interval


def parse_weekly_hours(s: Section) -> WeeklyHours:
    """Parse a `hours` table; unknown day names are rejected, overlapping intervals too."""
    s.reject_unknown(WEEKDAYS)
    days: list[tuple[Interval, ...]] = []
    for name in WEEKDAYS:
        texts = s.str_list(name, [])
        intervals = sorted((parse_interval(f"{s.key(name)}[{i}]", t) for i, t in enumerate(texts)),
                           key=lambda iv: iv.start)
        for a, b in zip(intervals, intervals[1:]):
            if b.start < a.end:
                raise ConfigError(f"{s.key(name)} has overlapping intervals ({a} and {b})")
        days.append(tuple(intervals))
    return WeeklyHours(tuple(days))


def parse_dates(s: Section, name: str) -> tuple[date, ...]:
    """A list of dates; "YYYY-MM-DD..YYYY-MM-DD" strings expand to every day in the range."""
    value = s.raw(name, [])
    if not isinstance(value, list):
        raise ConfigError(f"{s.key(name)} must be a list of dates (got {value!r})")
    out: set[date] = set()
    for i, item in enumerate(value):
        key = f"{s.key(name)}[{i}]"
        if isinstance(item, date):
            out.add(item)
            continue
        if not isinstance(item, str):
            raise ConfigError(f"{key} must be a date like \"2026-12-24\" (got {item!r})")
        first, sep, last = item.partition("..")
        start = _parse_date(key, first)
        end = _parse_date(key, last) if sep else start
        if end < start:
            raise ConfigError(f"{key} range must not end before it starts (got {item!r})")
        if (end - start).days > 366:
            raise ConfigError(f"{key} range is longer than a year (got {item!r})")
        out.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return tuple(sorted(out))


def _parse_date(key: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{key} must be a date like \"2026-12-24\" (got {text!r})") from None
