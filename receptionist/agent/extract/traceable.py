"""Whether a date proposed by the language model can be traced to the caller's words.

The model proposes, code disposes: a date the LLM read from an answer is kept only when the words
carry it (DESIGN.md, practice 8).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from receptionist.agent.extract import daterules as r
from receptionist.agent.extract.lexicon import weekday_of, words
def traceable(day: date, text: str, today: date, *, ref: date | None = None) -> bool:
    """Whether a date proposed by the language model can be traced to the caller's words (`text`,
    number words already as digits): its day of month is said (and its month too, unless it is
    within ~6 weeks of today or `ref`), or its weekday is said and it is within two weeks. Never a
    day before today or more than a year ahead."""
    if day < today or day > today + timedelta(days=366):
        return False
    t = r.without_vague_days(r.normalise(text))[0]  # "a few days after the 10th" carries no 10th
    near = min(abs((day - today).days), abs((day - ref).days) if ref else 999)
    numbers = {int(n) for n in re.findall(r"(?<![\d:.,])(\d{1,2})(?![\d:])", t)}
    months = {r.month_group(w) for w in words(t)} - {None}
    if day.day in numbers and (day.month in months or (not months and near <= 45)):
        return True
    weekdays = {wd for w in words(t) if (wd := weekday_of(w)) is not None}
    return day.weekday() in weekdays and (day - today).days <= 14
