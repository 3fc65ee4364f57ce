"""Yes / no answers in en / et / ru."""

from __future__ import annotations

import pytest

from receptionist.agent.extract import yes_no


@pytest.mark.parametrize(
    "text",
    ["yes", "yeah sure", "correct", "That's correct", "jah", "jaa", "õige", "sobib", "Jah, täpselt",
     "just nii", "да", "верно", "конечно", "of course", "Yes please"],
)
def test_yes(text):
    assert yes_no(text, "en") is True


@pytest.mark.parametrize(
    "text",
    ["no", "ei", "нет", "not really", "no, the 12th", "Nope, that's wrong", "ei sobi", "не подходит",
     "not correct", "Да нет", "Ei, see on vale", "Нет, спасибо"],
)
def test_no(text):
    assert yes_no(text, "en") is False


@pytest.mark.parametrize(
    "text", ["I'm not sure", "ei tea", "не знаю", "maybe", "hmm", "Good morning", "just one night", ""]
)
def test_neither(text):
    assert yes_no(text, "en") is None
