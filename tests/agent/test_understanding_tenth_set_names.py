"""What the tenth tuning set (tests/conversations/understanding10_*.yaml) found about names: pets
called by number words in a case, names said of the pet ("Ta on Liblikas"), Estonian patients whose
first name is also a word ("Neli Lepale"), English names never read with Estonian case endings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent.extract.fullnames import full_name_by_morphology, nominative_full_name
from receptionist.agent.extract.names import answer_name_readings, pet_name_readings
from receptionist.agent.extract.phones import extract_phone
from receptionist.agent.extract.repairs import repaired


@pytest.mark.parametrize("word,after,readings", [
    ("Miljonile", ", ja number on", ("Miljon",)),
    ("Nulli", "nimele, ja number", ("Null", "Nulli")),
    ("Pontu", "jaoks", ()),
    ("Miisu", "nimele", ()),
])
def test_a_pet_named_by_a_number_word_in_a_case(word: str, after: str, readings: tuple[str, ...]) -> None:
    assert answer_name_readings(word, after) == readings


def test_a_name_said_of_the_pet() -> None:
    assert pet_name_readings("Ta on Liblikas, mu number on viis kaks") == ("Liblikas",)
    assert pet_name_readings("ta on kass") == ()


@pytest.mark.parametrize("text,name", [
    ("Tere, vaktsineerimise aega oleks vaja Neli Lepale, esmaspäeval", "Neli Lepp"),
    ("pool kaks, Ülle Kolgale", "Ülle Kolga"),
])
def test_an_estonian_patient_with_only_the_surname_inflected(text: str, name: str) -> None:
    assert full_name_by_morphology(text, "et") == name


@pytest.mark.parametrize("name", ["August Hale", "Dylan Frost", "Lisa Doyle"])
def test_english_names_keep_their_endings(name: str) -> None:
    assert nominative_full_name(name, "en") == name


def test_digit_words_in_comma_groups_are_a_phone() -> None:
    assert extract_phone("my number's five three one two, three oh oh one. And two o'clock") == "+37253123001"


def test_a_no_that_answers_is_no_repair() -> None:
    said = "hmm, see on kallim, kui arvasin. Ei, jätame praegu, helistan hiljem tagasi, aitäh."
    assert repaired(said) == said


def test_a_pet_named_like_a_weekday_as_the_subject_of_the_stay() -> None:
    assert pet_name_readings("Could Tuesday stay with you from Friday the eleventh to Monday the fourteenth?") \
        == ("Tuesday",)


@pytest.mark.parametrize("name,expected", [("Ragnar Ilus", "Ragnar Ilus"), ("Eva Kuusel", "Eva Kuusk")])
def test_a_surname_in_s_is_taken_as_said(name: str, expected: str) -> None:
    assert nominative_full_name(name, "et") == expected


@pytest.mark.parametrize("answer,first", [("Õnne Saarepuu", "Õnne"), ("Õnn Saarepuu", "Õnn")])
def test_a_first_name_that_may_be_a_genitive_is_asked_back(answer: str, first: str) -> None:
    import asyncio
    import tempfile
    from datetime import datetime, timezone

    from receptionist.clock import FakeClock
    from receptionist.config.app import load_config
    from tests.agent.harness import Conversation, ScriptedModel

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversation(load_config(root / "examples/clinic.toml"), Path(tmp) / "c.db",
                            FakeClock(datetime(2026, 11, 24, 9, tzinfo=timezone.utc)), model=ScriptedModel(),
                            channel="voice", caller_id="+37251234567")
        try:
            asked = asyncio.run(conv.say("Vaktsineerimine esmaspäeval, 7. detsembril kell 10, aeg on Õnne Saarepuu jaoks")).text
            done = asyncio.run(conv.say(answer)).text
        finally:
            conv.close()
    assert "Õnn Saarepuu" in asked and "Õnne Saarepuu" in asked, asked
    assert f"patsient {first} Saarepuu" in done, done
