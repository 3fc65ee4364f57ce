"""What the eighth tuning set (tests/conversations/understanding8_*.yaml) found, one rule per test:
a fix of the number's last digits at the summary, a weekday that contradicts the date said next to
it (asked, never guessed), "kella üheteistkümneks" as a clock time, and what follows from them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from receptionist.agent.extract.dates import extract_dates
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.phones import phone_tail, with_tail
from receptionist.config.app import load_config
from tests.agent.harness import talk

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)


def run(config_file: str, lines: list[str], **kwargs) -> list[str]:
    """The replies of one conversation with the rules only (the LLM knows nothing)."""
    return talk(config_file, lines, **kwargs)


@pytest.mark.parametrize("text,tail", [
    ("sorry, no, the last digit is a seven, not a six", "7"),
    ("the last two digits are eight seven", "87"),
    ("it ends in 7, not 6", "7"),
    ("ei, vabandust, viimane on seitse, mitte kuus", "7"),
    ("viimased kaks numbrit on kaheksa seitse", "87"),
    ("ой, нет, последняя цифра семь, а не шесть", "7"),
    ("номер заканчивается на 87", "87"),
])
def test_a_fix_of_the_last_digits_is_heard(text: str, tail: str) -> None:
    found = phone_tail(spell_numbers(text))
    assert found is not None and found[0] == tail


@pytest.mark.parametrize("text", ["the last day is the 7th", "viimane päev on 7.", "the last two digits are 7"])
def test_other_lasts_are_no_digit_fix(text: str) -> None:
    assert phone_tail(spell_numbers(text)) is None


def test_a_fixed_tail_must_leave_a_valid_number() -> None:
    assert with_tail("+37254123386", "7") == "+37254123387"
    assert with_tail("+37254123386", "1234567890") is None


@pytest.mark.parametrize("lang,line,fixed", [
    ("en", "sorry, no, the last digit is a seven, not a six", "+372 5412 3387"),
    ("et", "ei, vabandust, viimane on seitse, mitte kuus", "+372 5412 3387"),
    ("ru", "ой, нет, последняя цифра семь, а не шесть", "+372 5412 3387"),
])
def test_the_last_digit_fixed_at_the_summary_is_read_back(lang: str, line: str, fixed: str) -> None:
    first = {"en": "Cat room from the 16th to the 18th of December, the cat's called Pixie.",
             "et": "Kassituba kuueteistkümnendast kuni kaheksateistkümnendani, kass on Kribu.",
             "ru": "Комнату для кошки с 16 по 18 декабря, кошку зовут Соня."}[lang]
    replies = run("config.toml", [first, "5412 3386", line], channel="voice", caller_id=None)
    assert "+372 5412 3386" in replies[1]
    assert fixed in replies[2] and "3386" not in replies[2], replies[2]


@pytest.mark.parametrize("lang,text,day,said", [
    ("et", "neljapäeval, 11. detsembril", date(2026, 12, 11), 3),
    ("en", "Thursday the 11th of December", date(2026, 12, 11), 3),
    ("en", "from Friday the 4th to Sunday the 7th", date(2026, 12, 7), 6),
    ("en", "tomorrow, Friday", date(2026, 11, 25), 4),
    ("ru", "в четверг, 11 декабря", date(2026, 12, 11), 3),
])
def test_a_weekday_that_contradicts_its_date_is_a_problem(lang: str, text: str, day: date, said: int) -> None:
    d = extract_dates(spell_numbers(text), lang, TODAY)
    assert d.problem == "weekday-mismatch" and d.clash == (day, said)
    assert d.single is None and d.start is None and d.end is None


@pytest.mark.parametrize("text", ["Friday 11 December", "в пятницу 11 декабря", "reedel, 11. detsembril",
                                  "from Friday the 4th to Sunday the 6th", "the 4th until Sunday",
                                  "mul on esmaspäeval juba aeg, aga tahaksin neljapäeval, 3. detsembril"])
def test_a_weekday_that_matches_or_is_elsewhere_is_no_problem(text: str) -> None:
    assert extract_dates(spell_numbers(text), "et", TODAY).problem is None


def test_kella_with_a_translative_hour_is_a_time_not_a_day() -> None:
    d = extract_dates(spell_numbers("vaktsineerimist neljapäeval, kolmandal detsembril, kella üheteistkümneks."),
                      "et", TODAY)
    assert d.single == date(2026, 12, 3) and d.time is not None and d.time.hour == 11


@pytest.mark.parametrize("line,expected", [
    ("I'd like a vaccination on Thursday the 11th of December at 10", "11 Dec is a Friday, not a Thursday"),
    ("Vaktsineerimine neljapäeval, 11. detsembril kell 10", "11. detsember on reede, mitte neljapäev"),
    ("Прививку в четверг, 11 декабря, в 10", "11 декабря — это пятница, а не четверг"),
])
def test_the_caller_hears_the_clash_and_is_asked_the_day(line: str, expected: str) -> None:
    reply = run("examples/clinic.toml", [line], channel="web")[0]
    assert expected in reply, reply


@pytest.mark.parametrize("text,kind", [
    ("5190 2236 – ja vabandust, Sipsik on tegelikult kass, mitte koer", "cat"),
    ("actually a cat, not a dog", "cat"), ("not a dog but a cat", "cat"),
    ("не собака, а кошка", "cat"), ("кошка, а не собака", "cat"), ("it is not a dog", None),
])
def test_an_option_named_negated_is_not_chosen(text: str, kind: str | None) -> None:
    from receptionist.agent.extract.choices import pet_type

    assert pet_type(text) == kind


def test_a_pet_type_corrected_with_the_phone_answer_changes_the_room() -> None:
    replies = run("config.toml", ["Tuba Sipsikule 11. kuni 14. detsembrini, ta on koer", "Sipsik",
                                  "5190 2236 – ja vabandust, Sipsik on tegelikult kass, mitte koer"],
                  channel="voice", caller_id=None)
    assert "kassituba" in replies[-1] and "koeratuba" not in replies[-1], replies[-1]


def test_a_name_set_off_by_a_dash_before_a_correction_is_kept() -> None:
    replies = run("config.toml", ["Dog room from the fourth to the eighth of December",
                                  "Rosie - oh, and actually we'd bring her on the fifth, not the fourth"],
                  channel="voice", caller_id="+37253902211")
    assert "Rosie" in replies[-1] and "Saturday 5 December" in replies[-1], replies[-1]


@pytest.mark.parametrize("lines,phone", [
    (["Cat room from the 7th to the 10th of December.", "My number is 5644.", "9123", "Ginger"], "+372 5644 9123"),
    (["Koeratuba kümnendast kuni kolmeteistkümnendani.", "mu number on viis kuus kaks kaks",
      "ja siis üheksa null neli kaks", "Pontu"], "+372 5622 9042"),
    (["Комнату для собаки с 10 по 13 декабря.", "мой номер пять шесть два два", "и дальше девять ноль четыре два",
      "Рекс"], "+372 5622 9042"),
])
def test_a_number_begun_out_of_turn_is_finished_on_the_next(lines: list[str], phone: str) -> None:
    replies = run("config.toml", lines, channel="voice", caller_id=None)
    assert phone not in replies[1] and phone in replies[-1], replies


def test_digits_without_a_phone_cue_out_of_turn_are_no_number() -> None:
    replies = run("config.toml", ["Cat room from the 7th to the 10th of December for Ginger.", "5644"],
                  channel="voice", caller_id=None)
    assert "5644" not in replies[-1]


@pytest.mark.parametrize("answer,name", [
    ("Piprale, ja number on viis kolm kaks üks, seitse seitse null kaks", "Pipar"),
    ("nimeks Tuhvel, ja telefon viissada kaksteist, kolmkümmend neli, viiskümmend kuus", "Tuhvel"),
    ("Sõbra nime peale", "Sõber"),
    ("kirjutage Nööp.", "Nööp"),
])
def test_an_estonian_name_answer_in_a_case_is_put_in_its_base_form(answer: str, name: str) -> None:
    replies = run("config.toml", ["Tere, koeratuba oleks vaja kaheksandast kuni üheteistkümnenda detsembrini.", answer],
                  channel="voice", caller_id="+37253217702")
    assert name in replies[-1], replies[-1]
    assert f"lemmikule {name}" in replies[-1] or f"{name} või" in replies[-1] or f"{name}?" in replies[-1]


def test_several_readings_of_a_name_answer_are_asked_back() -> None:
    replies = run("config.toml", ["Tere, koeratuba oleks vaja kaheksandast kuni üheteistkümnenda detsembrini.",
                                  "Mustile, palun", "Musti"], channel="voice", caller_id="+37253217702")
    assert "Must või Musti" in replies[1], replies[1]
    assert "lemmikule Musti" in replies[2], replies[2]


@pytest.mark.parametrize("text,clock", [
    ("Blood test on December 7th at 845.", "8:45"), ("on Wednesday of the 16th at 1045.", "10:45"),
    ("Friday, December 11, 930.", "9:30"), ("Wednesday 2nd December 9, 30.", "9:30"),
    ("FluShot on 8 December 11.", "11:00"), ("kell 930", "9:30"),
])
def test_clock_times_as_speech_recognition_writes_them(text: str, clock: str) -> None:
    from receptionist.agent.extract.times import stt_clock

    assert clock in stt_clock(text)


@pytest.mark.parametrize("text", ["10 December 2026.", "December 11, 2026.", "call me at 1234 5678",
                                  "December 3rd, 12, 34, 56", "10. detsembrist 13. detsembrini"])
def test_years_phone_groups_and_ordinals_are_no_clock_time(text: str) -> None:
    from receptionist.agent.extract.times import stt_clock

    assert stt_clock(text) == text


@pytest.mark.parametrize("text,kind", [("Catroom for Nala", "cat"), ("dogroom from the 8th", "dog")])
def test_an_option_written_as_one_word(text: str, kind: str) -> None:
    from receptionist.agent.nlu import hear

    assert hear(text, "en", TODAY, load_config(ROOT / "config.toml").default_tenant).resource == kind


@pytest.mark.parametrize("lines,expected", [
    (["Kassituba Miisule alates kahekümnendast detsembrist",
      "Kas jalutamine on hinna sees? Noh, igatahes kuni kahekümne kolmandani."], "23. detsembril"),
    (["Dog room for Rex from the 18th of December", "Do you feed them? Anyway, until the 21st."], "21 December"),
])
def test_a_question_asked_back_with_an_answer_keeps_the_answer(lines: list[str], expected: str) -> None:
    assert expected in run("config.toml", lines, channel="web")[-1]


@pytest.mark.parametrize("line", [
    "Hi, a cat room for Penny from the fourteenth to the seventeenth, and just call me back on this number.",
    "Здравствуйте, комнату для кошки Фени с четырнадцатого по семнадцатое, и перезвоните мне на этот номер.",
])
def test_call_me_back_on_this_number_in_a_booking_is_its_phone(line: str) -> None:
    reply = run("config.toml", [line], channel="voice", caller_id="+37255123408")[0]
    assert "+372 5512 3408" in reply, reply


def test_a_name_answer_followed_by_a_negated_correction_is_the_name() -> None:
    replies = run("config.toml", ["Kassituba neljandast kuni seitsmenda detsembrini, palun",
                                  "kirjutage Nööp. ja vabandust, mitte seitsmendani, vaid kaheksandani", "5517 3046"],
                  channel="voice", caller_id=None)
    assert "Nööp" in replies[-1] and "8. detsembril" in replies[-1], replies[-1]


def test_a_closed_pick_up_day_is_named_and_only_the_end_asked_again() -> None:
    replies = run("config.toml", ["Tere, kassile Miilile oleks tuba vaja kahekümne kaheksandast detsembrist kuni "
                                  "esimese jaanuarini", "ah, siis teise jaanuarini", "Miili"], channel="voice",
                  caller_id="+37253740092")
    assert "1. jaanuaril" in replies[0] and "28. detsembril oleme suletud" not in replies[0], replies[0]
    assert "28. detsembril" in replies[2] and "2. jaanuaril" in replies[2] and "Miili" in replies[2], replies[2]
