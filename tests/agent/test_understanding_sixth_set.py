"""What the sixth tuning set (tests/conversations/understanding6_*.yaml) found, one rule per test:
a patient booked by a relative, relative days that contain "tomorrow", weekdays between a cue and
its date, a negated date, a clock time that looks like an Estonian ordinal, mixed digit words,
managing a booking mentioned in passing, and a name that is also a word."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent.extract import classify_intent, extract_phone
from receptionist.agent.extract.dates import extract_dates
from receptionist.agent.extract.names import pet_name_readings
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.nlu import _person
from receptionist.agent.slots import _picked_option
from receptionist.config.app import load_config

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.fixture(scope="module")
def clinic():
    return load_config(ROOT / "examples/clinic.toml").default_tenant


@pytest.mark.parametrize("text,lang,patient", [
    ("Hi, I'm Tom Hardy, I'm calling to book a check-up for my son, Leo Hardy, on Monday the 7th at 11.", "en",
     "Leo Hardy"),
    ("Tere, mina olen Kadri Lepp, aga aega oleks vaja mu mehele Andres Lepale – üldkontroll esmaspäeval.", "et",
     "Andres Lepp"),
    ("Здравствуйте, я Ирина Смирнова, но записать нужно маму — на Галину Иванову, на осмотр.", "ru",
     "Галина Иванова"),
    ("Hi, I'm Tom Hardy, I need a check-up for my son on Monday", "en", None),  # the son's name is still to come
    ("я Ирина Смирнова, хочу записать маму на осмотр", "ru", None),
    ("Hi, I'm Tom Hardy, I need a check-up on Monday", "en", "Tom Hardy"),  # for the caller themselves
    ("Tere, siin Kati Kask, sooviksin aega", "et", "Kati Kask"),
])
def test_the_patient_is_who_the_appointment_is_for(clinic, text: str, lang: str, patient: str | None) -> None:
    assert _person(text, lang, clinic)[0] == patient


@pytest.mark.parametrize("text,lang,start,end", [
    ("Could my dog Bo stay with you from the day after tomorrow until next Tuesday?", "en", "2026-11-26", "2026-12-01"),
    ("I'd like it from Friday the 4th to Sunday the 6th", "en", "2026-12-04", "2026-12-06"),
    ("с пятницы, 4 декабря, до воскресенья, 6 декабря", "ru", "2026-12-04", "2026-12-06"),
    ("from tomorrow for a fortnight", "en", "2026-11-25", "2026-12-09"),
])
def test_stays(text: str, lang: str, start: str, end: str) -> None:
    d = extract_dates(text, lang, TODAY)
    assert (str(d.start), str(d.end)) == (start, end)


def test_a_weekday_between_until_and_the_date_makes_it_the_end() -> None:
    assert extract_dates("до воскресенья, 6 декабря", "ru", TODAY).end == date(2026, 12, 6)


def test_a_negated_date_is_left_out_and_collecting_is_the_end() -> None:
    d = extract_dates("we're collecting him on the 14th, not the 13th", "en", TODAY, ref=date(2026, 12, 10))
    assert d.end == date(2026, 12, 14) and d.single is None


def test_a_russian_clock_time_at_the_end_is_no_day() -> None:
    d = extract_dates("на осмотр в понедельник, 7 декабря, в 11.", "ru", TODAY)
    assert d.single == date(2026, 12, 7) and d.time is not None and d.time.hour == 11


@pytest.mark.parametrize("text", ["Yeah, it's 5 two 6 0, double 3, one 9.", "five two six oh, double three, one nine"])
def test_phone_digits_in_words_digits_double_and_oh(text: str) -> None:
    assert extract_phone(spell_numbers(text), "EE") == "+37252603319"


@pytest.mark.parametrize("text,lang", [
    ("Hi, it's about Ollie's stay.", "en"),
    ("Hello, I've got a vaccination booked for tomorrow", "en"),
    ("Tere, mul on homme vaktsineerimine kirjas", "et"),
    ("Здравствуйте, у меня на завтра записана прививка", "ru"),
    ("Здравствуйте, я по поводу брони Джима.", "ru"),
])
def test_a_booking_mentioned_in_passing_is_about_changing_it(text: str, lang: str) -> None:
    assert classify_intent(text, lang).intent == "change_booking"


@pytest.mark.parametrize("text,name", [
    ("so could our dog Rocco come in on the 11th", "Rocco"),
    ("oh, his name - Murphy", "Murphy"),
    ("ah, nimi – Bruno", "Bruno"),
    ("а, кличка — Тоша", "Тоша"),
    ("sooviksin oma kassile Kõutsile tuba", "Kõuts"),  # kõuts is also the word for a tomcat
])
def test_pet_names(text: str, name: str) -> None:
    assert pet_name_readings(text)[:1] == (name,)


def test_an_answer_naming_one_offered_reading_picks_it() -> None:
    assert _picked_option("Kõuts.", "Kõuts|Kõutsi") == "Kõuts"
    assert _picked_option("ei tea", "Kõuts|Kõutsi") is None
