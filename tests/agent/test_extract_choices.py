"""Option matching with inflected forms, and the built-in pet types."""

from __future__ import annotations

import pytest

from receptionist.agent.extract import match_choice, pet_type

ROOMS = {"small": ["small", "väike", "маленький"], "large": ["big", "large", "suur", "большой"]}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Soovin koerale tuba", "et", "dog"),
        ("koerale", "et", "dog"),
        ("kassile", "et", "cat"),
        ("кошку", "ru", "cat"),
        ("кота", "ru", "cat"),
        ("у нас пёс", "ru", "dog"),
        ("Собаку зовут Бобик", "ru", "dog"),
        ("my puppy", "en", "dog"),
        ("two cats", "en", "cat"),
        ("котёнок", "ru", "cat"),
    ],
)
def test_pet_type_from_inflected_words(text, lang, expected):
    assert pet_type(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [("a dog and a cat", "en"), ("I will catch the bus", "en"), ("kas saab kassas maksta", "et"), ("hello", "en")],
)
def test_pet_type_none_when_ambiguous_or_absent(text, lang):
    assert pet_type(text, lang) is None


def test_match_choice_with_custom_options():
    assert match_choice("the big room please", "en", ROOMS) == "large"
    assert match_choice("suurde tuppa", "et", ROOMS) == "large"
    assert match_choice("маленькую комнату", "ru", ROOMS) == "small"
    assert match_choice("big or small?", "en", ROOMS) is None


def test_option_id_itself_counts_and_phrases_match_whole():
    options = {"grooming": ["trim", "pügamine"], "day_care": ["day care", "päevahoid"]}
    assert match_choice("some grooming", "en", options) == "grooming"
    assert match_choice("just day care", "en", options) == "day_care"
    assert match_choice("one day", "en", options) is None
