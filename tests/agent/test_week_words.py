"""Week-relative days: "next Friday" is next week's Friday, "this Friday" this week's; an end weekday comes
after the start; days already past and reversed ranges are reported, never moved silently."""

from __future__ import annotations

from datetime import date

import pytest

from receptionist.agent.extract import extract_dates
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.replies import Phrases

MONDAY = date(2026, 11, 30)  # this week: Mon 30 Nov - Sun 6 Dec; next week: Mon 7 - Sun 13 Dec


def _dates(text: str, lang: str, ref: date | None = None):
    return extract_dates(spell_numbers(text), lang, MONDAY, ref=ref)


@pytest.mark.parametrize("said, lang", [
    ("next Friday", "en"), ("Friday next week", "en"), ("järgmisel reedel", "et"),
    ("järgmise nädala reedel", "et"), ("в следующую пятницу", "ru"), ("на следующей неделе в пятницу", "ru"),
])
def test_next_friday_is_the_friday_of_next_week(said: str, lang: str) -> None:
    assert _dates(said, lang).single == date(2026, 12, 11)


@pytest.mark.parametrize("said, lang", [("this Friday", "en"), ("sel reedel", "et"), ("в эту пятницу", "ru"),
                                        ("on Friday", "en")])
def test_this_friday_is_this_weeks(said: str, lang: str) -> None:
    m = _dates(said, lang)
    assert m.single == date(2026, 12, 4) and m.week_relative


@pytest.mark.parametrize("said, lang, start, end", [
    ("drop off Thursday, collect Sunday", "en", date(2026, 12, 3), date(2026, 12, 6)),
    ("from next Thursday to Sunday", "en", date(2026, 12, 10), date(2026, 12, 13)),
    ("reedest pühapäevani", "et", date(2026, 12, 4), date(2026, 12, 6)),
    ("со следующей субботы до вторника", "ru", date(2026, 12, 12), date(2026, 12, 15)),
    ("from December 10th until Sunday", "en", date(2026, 12, 10), date(2026, 12, 13)),
])
def test_weekday_ranges(said: str, lang: str, start: date, end: date) -> None:
    m = _dates(said, lang)
    assert (m.start, m.end) == (start, end)


@pytest.mark.parametrize("said, lang", [("until Sunday", "en"), ("kuni pühapäevani", "et"),
                                        ("заберу в воскресенье", "ru"), ("до воскресенья", "ru")])
def test_an_end_weekday_comes_after_the_start_of_the_stay(said: str, lang: str) -> None:
    m = _dates(said, lang, ref=date(2026, 12, 10))
    assert m.end == date(2026, 12, 13) and m.start is None


def test_until_a_bare_day_is_an_end() -> None:
    assert _dates("until the 14th", "en", ref=date(2026, 12, 10)).end == date(2026, 12, 14)


@pytest.mark.parametrize("said, lang", [("from the 15th to the 10th of December", "en"),
                                        ("с 15 по 10 декабря", "ru"), ("15. kuni 10. detsembrini", "et")])
def test_an_end_before_the_start_is_reported_and_the_start_kept(said: str, lang: str) -> None:
    m = _dates(said, lang)
    assert m.problem == "end-before-start" and (m.start, m.end, m.single) == (date(2026, 12, 15), None, None)


@pytest.mark.parametrize("said, lang", [("November 20", "en"), ("20. novembril", "et"), ("20 ноября", "ru"),
                                        ("yesterday", "en"), ("вчера", "ru")])
def test_a_day_that_just_passed_is_reported(said: str, lang: str) -> None:
    m = _dates(said, lang)
    assert m.problem == "past-date" and m.empty


def test_a_date_more_than_six_months_ahead_is_read_back_with_its_year() -> None:
    far = _dates("June 5", "en").single
    assert far == date(2027, 6, 5)
    assert Phrases("en", MONDAY).day(far) == "Saturday 5 June 2027"
    assert Phrases("ru", MONDAY).day(far) == "5 июня 2027 г. (суббота)"
    assert Phrases("en", MONDAY).day(date(2026, 12, 10)) == "Thursday 10 December"


@pytest.mark.parametrize("said, lang", [("kassi tuua laupäeval, laupäeval, 5. kuupäeval, 4 ööks", "et"),
                                        ("привезти кошку в субботу, в субботу 5-го, на 4 ночи", "ru")])
