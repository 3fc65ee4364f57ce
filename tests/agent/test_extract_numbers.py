"""Number words become digits (en via text2num, ru via pymorphy3 + num2words, et via the folder's stems),
and the date, duration, phone and time rules read them."""

from __future__ import annotations

from datetime import date, time

import pytest

from receptionist.agent.extract import extract_dates, extract_phone, extract_time
from receptionist.agent.extract.numbers import spell_numbers

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize("said, digits", [
    ("from the ninth to the eleventh of December", "from the 9th to the 11th of December"),
    ("twenty ninth", "29th"),
    ("alates teisest kuni kuuenda detsembrini", "alates 2-ndast kuni 6-nda detsembrini"),
    ("kahekümne üheksandal detsembril", "29-ndal detsembril"),
    ("kakskümmend üks", "21"),
    ("с третьего по шестое", "с 3-го по 6-го"),
    ("двадцать девятого декабря", "29-го декабря"),
    ("пять два, сорок пять, шестьдесят семь", "5 2, 45, 67"),
    ("five one, double four", "5 1, 4 4"),
])
def test_number_words_become_digits(said: str, digits: str) -> None:
    assert spell_numbers(said) == digits


@pytest.mark.parametrize("said", ["one of my dogs", "just a second", "my dog Max", "в половине третьего"])
def test_words_that_are_not_numbers_here_stay_words(said: str) -> None:
    assert spell_numbers(said) == said


def _dates(text: str, lang: str):
    return extract_dates(spell_numbers(text), lang, MONDAY)


@pytest.mark.parametrize("said, lang, start, end", [
    ("from the ninth to the eleventh of December", "en", date(2026, 12, 9), date(2026, 12, 11)),
    ("alates teisest kuni kuuenda detsembrini", "et", date(2026, 12, 2), date(2026, 12, 6)),
    ("kümnendast kuni viieteistkümnenda detsembrini", "et", date(2026, 12, 10), date(2026, 12, 15)),
    ("с третьего по шестое", "ru", date(2026, 12, 3), date(2026, 12, 6)),
])
def test_ranges_in_words(said: str, lang: str, start: date, end: date) -> None:
    m = _dates(said, lang)
    assert (m.start, m.end) == (start, end)


@pytest.mark.parametrize("said, lang, nights", [
    ("four nights from the 10th", "en", 4), ("kaheks ööks alates homsest", "et", 2), ("на пять суток с пятого", "ru", 5),
])
def test_durations_in_words(said: str, lang: str, nights: int) -> None:
    m = _dates(said, lang)
    assert m.nights == nights and m.end is not None and (m.end - m.start).days == nights


def test_a_lone_ordinal_day_in_russian_words() -> None:
    assert _dates("двадцать девятого декабря", "ru").single == date(2026, 12, 29)


@pytest.mark.parametrize("said", [
    "five two three four five six seven eight", "viis kaks kolm neli viis kuus seitse kaheksa",
    "пять два, тридцать четыре, пятьдесят шесть, семь восемь", "5,234,5678",
])
def test_phone_numbers_in_words_and_groups(said: str) -> None:
    assert extract_phone(spell_numbers(said), "EE") == "+37252345678"


@pytest.mark.parametrize("said, at", [
    ("kell veerand kümme", time(9, 15)), ("kolmveerand kolm", time(14, 45)),
    ("в четверть десятого", time(9, 15)), ("без четверти десять", time(9, 45)),
    ("at ten thirty", time(10, 30)), ("в половине третьего", time(14, 30)),
])
def test_clock_times_in_words(said: str, at: time) -> None:
    assert extract_time(spell_numbers(said)) == at


@pytest.mark.parametrize("said, at", [("early, say 8.30", time(8, 30)), ("next Wednesday, half nine", time(9, 30)),
                                      ("на десять утра", time(10, 0)), ("в 10.30", time(10, 30))])
def test_more_clock_time_shapes(said: str, at: time) -> None:
    assert extract_time(spell_numbers(said)) == at


@pytest.mark.parametrize("said, lang, phone", [
    ("It's five five three, nine zero one, seven four.", "en", "+37255390174"),
    ("See on viis viis kaheksa, kuus null kaks, üks üheksa.", "et", "+37255860219"),
    ("Записывайте: пятьсот пятьдесят восемь, шестьсот два, девятнадцать.", "ru", "+37255860219"),
])
def test_a_phone_said_in_groups_is_never_a_day(said: str, lang: str, phone: str) -> None:
    from receptionist.agent.nlu import hear
    from receptionist.config import load_config
    from tests.conftest import PET_CONFIG

    heard = hear(said, lang, MONDAY, load_config(PET_CONFIG).default_tenant)
    assert heard.phone == phone and heard.dates.empty


def test_days_said_beside_a_phone_are_kept() -> None:
    from receptionist.agent.nlu import hear
    from receptionist.config import load_config
    from tests.conftest import PET_CONFIG

    heard = hear("from 10 to 12 December, 5123 4567", "en", MONDAY, load_config(PET_CONFIG).default_tenant)
    assert (heard.dates.start, heard.dates.end, heard.phone) == (date(2026, 12, 10), date(2026, 12, 12), "+37251234567")
