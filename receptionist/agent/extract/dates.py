"""Dates, stays and times mentioned in one utterance (en / et / ru), resolved against `today`.

Number words are expected as digits already (see numbers.spell_numbers; `hear` does it).

Semantics of `DateMention`:
- a range ("10 to 15 December") gives `start` and `end` (the last day said, i.e. check-out for a
  stay) and `nights = (end - start).days` unless the caller also said a number of nights;
- "from X" gives only `start`; "until X" / "X-ni" ("detsembrini", "laupäevani") gives only `end`;
  both in one sentence ("from the 10th until Sunday") give both, the end resolved after the start;
- one lone date gives `single`; with a duration ("tomorrow for 3 nights") it becomes
  `start` and `end = start + nights` instead; several lone dates: the last one wins (corrections
  come last: "not the 10th, the 12th");
- a weekend gives `start` = Saturday, `end` = Sunday (nights 1); whether a stay runs to Monday
  is the caller's decision. "next weekend" said Monday-Thursday is the coming one; said on
  Friday-Sunday it is the one after (and said beside "this": "не на эти, а на следующие"); "the weekend
  after next" is a week later. "this weekend" / "the weekend" is the coming (or current) one;
- weekdays (`weekday` is 0 = Monday), with Monday-Sunday weeks:
  "Friday" is the next Friday strictly after today; "this Friday" (sel reedel, в эту пятницу) is
  this week's Friday (the next one if it has passed); "next Friday" (järgmisel reedel, в следующую
  пятницу) and "Friday next week" (järgmise nädala reedel, на следующей неделе в пятницу) are the
  Friday of next week. A weekday given as the end ("until Sunday", "kuni pühapäevani",
  "до воскресенья") is the first such day after the start (`ref` when the start is not in the same
  sentence); `week_relative` says a weekday word decided a date, so the reply reads it back;
- `time` is the first clock time (see times.py);
- a day named only vaguely ("a few days after the 10th", "paar päeva pärast kümnendat", "где-то после
  десятого"; dates.toml `vague_before_day`) is no date: it is left out and `vague` is set, so the day
  is asked for rather than the 10th booked.
Years are never invented: a date without a year is the next occurrence on or after today, except a
date that passed less than `RECENT_PAST_DAYS` ago ("20 November" said on 30 November), which is
reported as `problem = "past-date"` rather than silently moved to next year. An explicit past date
is also "past-date". A range whose end is not after its start is `problem = "end-before-start"`.
No date field ever holds a date before `today`.
The rules are shared by all languages (a misdetected language still parses); the week words come
from each language folder's dates.toml; `lang` only picks dateparser's language for offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from receptionist.agent.extract import daterules as r
from receptionist.agent.extract.durations import drop_replaced, fewer_nights, more_nights, nights_of, shift_of
from receptionist.agent.extract.lexicon import words, weekday_of
from receptionist.agent.extract.ranges import date_range, past_range
from receptionist.agent.extract.times import extract_time, time_span

RECENT_PAST_DAYS = 62


@dataclass(frozen=True, slots=True)
class DateMention:
    """Everything date-like in one utterance, resolved against `today` (see the module docstring)."""

    start: date | None = None
    end: date | None = None
    nights: int | None = None
    single: date | None = None
    time: time | None = None
    weekday: int | None = None
    problem: str | None = None  # "past-date" | "end-before-start" | "weekday-mismatch"
    shift: int | None = None  # days to move a booking by ("two days later" = 2, "a week earlier" = -7)
    more_nights: bool = False  # `nights` are added to the stay ("two more nights", "veel kaks ööd")
    week_relative: bool = False  # a weekday / "next week" word decided a date
    clash: tuple[date, int] | None = None  # "Thursday the 11th" when the 11th is a Friday: (date, weekday said)
    vague: bool = False  # a day named only vaguely ("a few days after the 10th"): no date taken, it is asked
    corrects: bool = False  # "... I mean", "... ma mõtlen" after the day: it may replace one said in an earlier turn
    fewer_nights: bool = False  # `nights` are taken off the stay ("one night less", "üks öö vähem", "на ночь меньше")
    keep_end: bool = False  # the end stays as booked ("same pick-up day", "забирать так же")
    shift_role: str = ""  # what `shift` moves: "end" ("pick him up a day earlier"), "start", or "" (the whole stay)

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.start, self.end, self.nights, self.single, self.time))


def extract_dates(text: str, lang: str, today: date, *, ref: date | None = None) -> DateMention:
    """Everything date-like in `text`. `ref` (e.g. the current booking's start) picks the month
    for a bare day ("no, the 12th") and the week for an end weekday ("until Sunday")."""
    t, vague = r.without_vague_days(drop_replaced(r.normalise(text)))  # "a few days after the 10th" is no date
    t = re.sub(r"\b(\d{1,2})\s+(" + r._phrases("more_nights") + r")\s+", r"\2 \1 ", t)  # "2 more nights" -> "more 2 nights"
    shift = shift_of(t)
    if shift is not None:
        t = r.SHIFT.sub(" ", t)  # "на два дня раньше" moves a booking; it is no stay "на два дня"
    nights = nights_of(r.without_offsets(t))  # "in two weeks" is a day, not a 14-night stay
    weekday = _weekday(t)
    mention = DateMention(nights=nights, time=extract_time(t, lang), weekday=weekday, shift=shift,
                          more_nights=nights is not None and more_nights(t), vague=vague,
                          corrects=r.corrects_what_came_before(t), fewer_nights=nights is not None and fewer_nights(t),
                          keep_end=bool(r.KEEP_END.search(t)), shift_role=r.shift_role(t) if shift is not None else "")
    t = _without_time(t)  # "kell võiks olla 2." is 14:00, never also the 2nd
    ref = r.month_said_alone(t, today) or ref  # "jaanuaris, 2-ndast kuni 5-ndani": 2-5 January
    reversed_range, reversed_start = _reversed_range(t, today, ref)
    found = _lone_dates(t, today, ref, lang)
    if clash := _weekday_clash(t, found):  # never guess which of the two the caller meant
        return replace(mention, problem="weekday-mismatch", clash=clash)
    # A weekday right next to a date only describes it ("Thursday, 3 December", "в четверг, 3 декабря").
    weekdays = [w for w in _weekday_mentions(t) if not _describes_a_date(w[0], found, t, w[2])]
    said = r.normalise(text)  # with the part left out: "не на эти выходные, а на следующие"
    weekend = r.weekend(t if r.WEEKEND.search(t) else said, today, this_said=bool(r.THIS_WORD.search(said)))
    span = date_range(t, today, ref)
    if span is None and past_range(t, today):
        return replace(mention, problem="past-date")  # "20. kuni 23. novembrini" on 24 November
    if span is None and not found:
        span = r.in_week_of(_weekday_range(weekdays, today), weekend)  # "this weekend, Saturday to Monday"
    span = span or weekend
    if span is not None:
        start, end = span
        return replace(mention, start=start, end=end, nights=nights or (end - start).days,
                       week_relative=_has_weekday(t))
    if reversed_range:
        return replace(mention, start=reversed_start, problem="end-before-start")
    if not found and not weekdays:
        return replace(mention, problem=_past_problem(t, today))
    week_relative = bool(weekdays)
    starts = [(pos, day) for pos, day, role in found if role == "start"]
    starts += [(pos, _resolve_weekday(wd, mod, today)) for pos, wd, role, mod in weekdays if role == "start"]
    plain = [(pos, day) for pos, day, role in found if role == ""]
    plain += [(pos, _resolve_weekday(wd, mod, today)) for pos, wd, role, mod in weekdays if role == ""]
    plain.sort()
    end_marks = [(pos, day, None, "") for pos, day, role in found if role == "end"]
    end_marks += [(pos, None, wd, mod) for pos, wd, role, mod in weekdays if role == "end"]
    end_marks.sort(key=lambda e: e[0])
    start_pos, start_day = max(starts) if starts else (None, None)
    if start_day is None and end_marks and plain and plain[0][0] < end_marks[-1][0] \
            and plain[0][1] != end_marks[-1][1]:  # "no, the 12th - we collect him on the 12th" is one day
        start_pos, start_day = plain[0]  # "the 20th, and we'd collect on the 27th"
    end_day = None
    if end_marks:
        _, explicit, wd, mod = end_marks[-1]
        after = start_day or ref
        end_day = explicit or (r.next_weekday(wd, after) if after and mod in ("", "after") else _resolve_weekday(wd, mod, today))
        if explicit is None and after and mod == "next" and end_day <= after:
            end_day = r.next_weekday(wd, after)  # "from Friday the 4th until next Tuesday": the one after the start
    elif start_day is not None and start_pos is not None and any(pos > start_pos for pos, _ in plain):
        end_day = [day for pos, day in plain if pos > start_pos][-1]  # "check in on the 20th, out on the 27th"
    elif len(plain) == 2 and _joined_by_and(t, plain[0][0], plain[1][0]):
        start_day, end_day = plain[0][1], plain[1][1]  # "tuleb 19. ja lahkub 22. detsembril"
    if start_day is not None and end_day is not None and start_pos is not None \
            and not any(r.month_group(w) for w in words(t[start_pos:_end_pos(end_marks, plain, start_pos)])):
        start_day = _in_month_of(start_day, end_day, today)  # "kolmandal ja kaheksandal jaanuaril": 3 January
    if start_day is not None and end_day is not None:
        if end_day <= start_day and start_pos is not None and not any(  # the end has no month of its own
                r.month_group(w) for w in words(t[_end_pos(end_marks, plain, start_pos):])[:3]):
            later = r.day_after(end_day.day, start_day)  # "in on the 20th, out on the 27th" said on 24 November
            end_day = later if later is not None and (later - start_day).days <= 14 else end_day
        if end_day <= start_day:
            return replace(mention, start=start_day, problem="end-before-start", week_relative=week_relative)
        return replace(mention, start=start_day, end=end_day, nights=nights or (end_day - start_day).days,
                       week_relative=week_relative)
    if end_day is not None:
        return replace(mention, end=end_day, week_relative=week_relative)
    if start_day is not None:
        end = start_day + timedelta(days=nights) if nights else None
        return replace(mention, start=start_day, end=end, week_relative=week_relative)
    day = plain[-1][1]  # several lone days: the last one wins (a correction comes last)
    if nights:
        return replace(mention, start=day, end=day + timedelta(days=nights), week_relative=week_relative)
    return replace(mention, single=day, week_relative=week_relative)


def _without_time(t: str) -> str:
    """`t` with the words of its clock time blanked (same length), unless the number runs on into a
    day mark or a word ("к 5-му", "10-ndal")."""
    span = time_span(t)
    if span is None or re.match(r"[-.]?[^\W\d_]", t[span[1]:]):
        return t
    return t[: span[0]] + " " * (span[1] - span[0]) + t[span[1]:]


def _describes_a_date(pos: int, found: list[tuple[int, date, str]], t: str, role: str = "") -> bool:
    """A weekday word near an explicit date, or naming that date's own weekday, only describes it
    ("Thursday, 3 December", "laupäeval, laupäeval, 5. kuupäeval") - unless it ends what the date
    starts ("ülehomsest pühapäevani")."""
    day = weekday_of(r.WORD.match(t, pos)[0]) if r.WORD.match(t, pos) else None
    return any((abs(pos - f[0]) <= 16 or day == f[1].weekday()) and not _other_end(role, f[2])
               and not re.search(r"\b(?:to|until|till|kuni|по|до|and|ja|и)\b", t[min(pos, f[0]):max(pos, f[0])])
               for f in found)


def _other_end(weekday_role: str, date_role: str) -> bool:
    """A weekday that ends what the date starts (or the reverse) says nothing of the date's weekday."""
    return (weekday_role == "end" and date_role != "end") or "" != weekday_role != date_role != ""


_RANGE_WORDS = frozenset({"to", "until", "till", "and", "kuni", "ja", "по", "до", "и"})


def _weekday_clash(t: str, found: list[tuple[int, date, str]]) -> tuple[date, int] | None:
    """A weekday word right next to an explicit date that falls on another weekday ("Thursday,
    11 December" when that is a Friday; "neljapäeval, 11. detsembril"): (the date, the weekday said)."""
    roles = {pos: role for pos, _, role, _ in _weekday_mentions(t)}
    for m in r.WORD.finditer(t):
        said = weekday_of(m[0])
        if said is None or _names_an_existing_day(m[0], t[m.end():m.end() + 2]):
            continue
        for pos, day, role in found:
            if day.weekday() == said or abs(pos - m.start()) > 20 or _other_end(roles.get(m.start(), ""), role):
                continue  # "ülehomsest pühapäevani": a start and an end, no weekday said of a date
            between = re.findall(r"[^\W\d_]+", t[m.end():pos] if pos > m.start() else t[pos:m.start()])
            if pos > m.start():  # "Thursday, the 11th": nothing but little words in between
                close = all(w in ("the", "of", "on", "den", "в", "во", "на") for w in between)
            else:  # "11 December, Thursday", "tomorrow, Friday": the date and at most a month word
                close = len(between) <= 2 and not any(w in _RANGE_WORDS for w in between)
            if close:
                return day, said
    return None


def _end_pos(end_marks: list, plain: list[tuple[int, date]], start_pos: int) -> int:
    later = [e[0] for e in end_marks] + [pos for pos, _ in plain if pos > start_pos]
    return max(later) if later else start_pos


def _in_month_of(start: date, end: date, today: date) -> date:
    """A bare start day takes the end's month when the month was said only once, after both days."""
    same = r.safe_date(end.year, end.month, start.day)
    return same if same is not None and today <= same < end else start


def _joined_by_and(t: str, first: int, second: int) -> bool:
    """Two days joined by "and" (no negation between): a start and an end, not a correction."""
    between = t[first:second]
    return bool(re.search(r"\b(?:and|ja|и)\b", between)) and not re.search(r"\b(?:not|no|ei|mitte|не|нет)\b", between)


def _weekday_range(days: list[tuple[int, int, str, str]], today: date) -> tuple[date, date] | None:
    """"from Friday to Monday", "reedest esmaspäevani", "с пятницы до понедельника",
    "drop off next Thursday, collect Sunday" (`days` from _weekday_mentions)."""
    if len(days) < 2 or days[0][1] == days[1][1]:
        return None
    start = _resolve_weekday(days[0][1], days[0][3], today)
    return start, start + timedelta(days=(days[1][1] - days[0][1]) % 7)


def _reversed_range(t: str, today: date, ref: date | None) -> tuple[bool, date | None]:
    """A range whose end does not come after its start ("from the 15th to the 10th of December"):
    (True, the start as said — kept, only the end is asked again) or (False, None)."""
    for m in r.DAY_FIRST_RANGE.finditer(t):
        prefix, d1, mark1, mon1, conn, d2, mark2, mon2, year = m.groups()
        if not conn.strip() or (conn.strip() == "and" and prefix != "between"):
            continue
        if not (mon1 or mon2 or mark1 or mark2 or prefix):
            continue
        m1, m2 = r.month_group(mon1), r.month_group(mon2)
        same_month = m1 is None or m2 is None or m1 == m2
        if same_month and int(d2) <= int(d1) and (m1 or m2 or int(d1) - int(d2) < 15):
            month = m1 or m2
            start = r.resolve_day_month(int(d1), month, r.year_group(year), today) if month \
                else r.resolve_day(int(d1), today, ref)
            return True, start
    for m in r.MONTH_FIRST_RANGE.finditer(t):
        m1, m2 = r.month_group(m[1]), r.month_group(m[3])
        if (m2 is None or m2 == m1) and int(m[4]) <= int(m[2]):
            return True, r.resolve_day_month(int(m[2]), m1, r.year_group(m[5]), today) if m1 else None
    return False, None


def _has_weekday(t: str) -> bool:
    return bool(_weekday_mentions(t)) or bool(r.NEXT_WEEK.search(t))


def _weekday_mentions(t: str) -> list[tuple[int, int, str, str]]:
    """(position, weekday, role, modifier) for each weekday word; role "start" / "end" / "",
    modifier "next" / "this" / "after-next" / "after" (counted from the start or `ref`) / ""."""
    found = []
    for m in r.WORD.finditer(t):
        day = weekday_of(m[0])
        if day is None or _names_an_existing_day(m[0], t[m.end():m.end() + 2]):
            continue
        before = t[: m.start()]
        modifier = ""
        if r.THIS_BEFORE.search(before):
            modifier = "this"
        if r.NEXT_BEFORE.search(before) or r.NEXT_WEEK.search(t):
            modifier = "next"
        if r.WEEK_AFTER_NEXT.search(t):
            modifier = "after-next"
        if r.AFTER_REF_BEFORE.search(before) or r.AFTER_REF_AFTER.match(t[m.end():]):
            modifier = "after"  # "the Tuesday after": counted from the day before it, so the later day, an end
        found.append((m.start(), day, _role(t, m) or ("end" if modifier == "after" else ""), modifier))
    return found


def _names_an_existing_day(word: str, after: str) -> bool:
    """"kolmapäevane üldkontroll", "Wednesday's check-up": the day of something already booked,
    not a day being asked for."""
    return bool(re.search(r"päeva(?:ne|se\w*)$", word)) or after.startswith(("'s", "’s"))


def _resolve_weekday(day: int, modifier: str, today: date) -> date:
    """See the module docstring: "next" = next week's, "this" = this week's, else the next one."""
    monday = today - timedelta(days=today.weekday())
    if modifier == "next":
        return monday + timedelta(days=7 + day)
    if modifier == "after-next":  # "Friday, the week after next"
        return monday + timedelta(days=14 + day)
    if modifier == "this":
        this_week = monday + timedelta(days=day)
        return this_week if this_week >= today else r.next_weekday(day, today)
    return r.next_weekday(day, today)


def _past_problem(t: str, today: date) -> str | None:
    """"past-date" when the caller named a day that has already passed (and nothing else)."""
    if r.PAST_DAYS.search(t):
        return "past-date"
    patterns = ((r.NUMERIC_DATE, 1, 2, 3), (r.DAY_MONTH, 1, 3, 4), (r.MONTH_DAY, 2, 1, 3))
    for pattern, day_group, month_group, year_group in patterns:
        for m in pattern.finditer(t):
            month = r.month_group(m[month_group]) if pattern is not r.NUMERIC_DATE else int(m[month_group])
            if month is None:
                continue
            year = r.year_group(m[year_group])
            year = (year + 2000 if year and year < 100 else year) or today.year
            said = r.safe_date(year, month, int(m[day_group]))
            if said is not None and said < today and (m[year_group] or (today - said).days <= RECENT_PAST_DAYS):
                return "past-date"
    return None


# ---------------------------------------------------------------- lone dates


def _lone_dates(t: str, today: date, ref: date | None, lang: str) -> list[tuple[int, date, str]]:
    """(position, date, role) for every single date; role is "start", "end" or ""."""
    found: list[tuple[int, date, str]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], day: date | None) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append(m.span())  # a day with a month that has passed is no bare day ("15-ndal oktoobril")
        if day is not None:
            found.append((m.start(), day, _role(t, m)))

    for m in r.NUMERIC_DATE.finditer(t):
        add(m, r.resolve_day_month(int(m[1]), int(m[2]), r.year_group(m[3]), today))
    for m in r.DAY_MONTH.finditer(t):
        month = r.month_group(m[3])
        add(m, month and r.resolve_day_month(int(m[1]), month, r.year_group(m[4]), today))
    for m in r.MONTH_DAY.finditer(t):
        month = r.month_group(m[1])
        add(m, month and r.resolve_day_month(int(m[2]), month, r.year_group(m[3]), today))
    for m in r.ORDINAL_DAY.finditer(t):
        add(m, r.resolve_day(int(m[1]), today, ref))
    for pattern, pattern_lang in r.OFFSET:  # before "today": "two weeks from today" is one day
        for m in pattern.finditer(t):
            add(m, r.offset_day(m[0], pattern_lang, today))
    for pattern, offset in r.RELATIVE_DAYS:
        for m in pattern.finditer(t):
            add(m, today + timedelta(days=offset))
    return sorted(found, key=lambda f: f[0])


