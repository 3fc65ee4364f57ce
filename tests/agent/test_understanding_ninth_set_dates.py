"""What the ninth tuning set (tests/conversations/understanding9_*.yaml) found about dates and times,
one rule per test, in English, Estonian and Russian: a day named only vaguely ("a few days after the
tenth") is no date and is asked for; a start day said alone, once the end is known, lies before that
end; clock times in the forms people say them ("kaheksa kolmkümmend", "poole kolme paiku", "около
половины третьего", "eight thirty")."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest

from receptionist.agent.answers import ref_date
from receptionist.agent.extract.dates import DateMention, extract_dates
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.times import bare_clock_time, stt_clock
from receptionist.agent.extract.traceable import traceable
from receptionist.agent.session import SessionState
from tests.agent.harness import ScriptedModel, talk

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)  # a Tuesday, as in the tuning set
NOW = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)


def heard(text: str, lang: str, ref: date | None = None) -> DateMention:
    """The dates of one utterance as `hear` reads them (number words as digits first)."""
    return extract_dates(stt_clock(spell_numbers(text)), lang, TODAY, ref=ref)


def run(config_file: str, lines: list[str], model: ScriptedModel | None = None) -> list[str]:
    """The replies of one conversation with the rules only (the LLM knows nothing unless scripted)."""
    return talk(config_file, lines, model=model, now=NOW)


# ---------------------------------------------------------------- 1. a vague day is no date

@pytest.mark.parametrize("lang,said", [
    ("en", "starting a few days after the tenth"),
    ("en", "a couple of days after the 10th"),
    ("en", "a couple days after the tenth of December"),
    ("en", "sometime after the tenth"),
    ("en", "several days after the 10th"),
    ("en", "two or three days after the tenth"),
    ("en", "a day or two after the tenth"),
    ("en", "a few days before the twentieth"),
    ("et", "tooksime ta paar päeva pärast kümnendat"),
    ("et", "mõni päev pärast kümnendat"),
    ("et", "mõne päeva pärast kümnendat"),
    ("et", "paar päeva peale kümnendat detsembrit"),
    ("et", "kuskil pärast kümnendat"),
    ("et", "kaks-kolm päeva pärast kümnendat"),
    ("et", "paar päeva enne kahekümnendat"),
    ("ru", "через пару дней после десятого"),
    ("ru", "где-то после десятого"),
    ("ru", "через несколько дней после десятого декабря"),
    ("ru", "дня через два после десятого"),
    ("ru", "после десятого числа"),
    ("ru", "за пару дней до двадцатого"),
    ("en", "the tenth or a few days later"),
    ("en", "a few days after Monday"),
    ("et", "kümnendast paar päeva hiljem"),
    ("et", "kümnendal või natuke hiljem"),
    ("ru", "десятого или чуть позже"),
    ("ru", "через пару дней после понедельника"),
])
def test_a_day_named_only_vaguely_is_no_date(lang: str, said: str) -> None:
    found = heard(said, lang)
    assert (found.start, found.end, found.single) == (None, None, None), found
    assert found.vague


@pytest.mark.parametrize("lang,said,nights", [
    ("en", "Could my cat Juniper stay with you for a week, starting a few days after the tenth?", 7),
    ("et", "Tere, kassile Mustikule oleks vaja tuba nädalaks, tooksime ta paar päeva pärast kümnendat", 7),
    ("ru", "Можно кота Марсика к вам на неделю, через пару дней после десятого?", 7),
])
def test_the_length_of_a_vaguely_started_stay_is_kept(lang: str, said: str, nights: int) -> None:
    found = heard(said, lang)
    assert found.start is None and found.single is None and found.nights == nights


@pytest.mark.parametrize("lang,said,start", [
    ("en", "from the tenth for a week", date(2026, 12, 10)),
    ("en", "around the tenth", date(2026, 12, 10)),  # read back in the summary like any day
    ("en", "on Monday", date(2026, 11, 30)),
    ("en", "the day after tomorrow", date(2026, 11, 26)),
    ("et", "kahe päeva pärast", date(2026, 11, 26)),
    ("et", "alates kümnendast", date(2026, 12, 10)),
    ("ru", "через два дня", date(2026, 11, 26)),
    ("ru", "с десятого", date(2026, 12, 10)),
])
def test_a_day_said_exactly_is_still_taken(lang: str, said: str, start: date) -> None:
    found = heard(said, lang)
    assert start in (found.start, found.single) and not found.vague


@pytest.mark.parametrize("said", ["a few days after the 10th", "paar päeva pärast 10-ndat", "через пару дней после 10-го"])
def test_the_model_cannot_turn_a_vague_day_into_a_date(said: str) -> None:
    assert not traceable(date(2026, 12, 10), said, TODAY)


@pytest.mark.parametrize("lang,first,answer", [
    ("en", "Could my cat Juniper stay with you for a week, starting a few days after the tenth?",
     "let's say the fourteenth"),
    ("et", "Tere, kassile Mustikule oleks vaja tuba nädalaks, tooksime ta paar päeva pärast kümnendat",
     "olgu siis neljateistkümnendal"),
    ("ru", "Можно кота Марсика к вам на неделю, через пару дней после десятого?", "давайте четырнадцатого"),
])
def test_a_vague_start_is_asked_for_and_the_answer_booked(lang: str, first: str, answer: str) -> None:
    replies = run("config.toml", [first, answer])
    assert "10" not in replies[0], replies[0]
    assert "14" in replies[1] and "21" in replies[1], replies[1]


def test_a_model_cannot_make_a_vague_answer_the_tenth() -> None:
    model = ScriptedModel(*["2026-12-10"] * 5)  # a model that reads "the tenth" as the day
    replies = run("config.toml", ["A cat room for Juniper for a week please", "a few days after the tenth"], model)
    assert "check in" in replies[1] and "Thursday 10 December" not in replies[1], replies[1]


# ---------------------------------------------------------------- a day said, rejected and replaced in one breath

@pytest.mark.parametrize("lang,said", [
    ("et", "Tere, tooksin koera Bossi neljandal, ei, mitte neljandal, vaid viiendal detsembril, ja tuleksime üheksandal järele."),
    ("en", "I'd bring him on the fourth, no, not the fourth, the fifth of December, and collect on the ninth"),
    ("ru", "привезу четвёртого, нет, не четвёртого, а пятого декабря, заберу девятого"),
])
def test_a_day_rejected_in_the_same_breath_is_replaced(lang: str, said: str) -> None:
    found = heard(said, lang)
    assert (found.start, found.end) == (date(2026, 12, 5), date(2026, 12, 9)), found


# ---------------------------------------------------------------- 2. a start said alone before a known end

def test_the_start_question_with_a_known_end_resolves_bare_days_before_the_end() -> None:
    state = SessionState(session_id="s", tenant_id="t", channel="web", slots={"end_date": "2026-12-30"}, asked="start_date")
    ref = ref_date(state)
    assert ref is not None
    for said, lang, day in [("kahekümne seitsmendast", "et", 27), ("the fifth", "en", 5),
                            ("с двадцать восьмого", "ru", 28), ("first", "en", 1)]:
        found = heard(said, lang, ref)
        assert date(2026, 12, day) in (found.start, found.single), (said, found)


def test_without_a_known_end_a_bare_day_is_the_next_one() -> None:
    state = SessionState(session_id="s", tenant_id="t", channel="web", slots={}, asked="start_date")
    assert ref_date(state) is None
    assert heard("kahekümne seitsmendast", "et").start == date(2026, 11, 27)


@pytest.mark.parametrize("first,answer,summary", [
    ("Kassile Udule oleks tuba vaja, järele tuleme kolmekümnendal detsembril", "kahekümne seitsmendast", "27."),
    ("A cat room for Misty please, we'll collect her on the thirtieth of December", "the twenty-seventh", "27"),
    ("Комнату для кошки Муси, заберём тридцатого декабря", "с двадцать седьмого", "27"),
])
def test_a_bare_start_day_after_the_end_was_given_is_in_the_ends_month(first: str, answer: str, summary: str) -> None:
    replies = run("config.toml", [first, answer])
    assert summary in replies[1] and "75" in replies[1], replies[1]  # 27-30 December: 3 nights of 25 EUR


# ---------------------------------------------------------------- 3. clock times as people say them

@pytest.mark.parametrize("lang,said,at", [
    ("et", "poole kolme paiku", time(14, 30)),
    ("et", "poole kolmeks", time(14, 30)),
    ("et", "kell pool kolm", time(14, 30)),
    ("et", "kella kahe ajal", time(14, 0)),
    ("et", "pärast lõunat kell kaks", time(14, 0)),
    ("et", "veerand üksteist", time(10, 15)),
    ("et", "kolmveerand kaksteist", time(11, 45)),
    ("et", "kolmveerand kümme", time(9, 45)),
    ("et", "kümne paiku", time(10, 0)),
    ("et", "kella kolme paiku", time(15, 0)),
    ("et", "kella kahe ümber", time(14, 0)),
    ("et", "üheteistkümne kandis", time(11, 0)),
    ("et", "pool üksteist", time(10, 30)),
    ("et", "kell üheksa neljakümne viiega", time(9, 45)),
    ("ru", "в восемь тридцать", time(8, 30)),
    ("ru", "около половины третьего", time(14, 30)),
    ("ru", "где-то в половине третьего", time(14, 30)),
    ("ru", "в пол третьего", time(14, 30)),
    ("ru", "в полдесятого", time(9, 30)),
    ("ru", "часа в два", time(14, 0)),
    ("ru", "около двух", time(14, 0)),
    ("ru", "в районе двух", time(14, 0)),
    ("ru", "в десять пятнадцать", time(10, 15)),
    ("ru", "без четверти десять", time(9, 45)),
    ("en", "around half two", time(14, 30)),
    ("en", "half past two", time(14, 30)),
    ("en", "at ten fifteen", time(10, 15)),
    ("en", "around ten", time(10, 0)),
    ("en", "quarter to eleven", time(10, 45)),
    ("en", "at noon", time(12, 0)),
    ("et", "keskpäeval", time(12, 0)),
    ("ru", "в полдень", time(12, 0)),
])
def test_a_clock_time_as_people_say_it(lang: str, said: str, at: time) -> None:
    found = heard(said, lang)
    assert found.time == at, found
    assert (found.start, found.end, found.single) == (None, None, None), found  # "третьего" is no 3 December


@pytest.mark.parametrize("said,at", [
    ("kaheksa kolmkümmend", time(8, 30)),
    ("kümme viisteist", time(10, 15)),
    ("noh, kaheksa kolmkümmend sobiks", time(8, 30)),
    ("восемь тридцать", time(8, 30)),
    ("четырнадцать сорок пять", time(14, 45)),
    ("eight thirty", time(8, 30)),
    ("nine forty five please", time(9, 45)),
    ("two thirty", time(14, 30)),
])
def test_an_hour_and_minutes_alone_answer_the_time_question(said: str, at: time) -> None:
    assert bare_clock_time(stt_clock(spell_numbers(said))) == at


@pytest.mark.parametrize("said", [
    "номер пять три семь семь, девятнадцать ноль два, ой, нет, девятнадцать двадцать",  # phone groups
    "viis kolm seitse seitse, üks üheksa kaks null",
    "kaks kolmkümmend eurot",
    "ten fifteen December",
])
def test_numbers_that_are_no_hour_and_minutes(said: str) -> None:
    digits = stt_clock(spell_numbers(said))
    assert bare_clock_time(digits) is None and extract_dates(digits, "ru", TODAY).time is None


@pytest.mark.parametrize("lang,said", [
    ("et", "kaheksa kolmkümmend"),  # a time only as the answer to "what time?" (see above)
    ("en", "eleven twenty"),
    ("et", "viis kolm kaks üks kaheksa kaheksa kolm kolm"),
    ("et", "kaks kolmkümmend eurot"),
    ("en", "from the 10th to the 15th of December"),
    ("en", "ten fifteen December"),
    ("ru", "пять три два один, сорок пять, шестьдесят семь"),
    ("et", "kümnendast viieteistkümnendani"),
    ("et", "pärast kella kahte kümnendal"),  # "kella 2 10-ndal": the 10th is a day, no 2:10
])
def test_numbers_that_are_no_clock_time(lang: str, said: str) -> None:
    assert heard(said, lang).time is None


def test_a_time_corrected_with_half_past_is_booked_as_said() -> None:
    replies = run("examples/clinic.toml", [
        "Tere, vaktsineerimine esmaspäeval, neljateistkümnendal detsembril, kella kümneks.",
        "Helve Kuke nimele, ja kui saab, siis mitte kümneks, vaid pool üksteist.",
    ])
    assert "10:30" in replies[1], replies[1]


@pytest.mark.parametrize("lang,first,answer,at", [
    ("et", "Tere, sooviksin üldkontrolli neljapäeval, kolmandal detsembril.", "poole kolme paiku", "14:30"),
    ("et", "Tere, vereanalüüsi tahaks reedel, kaheksateistkümnendal", "kaheksa kolmkümmend", "8:30"),
    ("ru", "Здравствуйте, хочу на осмотр в четверг, третьего декабря.", "около половины третьего", "14:30"),
    ("en", "Hello, a check-up on Thursday the third of December please.", "around half two", "14:30"),
    ("en", "Hi, a blood test on Friday the eighteenth of December.", "eight thirty", "8:30"),
])
def test_the_time_question_answered_in_words(lang: str, first: str, answer: str, at: str) -> None:
    replies = run("examples/clinic.toml", [first, answer])
    assert at in replies[1], replies[1]
