"""Corrections in the same breath (receptionist/agent/extract/repairs.py): what is taken back is left
out, in en / et / ru, for names, phone digits and dates; an answer that starts with "no" is no repair."""

from __future__ import annotations

import pytest

from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.repairs import repaired


@pytest.mark.parametrize("said,meant", [
    ("kassi nimi on Mona, ei, vabandust, Moona, kahe o-ga.", "kassi nimi on Moona, 2 o-ga."),
    ("number on viis kolm seitse seitse, üks üheksa null kaks, oot, ei, üks üheksa kaks null.",
     "number on 5 3 7 7 1 9 2 0 ."),  # a cardinal stays apart from the full stop: "0." would be an ordinal
    ("it's five three seven seven, one nine oh two, no wait, one nine two oh", "it's 5 3 7 7 1 9 2 0"),
    ("номер пять три семь семь, девятнадцать ноль два, ой, нет, девятнадцать двадцать", "номер 5 3 7 7 19 20"),
    ("tooksin koera neljandal, ei, mitte neljandal, vaid viiendal", "tooksin koera mitte 4-ndal, vaid 5-ndal"),
    ("alates 10. detsembrist, ei, vabandust, 11. detsembrist kuni 14. detsembrini",
     "alates 11. detsembrist kuni 14. detsembrini"),
    ("from the 10th, no wait, 11th to the 14th", "from the 11th to the 14th"),
])
def test_what_a_correction_takes_back_is_left_out(said: str, meant: str) -> None:
    assert repaired(spell_numbers(said)) == meant


@pytest.mark.parametrize("said", ["Ei, vabandust, viimane on seitse", "no, the 12th", "Mul ei ole, aga", "Нет, спасибо"])
def test_an_answer_that_starts_with_no_is_no_repair(said: str) -> None:
    assert repaired(said) == said


def test_digit_words_are_repaired_only_once_they_are_digits() -> None:
    said = "üks üheksa null kaks, oot, ei, üks üheksa kaks null"
    assert repaired(said) == said