def _role(t: str, m: re.Match[str]) -> str:
    """"end" for "until X", "X-ni", "collect on X"; "start" for "from X", "X-st", "bring on X".
    A weekday naming the date may stand between the cue and it ("to Sunday the 6th", "до
    воскресенья, 6 декабря")."""
    before = _without_weekday(t[: m.start()])
    if r.UNTIL_PREFIX.search(before) or re.search(r"\w+ni\b", m[0]) or r.END_CUE.search(before) \
            or r.END_AFTER.search(t[m.end():]):
        return "end"
    if r.FROM_PREFIX.search(before) or _elative(m[0]) or r.START_CUE.search(before) or r.START_AFTER.search(t[m.end():]):
        return "start"
    return ""


_LAST_WORD = re.compile(r"([^\W\d_]+)\s*,?\s*((?:[^\W\d_]{1,3}\s+)?)$")


def _without_weekday(before: str) -> str:
    """The text before a date without a weekday word that names it ("from Friday the " -> "from the ")."""
    m = _LAST_WORD.search(before)
    if m is None or weekday_of(m[1]) is None:
        return before
    return before[: m.start()] + m[2]


def _elative(fragment: str) -> bool:
    """Estonian "from" case on a day, month or weekday: "2-ndast", "detsembrist", "reedest"."""
    last = fragment.split()[-1] if fragment.split() else ""
    if last.endswith("ndast"):
        return True
    return bool(re.search(r"[^\W\d_](?:ist|est|ast)$", last)) and (
        r.month_group(last) is not None or weekday_of(last) is not None)


# ---------------------------------------------------------------- weekdays


def _weekday(t: str) -> int | None:
    for w in words(t):
        if (day := weekday_of(w)) is not None:
            return day
    return None

