"""What the fourteenth tuning set (tests/conversations/understanding14_*.yaml) found: repeated digits
said with a count ("kaks korda viis", "three sevens", "три семёрки"), the end of the number fixed at
the summary ("it ends four three, not three four"), a start corrected in the turn after it was given
("Saturday the fifth of December I mean") and an end given relative to it ("the Tuesday after"), and
a second value in the same answer kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent.extract.dates import extract_dates
from receptionist.agent.extract.numbers import number_words_only, spell_numbers
from receptionist.agent.extract.phones import extract_phone, phone_tail
from tests.agent.harness import talk

ROOT = Path(__file__).resolve().parents[2]


def run(lines: list[str], config: str = "config.toml", caller_id: str | None = None) -> list[str]:
    return talk(config, lines, caller_id=caller_id)


# ---------------------------------------------------------------- repeated digits


@pytest.mark.parametrize("text,digits", [
    ("kaks korda viis", "5 5"), ("kolm korda null", "0 0 0"), ("kolm korda seitse", "7 7 7"),
    ("kaks korda kaheksa", "8 8"),
    ("three sevens", "7 7 7"), ("two oh's", "0 0"), ("three times seven", "7 7 7"), ("double five", "5 5"),
    ("три семёрки", "7 7 7"), ("три семерки", "7 7 7"), ("два нуля", "0 0"), ("две пятёрки", "5 5"),
    ("два раза пять", "5 5"),
])
def test_a_digit_said_once_with_a_count_is_repeated(text: str, digits: str) -> None:
    assert spell_numbers(text) == digits


@pytest.mark.parametrize("text,phone", [
    ("viis kolm, kaks korda viis, üks kaheksa, null neli", "+37253551804"),
    ("viis üks, kolm korda null, seitse kaks kuus", "+37251000726"),
    ("viis, kolm korda seitse, neli kaks üks null", "+37257774210"),
    ("oota… viis kaks, kaks korda kaheksa, neli null, üks üks", "+37252884011"),
    ("five, three sevens, four two one oh", "+37257774210"),
    ("пять, три семёрки, четыре два один ноль", "+37257774210"),
])
def test_a_phone_number_with_repeated_digits(text: str, phone: str) -> None:
    assert extract_phone(spell_numbers(text)) == phone


@pytest.mark.parametrize("text", ["we'll come two times, on the fifth", "tuleme kaks korda, viiendal",
                                  "feed him two times a day"])
def test_a_count_of_times_without_a_digit_after_it_stays_a_count(text: str) -> None:
    assert "2" in spell_numbers(text)


# ---------------------------------------------------------------- the end of the number fixed


@pytest.mark.parametrize("text", ["oh sorry, it ends four three, not three four",
                                  "sorry, it's four three at the end, not three four",
                                  "vabandust, see lõpeb neli kolm, mitte kolm neli",
                                  "в конце сорок три, а не тридцать четыре"])
def test_the_end_of_the_number_said_with_the_digits_it_replaces(text: str) -> None:
    found = phone_tail(spell_numbers(text))
    assert found is not None and found[0] == "43"


@pytest.mark.parametrize("text", ["it ends 12 December", "it ends on the fifth, not the fourth",
                                  "lõpeb 12. detsembril"])
def test_an_end_of_the_stay_is_no_fix_of_the_number(text: str) -> None:
    assert phone_tail(spell_numbers(text)) is None


def test_the_end_of_the_number_fixed_at_the_summary_is_read_back() -> None:
    replies = run(["Cat room for Kipper, the eleventh to the fourteenth of December.",
                   "my number is five six seven one, two oh three four",
                   "oh sorry, it ends four three, not three four"])
    assert "+372 5671 2034" in replies[1]
    assert "+372 5671 2043" in replies[2], replies[2]


# ---------------------------------------------------------------- a start corrected, an end counted from it

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize("text,lang", [("and pick him up on the Tuesday after.", "en"),
                                       ("we'll collect her the Tuesday after that", "en"),
                                       ("ja järele tuleme sellele järgneval teisipäeval", "et"),
                                       ("järele tuleme teisipäeval pärast seda", "et"),
                                       ("заберём во вторник после этого", "ru")])
def test_the_weekday_after_is_the_first_one_after_the_start(text: str, lang: str) -> None:
    d = extract_dates(spell_numbers(text), lang, TODAY, ref=date(2026, 12, 5))  # the start: Saturday 5 December
    assert d.end == date(2026, 12, 8) and d.start is None


@pytest.mark.parametrize("text,lang", [("on Tuesday after lunch", "en"), ("teisipäeval pärast lõunat", "et")])
def test_a_weekday_before_after_and_more_words_is_the_plain_weekday(text: str, lang: str) -> None:
    assert extract_dates(spell_numbers(text), lang, TODAY, ref=date(2026, 12, 5)).end is None


@pytest.mark.parametrize("text,lang", [("Saturday the fifth of December I mean,", "en"),
                                       ("laupäeval, viiendal detsembril ma mõtlen", "et"),
                                       ("в субботу, пятого декабря, я имею в виду", "ru")])
def test_a_day_said_with_i_mean_is_a_correction(text: str, lang: str) -> None:
    d = extract_dates(spell_numbers(text), lang, TODAY)
    assert d.single == date(2026, 12, 5) and d.corrects


@pytest.mark.parametrize("lines", [
    ["Hi, I'd like a dog room for Dumpling.", "We'd bring him on Saturday,", "Saturday the fifth of December I mean,",
     "and pick him up on the Tuesday after."],
    ["Tere, koerale Mussule oleks tuba vaja.", "tooksime ta laupäeval", "laupäeval, viiendal detsembril ma mõtlen",
     "ja järele tuleme sellele järgneval teisipäeval"],
])
def test_a_start_corrected_in_the_end_answer_replaces_the_start(lines: list[str]) -> None:
    replies = run(lines)
    assert "28" not in replies[2] and "5" in replies[2], replies[2]  # not 28 November - 5 December
    assert ("Saturday 5 December to Tuesday 8 December" in replies[3]
            or ("laupäeval, 5. detsembril" in replies[3] and "teisipäeval, 8. detsembril" in replies[3])), replies[3]


def test_a_start_said_again_on_another_weekday_is_no_correction() -> None:
    replies = run(["A dog room from Saturday the 28th of November", "Friday the fourth of December I mean"])
    assert "Saturday 28 November to Friday 4 December" in replies[1], replies[1]


# ---------------------------------------------------------------- a second value in the same answer


def test_the_pet_name_said_with_the_number_in_the_same_answer() -> None:
    replies = run(["A cat room from the seventh to the tenth of December, please.",
                   "She's Peanut. Oh, and before I forget, my number's five oh four two, seven seven one three."])
    assert "for Peanut" in replies[1] and "+372 5042 7713" in replies[1], replies[1]


def test_the_pet_name_said_while_the_start_is_moved() -> None:
    replies = run(["A dog room from the eighth of December please.", "until the eleventh",
                   "He's Barnaby. Oh, and actually we'll bring him a day early, on the seventh.", "5127 4408"])
    assert "for Barnaby" in replies[3] and "Monday 7 December to Friday 11 December" in replies[3], replies[3]


@pytest.mark.parametrize("name", ["Five Triple", "Kaks Korda", "Double Oh", "Сорок Пять"])
def test_number_words_are_the_digits_of_a_number(name: str) -> None:
    assert number_words_only(name)


@pytest.mark.parametrize("name", ["Yvonne Dale", "Tarmo Kuus", "Peanut"])
def test_a_name_with_a_word_that_is_no_number(name: str) -> None:
    assert not number_words_only(name)


def test_the_patient_named_with_the_time_keeps_the_name_through_the_phone_answer() -> None:
    replies = run(["I'd like a physio appointment on Monday the seventh of December.",
                   "half past nine, and it's for Yvonne Dale", "oh, it's five triple seven, four two one oh"],
                  config="examples/clinic.toml")
    assert "for Yvonne Dale" in replies[2] and "+372 5777 4210" in replies[2], replies[2]
    assert "Five" not in replies[2]


def test_an_estonian_number_inside_the_name_answer() -> None:
    replies = run(["Üldkontroll neljapäeval, seitsmeteistkümnendal detsembril kell kolm, palun.",
                   "Merike Tali, ja number, oota… viis kaks, kaks korda kaheksa, neli null, üks üks"],
                  config="examples/clinic.toml")
    assert "Merike Tali" in replies[1] and "+372 5288 4011" in replies[1], replies[1]


def test_a_day_with_i_mean_said_to_the_end_question_corrects_the_start() -> None:
    replies = run(["A cat room from the third of December", "the fifth I mean", "until the ninth"])
    assert "Saturday 5 December to Wednesday 9 December" in replies[2], replies[2]


def test_a_repair_inside_the_end_answer_is_the_end() -> None:
    replies = run(["A cat room from the third of December", "the twelfth, I mean the fourteenth"])
    assert "Thursday 3 December to Monday 14 December" in replies[1], replies[1]
