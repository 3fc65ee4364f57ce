"""What the twelfth tuning set (tests/conversations/understanding12_*.yaml) found: the last two digits
fixed at the summary, "this number" without a caller id keeps the rest of the request, a foreign
number said in words, digit repeats in Estonian ("kaks viite"), a name given with a correction, and
an hour that "would suit"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent.extract.names import pet_name_readings
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.phones import phone_tail
from receptionist.agent.extract.times import extract_time
from receptionist.agent.nlu import hear
from receptionist.config.app import load_config
from tests.agent.harness import talk

ROOT = Path(__file__).resolve().parents[2]


def run(lines: list[str], caller_id: str | None) -> list[str]:
    return talk("config.toml", lines, caller_id=caller_id)


@pytest.mark.parametrize("text,tail", [("sorry, the last two are eight nine, not one eight", "89"),
                                       ("vabandust, kaks viimast on hoopis kaheksa üheksa", "89")])
def test_the_last_two_digits_fixed(text: str, tail: str) -> None:
    found = phone_tail(spell_numbers(text))
    assert found is not None and found[0] == tail


def test_this_number_without_a_caller_id_keeps_the_rest_of_the_request() -> None:
    reply = run(["A dog room for Wombat from the 14th to the 17th of December, and use this number"], None)[0]
    assert "can't see the number" in reply and "dog or a cat" not in reply, reply


def test_a_foreign_number_said_in_words() -> None:
    tenant = load_config(ROOT / "config.toml").default_tenant
    h = hear("my mobile is plus three five eight, four oh, seven one eight, two two three five", "en",
             date(2026, 11, 24), tenant)
    assert h.phone == "+358407182235"


@pytest.mark.parametrize("text,digits", [("kaks viite", "5 5"), ("kolm seitset", "7 7 7"), ("kaks nulli", "0 0")])
def test_estonian_digit_repeats(text: str, digits: str) -> None:
    assert spell_numbers(text) == digits


def test_a_name_given_with_a_correction_of_the_end() -> None:
    assert pet_name_readings("actually make that the fifteenth, and he's Sprout") == ("Sprout",)
    assert pet_name_readings("and he's friendly") == ()


def test_an_hour_that_would_suit_is_the_time() -> None:
    assert extract_time(spell_numbers("eleven would suit. Sorry, I meant Wednesday the ninth")).hour == 11
    assert extract_time(spell_numbers("two nights would suit")) is None
