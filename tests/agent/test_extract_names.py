"""Pet and person names from common phrasings, and validation of proposed names."""

from __future__ import annotations

import pytest

from receptionist.agent.extract import extract_person_name, extract_pet_name, name_occurs_in


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("my dog Max", "en", "Max"),
        ("his name is Max", "en", "Max"),
        ("It's a cat called luna", "en", "Luna"),
        ("her name's Bella", "en", "Bella"),
        ("koer nimega Muki", "et", "Muki"),
        ("mu koera nimi on Muki", "et", "Muki"),
        ("собаку зовут Бобик", "ru", "Бобик"),
        ("кличка Барсик", "ru", "Барсик"),
        ("кота зовут барсик", "ru", "Барсик"),
    ],
)
def test_pet_names(text, lang, name):
    assert extract_pet_name(text, lang) == name


@pytest.mark.parametrize(
    ("text", "lang"),
    [("My dog is sick", "en"), ("my name is John Smith", "en"), ("меня зовут Иван Петров", "ru"), ("Jah", "et")],
)
def test_no_pet_name_without_a_pet_cue(text, lang):
    assert extract_pet_name(text, lang) is None


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("my name is John Smith", "en", "John Smith"),
        ("I'm Anna", "en", "Anna"),
        ("Hi, this is Anna Kask, I'd like to book", "en", "Anna Kask"),
        ("minu nimi on Mari Tamm", "et", "Mari Tamm"),
        ("меня зовут Иван Петров", "ru", "Иван Петров"),
        ("My name is John and I need a room", "en", "John"),
        ("my name is john", "en", "John"),
    ],
)
def test_person_names(text, lang, name):
    assert extract_person_name(text, lang) == name


@pytest.mark.parametrize(
    ("text", "lang"),
    [("I'm calling about my dog", "en"), ("Я хочу забронировать", "ru"), ("собаку зовут Бобик", "ru")],
)
def test_no_person_name_from_ordinary_sentences(text, lang):
    assert extract_person_name(text, lang) is None


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Muki", "Toon Mukit homme"),
        ("Muki", "Mukile on vaja tuba"),
        ("Бобик", "оставлю Бобика у вас"),
        ("Мурка", "привезу Мурку"),
        ("Rex", "his name is REX"),
        ("Bobik", "собаку зовут Бобик"),
        ("Mari Tamm", "mari tamm siin"),
    ],
)
def test_proposed_name_found_despite_case_endings_and_script(name, text):
    assert name_occurs_in(name, text)


@pytest.mark.parametrize(
    ("name", "text"),
    [("Max", "my dog"), ("Max", "Maxwell"), ("Mari Tamm", "Mari siin"), ("Rex", ""), ("", "Rex")],
)
def test_invented_names_are_rejected(name, text):
    assert not name_occurs_in(name, text)
