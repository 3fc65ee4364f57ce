"""Dates, stays and times in en / et / ru, resolved against a fixed today (Tuesday 24 Nov 2026)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from receptionist.agent.extract import DateMention, extract_dates, extract_time

TODAY = date(2026, 11, 24)  # a Tuesday
DEC10, DEC15 = date(2026, 12, 10), date(2026, 12, 15)


def dates(text: str, lang: str, **kw) -> DateMention:
    return extract_dates(text, lang, TODAY, **kw)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("tomorrow", "en"),
        ("homme", "et"),
        ("завтра", "ru"),
    ],
)
def test_tomorrow_in_every_language(text, lang):
    assert dates(text, lang).single == date(2026, 11, 25)


def test_day_after_tomorrow_estonian_and_russian():
    assert dates("ülehomme", "et").single == date(2026, 11, 26)
    assert dates("послезавтра", "ru").single == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("December 10th to 15th", "en"),
        ("from the 10th to the 15th of December", "en"),
        ("10.12–15.12", "et"),
        ("10. kuni 15. detsembrini", "et"),
        ("10.-15. detsember", "et"),
        ("10. detsembrist 15. detsembrini", "et"),
        ("с 10 по 15 декабря", "ru"),
    ],
)
def test_ranges_give_start_end_and_nights(text, lang):
    m = dates(text, lang)
    assert (m.start, m.end, m.nights, m.single) == (DEC10, DEC15, 5, None)


def test_estonian_range_until_december_genitive():
    m = dates("Sooviksin broneerida 10. kuni 15. detsembrini", "et")
    assert (m.start, m.end) == (DEC10, DEC15)


def test_estonian_until_alone_gives_only_the_end():
    m = dates("kuni 15. detsembrini", "et")
    assert (m.start, m.end) == (None, DEC15)


def test_range_across_new_year_rolls_the_end_year():
    m = dates("с 28 декабря по 3 января", "ru")
    assert (m.start, m.end, m.nights) == (date(2026, 12, 28), date(2027, 1, 3), 6)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("next weekend", "en"), ("järgmisel nädalavahetusel", "et"), ("на следующих выходных", "ru")],
)
def test_next_weekend_said_on_tuesday_is_the_coming_saturday_and_sunday(text, lang):
    m = dates(text, lang)
    assert (m.start, m.end) == (date(2026, 11, 28), date(2026, 11, 29))


def test_next_weekend_said_on_friday_is_the_one_after():
    m = extract_dates("next weekend", "en", date(2026, 11, 27))
    assert m.start == date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "lang", "nights"),
    [
        ("for a week", "en", 7),
        ("nädalaks", "et", 7),
        ("на неделю", "ru", 7),
        ("3 nights", "en", 3),
        ("kolmeks ööks", "et", 3),
        ("на 3 ночи", "ru", 3),
        ("for two weeks", "en", 14),
        ("на две недели", "ru", 14),
    ],
)
def test_durations_become_nights(text, lang, nights):
    m = dates(text, lang)
    assert m.nights == nights
    assert (m.start, m.end, m.single, m.time) == (None, None, None, None)


def test_start_plus_nights_gives_an_end():
    m = dates("from tomorrow for 3 nights", "en")
    assert (m.start, m.end, m.nights) == (date(2026, 11, 25), date(2026, 11, 28), 3)


def test_no_the_12th_is_the_next_12th():
    assert dates("no, the 12th", "en").single == date(2026, 12, 12)


def test_no_the_12th_uses_the_month_of_the_booking_being_discussed():
    assert dates("no, the 12th", "en", ref=date(2027, 1, 10)).single == date(2027, 1, 12)
    assert dates("no, the 2nd", "en", ref=date(2026, 12, 30)).single == date(2027, 1, 2)


def test_bare_day_in_estonian_and_russian():
    assert dates("Ei, 12.", "et").single == date(2026, 12, 12)
    assert dates("Нет, 12-го", "ru").single == date(2026, 12, 12)


def test_a_day_of_the_current_month_still_ahead_stays_in_this_month():
    assert dates("the 30th", "en").single == date(2026, 11, 30)


def test_weekday_names_resolve_to_the_coming_day():
    for text, lang in (("on Friday", "en"), ("reedel", "et"), ("в пятницу", "ru")):
        m = dates(text, lang)
        assert (m.single, m.weekday) == (date(2026, 11, 27), 4), text


def test_relative_offsets_via_dateparser():
    for text, lang in (("in 3 days", "en"), ("3 päeva pärast", "et"), ("через 3 дня", "ru")):
        assert dates(text, lang).single == date(2026, 11, 27), text


def test_a_date_without_a_year_is_never_in_the_past():
    assert dates("May 3rd", "en").single == date(2027, 5, 3)
    assert dates("5. september", "et").single == date(2027, 9, 5)


def test_a_day_that_just_passed_is_reported_not_moved_to_next_year():
    for text, lang in (("5. november", "et"), ("November 20", "en"), ("20 ноября", "ru"), ("yesterday", "en"),
                       ("eile", "et"), ("10 December 2025", "en")):
        m = dates(text, lang)
        assert (m.single, m.start, m.problem) == (None, None, "past-date"), text


def test_an_end_not_after_the_start_is_no_range():
    m = dates("31. kuni 31. detsembrini", "et")
    assert (m.end, m.nights, m.problem) == (None, None, "end-before-start")


def test_an_explicit_past_year_is_dropped_not_moved():
    assert dates("10.12.2025", "et").empty
    assert dates("10 December 2026", "en").single == DEC10


def test_numbers_that_are_not_dates_are_ignored():
    for text in ("+372 5123 4567", "price 12.50", "2-3 nights", "my number is 5123 4567", "kell 10.30"):
        m = dates(text, "en")
        assert (m.start, m.end, m.single) == (None, None, None), text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("at 10", "en", time(10, 0)),
        ("10:30", "en", time(10, 30)),
        ("kell 10", "et", time(10, 0)),
        ("в 10 утра", "ru", time(10, 0)),
        ("half past two", "en", time(14, 30)),
        ("at 3pm", "en", time(15, 0)),
        ("kell 14.30", "et", time(14, 30)),
        ("pool kolm", "et", time(14, 30)),
        ("в половине третьего", "ru", time(14, 30)),
        ("quarter to ten", "en", time(9, 45)),
        ("в 3 часа дня", "ru", time(15, 0)),
    ],
)
def test_clock_times(text, lang, expected):
    assert extract_time(text, lang) == expected


def test_date_and_time_together():
    m = dates("завтра в 10 утра", "ru")
    assert (m.single, m.time) == (date(2026, 11, 25), time(10, 0))


def test_a_day_before_a_month_is_not_a_time():
    assert dates("в 10 декабря", "ru").time is None
    assert dates("на 3 ночи", "ru").time is None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(1, 31), st.integers(1, 12))
def test_no_field_is_ever_before_today(today, day, month):
    for text in (f"{day}.{month}", f"the {day}th", f"{day}. kuni {min(day + 3, 31)}. detsembrini",
                 f"с {day} по {day + 2} декабря", "next weekend", "tomorrow"):
        m = extract_dates(text, "en", today)
        for value in (m.start, m.end, m.single):
            assert value is None or value >= today, (text, today, m)
        if m.start and m.end:
            assert m.end > m.start and m.end - m.start < timedelta(days=366)


@pytest.mark.parametrize("text,lang", [
    ("from Friday to Monday", "en"),
    ("reedest esmaspäevani", "et"),
    ("с пятницы до понедельника", "ru"),
])
def test_weekday_to_weekday_range(text, lang):
    m = extract_dates(text, lang, TODAY)
    assert (m.start, m.end) == (date(2026, 11, 27), date(2026, 11, 30))
