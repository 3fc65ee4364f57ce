"""A caller who listens to the summary (tests/dialogues/listening.py): the corrections they would
say, which field a summary gets wrong, and the runner using them with the real agent (rules only)."""

from __future__ import annotations

import pytest

from tests.dialogues.listening import corrections, first_mismatch
from tests.dialogues.runner import DialogueRunner
from tests.dialogues.suite import Dialogue

STAY = {"bookings": [{"status": "confirmed", "resource": "dog", "start": "2026-12-10", "end": "2026-12-12",
                      "pet_name": "Rex", "phone": "+37251234567"}]}


def test_corrections_name_phone_and_dates_in_each_language() -> None:
    assert corrections(STAY, "en") == {"name": "No, the name is Rex.", "phone": "No, my number is 5123 4567.",
                                       "dates": "No, from 10 December to 12 December."}
    assert corrections(STAY, "et")["dates"] == "Ei, alates 10. detsembrist kuni 12. detsembrini."
    assert corrections(STAY, "ru")["dates"] == "Нет, с 10 декабря по 12 декабря."


def test_the_first_wrong_field_is_found() -> None:
    right = {"pet_name": "Rex", "phone": "+37251234567", "start_date": "2026-12-10", "end_date": "2026-12-12"}
    assert first_mismatch(STAY, right) is None
    assert first_mismatch(STAY, {**right, "pet_name": "Brex"}) == "name"
    assert first_mismatch(STAY, {**right, "end_date": "2026-12-13"}) == "dates"


@pytest.mark.parametrize("listening,booked", [(False, False), (True, True)])
def test_a_listening_caller_corrects_a_misheard_name(listening: bool, booked: bool) -> None:
    said = Dialogue.from_dict({"name": "t", "lang": "en", "turns": ["A room for my dog Brex from December 10 to 12"],
                               "answers": {"phone": "+372 5123 4567"}, "expect": STAY}, "test")
    result = DialogueRunner(None, listening=listening).run(said)
    assert result.passed is booked, result.transcript()
    assert bool(result.wrong_bookings) is not booked  # saying yes to "Brex" books the wrong name
