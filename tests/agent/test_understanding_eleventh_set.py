"""What the eleventh tuning set (tests/conversations/understanding11_et.yaml) found: an age is no
name, a yes or okay before the name answer is left out, the pet as the one who stays, the hour
first in a time answer, and a pick-up said with words between the day and "järele"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent.extract.dates import extract_dates
from receptionist.agent.extract.names import pet_name_readings
from receptionist.agent.extract.numbers import spell_numbers
from tests.agent.harness import talk

ROOT = Path(__file__).resolve().parents[2]


def run(config_file: str, lines: list[str]) -> list[str]:
    return talk(config_file, lines, caller_id="+37251234567")


def test_an_age_is_no_name() -> None:
    assert pet_name_readings("kaheteistkümnendani, ta on kolmene, muidu rahulik") == ()


def test_the_pet_as_the_one_who_stays() -> None:
    assert pet_name_readings("kuni neljapäevani Lumeke jääb teile") == ("Lumeke",)


def test_a_pick_up_with_words_between_the_day_and_jarele() -> None:
    d = extract_dates(spell_numbers("pühapäeva õhtul tuleme Rolfile järele"), "et", date(2026, 11, 24),
                      ref=date(2026, 12, 3))
    assert d.end == date(2026, 12, 6) and d.start is None


@pytest.mark.parametrize("answer,name", [("jaa Tõru", "Tõru"), ("okei, kirjutage Nässu, kahe s-iga", "Nässu")])
def test_a_yes_or_okay_before_the_name_is_left_out(answer: str, name: str) -> None:
    replies = run("config.toml", ["Koeratuba kolmandast kuni kuuenda detsembrini", answer])
    assert f"lemmikule {name}" in replies[-1], replies[-1]


def test_the_hour_first_in_a_time_answer() -> None:
    replies = run("examples/clinic.toml", ["Vereanalüüs reedel, 4. detsembril", "kümme, patsient on Mirjam Lipp"])
    assert "kell 10:00" in replies[-1] and "Mirjam Lipp" in replies[-1], replies[-1]
