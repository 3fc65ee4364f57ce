"""find_code: the one parser of booking codes in what callers type or say (en / et / ru, Whisper's way)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from receptionist.booking.codes import find_code
from receptionist.booking.models import StayRequest
from receptionist.booking.service import CalendarService
from tests.booking.conftest import customer


@pytest.mark.parametrize("text", [
    "BK-482913", "bk 482 913", "BK482913", "Code: BK482913.", "B.K. 482-913", "bk-482,913",
    "БК 482913", "ВК-482913", "вк 482 913",
    "482913", "482 913", "482,913", "It's 482913", "my code is 482 913", "see on 482913", "это 482-913",
    "4, 8, 2, 9, 1, 3", "4 8 2 9 1 3",
    "four eight two nine one three", "Four, eight, two, nine, one, three.",
    "neli kaheksa kaks üheksa üks kolm", "четыре восемь два девять один три", "четыре-восемь-два-девять-один-три",
    "I want to cancel booking four eight two nine one three please",
    "мой номер брони бэ ка четыре восемь два девять один три",
    "oh, four eight two nine one three",
    "B K four eight two nine one three", "bee kaa neli kaheksa kaks üheksa üks kolm",
    "Please cancel BK-482913, my phone is 5123 4567",
])
def test_a_six_digit_code_is_found_however_it_was_typed_or_said(text):
    assert find_code(text) == "BK-482913"


@pytest.mark.parametrize("text", [
    "BK-4521", "bk 4521", "B K four five two one", "би кей четыре пять два один", "bee kaa neli viis kaks üks",
])
def test_old_four_digit_codes_are_found_with_their_prefix(text):
    assert find_code(text) == "BK-4521"


@pytest.mark.parametrize("text", [
    "my number is 5123 4567", "+372 5123 4567", "BK 5123 4567", "BK-4829135", "482 9135", "5 1 2 3 4 5 6 7",
    "viis üks kaks kolm neli viis kuus seitse",  # a phone number said digit by digit: 8 digits
])
def test_a_phone_number_is_never_a_code(text):
    assert find_code(text) is None


@pytest.mark.parametrize("text", [
    "December 10 2026", "10.12.26", "10 2026", "4521", "I want to book from 10 to 15 December for 2 dogs",
    "Can I bring 482913 toys for my dog when I come on Friday?",  # a number inside a longer sentence
    "BK-082913", "", "booking",
])
def test_other_numbers_are_not_codes(text):
    assert find_code(text) is None


def test_when_the_bot_asked_for_the_code_digits_in_a_sentence_count():
    sentence = "Sure, the one they gave me on the phone was 482913"
    assert find_code(sentence) is None
    assert find_code(sentence, expected=True) == "BK-482913"
    assert find_code("4521", expected=True) == "BK-4521"
    assert find_code("5123 4567", expected=True) is None


class ScriptedRandom(random.Random):
    """randint answers from a script: the first draws collide with codes that exist."""

    def __init__(self, *values: int) -> None:
        super().__init__(0)
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        return self.values.pop(0) if self.values else super().randint(a, b)


def test_a_collision_draws_again_and_never_changes_the_length(pet_config, db_path, clock):
    stay = StayRequest("dog", date(2026, 12, 1), date(2026, 12, 3))
    calendar = CalendarService(db_path, pet_config, clock, rng=ScriptedRandom(482913, 482913, 482913, 777001))
    try:
        first = calendar.create_booking("pawsome", stay, customer(1))
        second = calendar.create_booking("pawsome", stay, customer(2))
        assert (first.code, second.code) == ("BK-482913", "BK-777001")
    finally:
        calendar.close()
