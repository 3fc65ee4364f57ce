"""What the tenth tuning set (tests/conversations/understanding10_*.yaml) found about dates and times,
one rule per test, in English, Estonian and Russian: a number, day or time word inside the name
answered to the name question is never a date ("Kolmas" = third, "Rosa Noon"); a day rejected with
"X, not Y" is replaced, never a new value; a month said apart from the days ("jaanuaris, teisest kuni
viiendani") puts them in it, and a month word used as a name ("Detsembrile") does not; the time named
before the hour ("kell võiks olla kaks") is a clock time, and that number is never also a day."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest

from receptionist.agent.extract.dates import DateMention, extract_dates
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.times import extract_time, stt_clock
from receptionist.agent.nlu import hear
from receptionist.agent.slots import fill_checked
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from tests.agent.harness import Conversation, ScriptedModel

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)  # a Tuesday, as in the tuning set
NOW = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)
HOTEL = load_config(ROOT / "config.toml").default_tenant
CLINIC = load_config(ROOT / "examples/clinic.toml").default_tenant


def heard(text: str, lang: str, ref: date | None = None) -> DateMention:
    """The dates of one utterance as `hear` reads them (number words as digits first)."""
    return extract_dates(stt_clock(spell_numbers(text)), lang, TODAY, ref=ref)


def run(config_file: str, lines: list[str]) -> list[str]:
    """The replies of one conversation with the rules only (the LLM knows nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversation(load_config(ROOT / config_file), Path(tmp) / "c.db", FakeClock(NOW),
                            model=ScriptedModel(), channel="voice", caller_id=None)
        try:
            return [asyncio.run(conv.say(line)).text for line in lines]
        finally:
            conv.close()


# ---------------------------------------------------------------- 1. a number word that is the name is no date

STAY = {"resource": "dog", "start_date": "2026-12-05", "end_date": "2026-12-08"}


@pytest.mark.parametrize("lang,answer", [
    ("et", "Kolmas"), ("et", "kolmas"), ("et", "Sada"), ("en", "Seven"), ("en", "Twelve"), ("ru", "Десятка"),
])
def test_a_number_word_answering_the_name_question_is_the_name_only(lang: str, answer: str) -> None:
    slots, problem = fill_checked(HOTEL, STAY, hear(answer, lang, TODAY, HOTEL), "pet_name")
    assert (slots["start_date"], slots["end_date"]) == ("2026-12-05", "2026-12-08"), slots
    assert slots["pet_name"].lower() == answer.lower() and problem is None, (slots, problem)


@pytest.mark.parametrize("lang,answer,name", [
    ("et", "Kolmas. Ja vabandust, tooksime ta hoopis kolmandal, mitte teisel.", "Kolmas"),
    ("en", "Seven. And sorry, we'd bring him on the third instead, not the second.", "Seven"),
    ("ru", "Десятка. И простите, привезём его третьего, а не второго.", "Десятка"),
])
def test_a_name_answer_with_a_start_correction_keeps_the_end(lang: str, answer: str, name: str) -> None:
    before = {"resource": "dog", "start_date": "2026-12-02", "end_date": "2026-12-06"}
    slots, problem = fill_checked(HOTEL, before, hear(answer, lang, TODAY, HOTEL), "pet_name")
    assert (slots["start_date"], slots["end_date"]) == ("2026-12-03", "2026-12-06"), (slots, problem)
    assert slots["pet_name"] == name and problem is None


def test_a_surname_that_is_a_time_word_is_no_time() -> None:
    before = {"service": "vaccination", "date": "2026-12-01", "time": "11:15"}
    slots, _ = fill_checked(CLINIC, before, hear("Rosa Noon", "en", TODAY, CLINIC), "patient_name")
    assert slots["time"] == "11:15" and slots["patient_name"] == "Rosa Noon", slots


def test_the_name_answer_keeps_the_number_words_said_besides_the_name() -> None:
    slots, _ = fill_checked(HOTEL, {"resource": "cat"}, hear("Null, kolm ööd alates kümnendast", "et", TODAY, HOTEL),
                            "pet_name")
    assert (slots.get("start_date"), slots.get("end_date")) == ("2026-12-10", "2026-12-13"), slots


# ---------------------------------------------------------------- 2. "X, not Y": Y is replaced, never a new value

@pytest.mark.parametrize("lang,said", [
    ("et", "tooksime ta hoopis kolmandal, mitte teisel"),
    ("en", "we'd bring him on the third, not the second"),
    ("ru", "привезём третьего, а не второго"),
])
def test_the_day_rejected_after_the_new_one_is_no_end(lang: str, said: str) -> None:
    found = heard(said, lang, ref=date(2026, 12, 2))
    assert found.end is None and date(2026, 12, 3) in (found.start, found.single), found


# ---------------------------------------------------------------- 3. a month said apart from the days

@pytest.mark.parametrize("lang,said", [
    ("et", "jaanuaris, teisest kuni viiendani"),
    ("et", "Tere, meie kassile Detsembrile oleks jaanuaris tuba vaja, teisest kuni viiendani."),
    ("en", "in January, from the second to the fifth"),
    ("ru", "в январе, со второго по пятое"),
])
def test_a_month_said_apart_puts_the_bare_days_in_it(lang: str, said: str) -> None:
    found = heard(said, lang)
    assert (found.start, found.end) == (date(2027, 1, 2), date(2027, 1, 5)), found


def test_a_day_with_its_own_month_is_not_moved_by_another_month_word() -> None:
    found = heard("kümnendast detsembrist kuni viieteistkümnendani, jaanuaris ei saa", "et")
    assert (found.start, found.end) == (date(2026, 12, 10), date(2026, 12, 15)), found


def test_a_month_word_that_is_the_pets_name_gives_the_dates_no_month() -> None:
    replies = run("config.toml", ["Tere, meie kassile Detsembrile oleks jaanuaris tuba vaja, teisest kuni viiendani."])
    assert "2. jaanuaril" in replies[0] and "detsembril" not in replies[0], replies[0]


# ---------------------------------------------------------------- 4. the time named before the hour

@pytest.mark.parametrize("lang,said", [
    ("et", "kell võiks olla kaks"), ("et", "kell oleks kaks"), ("et", "kellaajaks sobiks kaks"),
    ("et", "Ja kell võiks olla kaks."), ("et", "aeg võiks olla kaks"), ("en", "the time could be two"), ("en", "time: two"),
    ("ru", "время — в два"), ("ru", "время — два"),
])
def test_the_time_named_before_the_hour_is_a_clock_time(lang: str, said: str) -> None:
    found = heard(said, lang)
    assert found.time == time(14, 0) and found.single is None and found.start is None, found


@pytest.mark.parametrize("lang,said", [
    ("et", "kirjutage enne number üles: viiskümmend kolm, kaksteist, kolmkümmend, null üks. Ja kell võiks olla kaks."),
    ("en", "before I forget, my number's five three one two, three oh oh one. And the time could be two."),
    ("ru", "сначала запишите номер: пятьдесят три, двенадцать, тридцать, ноль один. А время — два."),
])
def test_a_phone_and_a_time_in_one_answer_keep_the_appointment_day(lang: str, said: str) -> None:
    before = {"service": "vaccination", "date": "2026-12-09"}
    slots, _ = fill_checked(CLINIC, before, hear(said, lang, TODAY, CLINIC), "time")
    assert (slots["date"], slots["time"], slots["phone"]) == ("2026-12-09", "14:00", "+37253123001"), slots


# ---------------------------------------------------------------- 5. noon only as a time phrase

@pytest.mark.parametrize("said,at", [
    ("at noon", time(12)), ("by noon", time(12)), ("around noon", time(12)), ("noon would be great", time(12)),
    ("Noon. Like midday.", time(12)), ("midday", time(12)), ("Rosa Noon", None), ("rosa noon, and my number is", None),
])
def test_noon_is_a_time_only_as_a_time_phrase(said: str, at: time | None) -> None:
    assert extract_time(said, "en") == at, said


def test_a_capitalised_noon_word_in_a_name_keeps_the_agreed_time() -> None:
    replies = run("examples/clinic.toml", ["I'd like a vaccination on Tuesday the first of December.",
                                           "eleven fifteen", "Rosa Noon"])
    assert "closed" not in replies[2] and "phone" in replies[2], replies[2]


# ---------------------------------------------------------------- a cardinal number word is never a day

@pytest.mark.parametrize("said", ["Kaks.", "Ja kaks.", "Viis kaks kolm neli, kaks kaks."])
def test_an_estonian_cardinal_before_a_full_stop_is_no_day(said: str) -> None:
    assert heard(said, "et").empty, heard(said, "et")  # "2." written is the 2nd; "kaks." said is two


def test_kaks_answering_the_time_question_keeps_the_appointment_day() -> None:
    replies = run("examples/clinic.toml", ["Tere, vaktsineerimine kolmapäeval, üheksandal detsembril.", "Kaks."])
    assert "9. detsembril" in replies[1] and "14:00" in replies[1], replies[1]


def test_a_typed_ordinal_with_a_dot_is_still_a_day() -> None:
    assert heard("10.", "et").single == date(2026, 12, 10)