def test_a_weekday_naming_the_dates_own_weekday_only_describes_it(said, lang):
    m = _dates(said, lang)
    assert (m.start, m.end) == (date(2026, 12, 5), date(2026, 12, 9))


@pytest.mark.parametrize("said, lang", [("two more nights", "en"), ("veel kaks ööd", "et"), ("ещё две ночи", "ru")])
def test_more_nights_are_added_not_a_new_length(said, lang):
    m = _dates(said, lang)
    assert m.nights == 2 and m.more_nights


@pytest.mark.parametrize("said, lang", [("from Friday the 11th of December until next Tuesday", "en"),
                                        ("drop-off Friday the 11th of December, pick-up the following Tuesday", "en"),
                                        ("reedest, 11. detsembrist, järgmise teisipäevani", "et"),
                                        ("с пятницы, одиннадцатого декабря, до следующего вторника", "ru")])
def test_an_end_said_as_next_weekday_before_the_start_is_the_one_after_the_start(said, lang):
    m = _dates(said, lang)  # next week's Tuesday (8 Dec) would end the stay before it began
    assert (m.start, m.end, m.problem) == (date(2026, 12, 11), date(2026, 12, 15), None)


@pytest.mark.parametrize("said, lang", [("the weekend after next", "en"), ("ülejärgmisel nädalavahetusel", "et"),
                                        ("не на эти выходные, а на следующие, с субботы по воскресенье", "ru"),
                                        ("not this weekend but next", "en")])
def test_the_weekend_after_the_coming_one(said, lang):
    m = _dates(said, lang)  # said on Monday 30 Nov: the coming weekend is 5-6 Dec
    assert (m.start, m.end) == (date(2026, 12, 12), date(2026, 12, 13))


def test_a_weekday_range_falls_in_the_weekend_named_beside_it():
    m = _dates("this weekend, Saturday to Monday", "en")
    assert (m.start, m.end) == (date(2026, 12, 5), date(2026, 12, 7))


@pytest.mark.parametrize("said, lang, day", [("in two weeks", "en", date(2026, 12, 14)),
                                             ("two weeks from today", "en", date(2026, 12, 14)),
                                             ("a week from today", "en", date(2026, 12, 7)),
                                             ("kahe nädala pärast", "et", date(2026, 12, 14)),
                                             ("через две недели", "ru", date(2026, 12, 14))])
def test_an_offset_from_today_is_a_day_not_a_stay(said, lang, day):
    m = _dates(said, lang)
    assert (m.single, m.nights) == (day, None)


def test_a_stay_starting_at_an_offset_keeps_its_own_length():
    m = _dates("starting two weeks from today, for three nights", "en")
    assert (m.start, m.end) == (date(2026, 12, 14), date(2026, 12, 17))


@pytest.mark.parametrize("said, lang", [("from the 20th to the 23rd of November", "en"),
                                        ("kahekümnendast kuni kahekümne kolmanda novembrini", "et"),
                                        ("с 20 по 23 ноября", "ru")])
def test_a_range_that_just_passed_is_reported_not_moved_to_next_month(said, lang):
    m = _dates(said, lang)  # said on Monday 30 November
    assert m.problem == "past-date" and m.empty


@pytest.mark.parametrize("said, lang, start, end", [
    ("from the 28th to the 2nd of January", "en", date(2026, 12, 28), date(2027, 1, 2)),
    ("kahekümne seitsmendast kuni esimese jaanuarini", "et", date(2026, 12, 27), date(2027, 1, 1)),
    ("с 28 по 2 января", "ru", date(2026, 12, 28), date(2027, 1, 2)),
])
def test_a_month_said_once_at_the_end_of_a_range_across_months_belongs_to_the_end(said, lang, start, end):
    m = _dates(said, lang)
    assert (m.start, m.end, m.problem) == (start, end, None)


@pytest.mark.parametrize("said, lang, day", [("Thursday, first thing in the morning", "en", date(2026, 12, 3)),
                                             ("neljapäeval, hommikul esimese asjana", "et", date(2026, 12, 3)),
                                             ("в четверг, первым делом с утра", "ru", date(2026, 12, 3))])
def test_an_ordinal_in_an_idiom_is_no_day(said, lang, day):
    assert _dates(said, lang).single == day


def test_an_end_day_without_a_month_of_its_own_follows_the_start():
    m = _dates("kas saaks koera tuua kahekümne neljandal detsembril ja võtta kahekümne seitsmendal", "et")
    assert (m.start, m.end) == (date(2026, 12, 24), date(2026, 12, 27))
