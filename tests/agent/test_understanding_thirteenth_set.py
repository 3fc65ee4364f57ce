"""What the thirteenth tuning set (tests/conversations/understanding13_et.yaml) and probes of the same
kind found: the pet's name as a short answer among number words, fillers, ages and verbs — taken in its
base form, never a date, never a word said about the pet."""

from __future__ import annotations

from pathlib import Path

import pytest

from receptionist.agent.extract.name_words import is_plausible_name, said_about_pet, without_word_ordinals
from receptionist.agent.extract.names import extract_person_name, pet_name_readings
from tests.agent.harness import talk

STAY = "Tere, koerale oleks tuba vaja kümnendast kuni kaheteistkümnenda detsembrini."
DATES = "neljapäeval, 10. detsembril, lahkumine laupäeval, 12. detsembril, 2 ööd"


def summary_after(answer: str, first: str = STAY) -> str:
    """The bot's summary when the caller answers the name question with `answer`, then a phone."""
    return talk("config.toml", [first, answer, "5123 4567"])[2]


@pytest.mark.parametrize("answer,name", [
    ("meie Muri", "Muri"), ("meil on Kolmik", "Kolmik"), ("tema on meil Seitse", "Seitse"),
    ("ütleme et Teine", "Teine"), ("noh, Kolmas", "Kolmas"), ("Viies ikka", "Viies"), ("Kahekas vist", "Kahekas"),
    ("no Sada", "Sada"), ("hüüame teda Tuhandeks", "Tuhat"), ("kutsume Kümneks", "Kümme"),
    ("Muri on kolmeaastane", "Muri"), ("kolme aastane Muri", "Muri"), ("Bellale kaheks ööks", "Bella"),
    ("selge, pange kirja Neljas", "Neljas"), ("Tuhandele broneerige, ta on kaheaastane", "Tuhat"),
])
def test_the_name_among_fillers_numbers_and_ages_keeps_the_dates(answer: str, name: str) -> None:
    summary = summary_after(answer)
    assert f"lemmikule {name}:" in summary and DATES in summary, summary


def test_an_ordinal_in_a_name_answer_is_no_day() -> None:
    summary = summary_after("tal on nimi Teine, sest ta on meil teine kass")
    assert "lemmikule Teine:" in summary and DATES in summary, summary
    assert without_word_ordinals("ta on meil teine kass", "et").split() == ["ta", "on", "meil", "kass"]
    assert "teisel" in without_word_ordinals("teisel detsembril", "et")
    assert "teine" in without_word_ordinals("teine detsember", "et")  # a month after it: a date


def test_a_number_with_its_unit_is_no_name() -> None:
    replies = talk("config.toml", [STAY, "tegelikult kolm ööd", "5123 4567", "Muri"])
    assert "13. detsembril, 3 ööd" in replies[1] and "Kolm" not in replies[1]
    assert replies[3].startswith("Kordan üle: koeratuba lemmikule Muri,") or "lemmikule Muri:" in replies[3], replies[3]


def test_a_pet_word_said_as_the_name_does_not_change_the_room() -> None:
    replies = talk("config.toml", [STAY, "Kõutsile", "Kõuts", "5123 4567"])
    assert "Kõuts või Kõutsi" in replies[1]
    assert replies[3].startswith("koeratuba lemmikule Kõuts:"), replies[3]


def test_words_said_about_the_pet_are_never_its_name() -> None:
    for word in ("kolmeaastane", "viiene", "kahekilone", "oleks", "broneerige", "vaja"):
        assert said_about_pet(word, "et"), word
    for word in ("muri", "Viiekas", "pisike", "Kolmik"):
        assert not said_about_pet(word, "et"), word
    assert not is_plausible_name("oleks") and is_plausible_name("muri")  # murima's imperative is a dog


@pytest.mark.parametrize("text,name", [
    ("Liisu jääb kolmeks ööks", "Liisu"), ("neljandast, neljaks ööks, Neli tuleb", "Neli"),
    ("viieteistkümnendal tuleb Miljon koju", "Miljon"), ("panime talle nimeks Kahekas", "Kahekas"),
    ("nimi on Väike Kolmik, kahe sõnaga", "Väike Kolmik"), ("me kutsume teda Esimeseks", "Esimene"),
])
def test_name_cues_in_context(text: str, name: str) -> None:
    assert pet_name_readings(text)[:1] == (name,)


@pytest.mark.parametrize("text", ["Homme tuleb ta", "Siis jääb ta kauemaks", "tuleb Tallinnast"])
def test_a_word_that_is_no_name_before_or_after_tuleb_is_not_taken(text: str) -> None:
    assert pet_name_readings(text) == ()


def test_a_first_name_keeps_its_name_reading() -> None:
    assert extract_person_name("veerand üksteist, Neeme Kümmeli nimele", "et") == "Neeme Kümmel"


def test_a_weekday_capitalised_mid_sentence_is_a_name() -> None:
    replies = talk("config.toml", ["Kas Pühapäevale oleks laupäevast kuni teisipäevani kohta? Ta on koer."])
    assert "28. novembril" in replies[0] and "1. detsembril" in replies[0], replies[0]


@pytest.mark.parametrize("answer,name", [("um, our Rex", "Rex"), ("we call him Biscuit", "Biscuit")])
def test_english_fillers_around_a_name(answer: str, name: str) -> None:
    summary = summary_after(answer, "Hi, I need a room for my dog from the 10th to the 12th of December.")
    assert summary.startswith(f"A dog room for {name},"), summary


def test_the_third_is_a_day_not_a_name() -> None:
    replies = talk("config.toml", ["Hi, I need a room for my dog from the 10th to the 12th of December.",
                                   "well, the third"])
    assert "Third" not in replies[1]


def test_russian_fillers_around_a_name() -> None:
    summary = summary_after("ну, наш Тузик", "Здравствуйте, нужна комната для собаки с десятого по двенадцатое декабря.")
    assert "питомец Тузик," in summary, summary


@pytest.mark.parametrize("text,name", [
    ("tere, koerale viieks ööks tuba alates kümnendast", None), ("koerale kolmeks ööks alates viiendast", None),
    ("kassile kahekümnendast kuni kahekümne kolmanda detsembrini", None), ("koer kolm ööd kümnendast", None),
    ("Mul on koer, kolm aastat vana", None), ("koeraga kolmeks ööks", None), ("kassile paariks ööks", None),
    ("kutsikale esimesest kuni viienda jaanuarini", None), ("koerale nädalaks alates neljandast", None),
    ("Koer Kaks tuleb kümnendast", "Kaks"), ("koerale Seitsmele tuba", "Seitse"), ("Kassile Kolmandale kohta", "Kolmas"),
    ("koer seitse tuleb kümnendal", "Seitse"), ("Muri on minu koer", "Muri"),
])
def test_a_count_or_a_day_after_the_pet_word_is_no_name(text: str, name: str | None) -> None:
    """Typed in lower case, the number after "koerale" was taken for the name ("Viieks", "Kolm")."""
    assert pet_name_readings(text)[:1] == ((name,) if name else ())


@pytest.mark.parametrize("text,names", [
    ("Koeratuba Kuuele kümnendast kuni kaheteistkümnendani.", ("Kuus",)),
    ("Kassituba Kolmandale, kaks ööd alates kümnendast.", ("Kolmas",)),
    ("Tahaksin tuua oma koera Tuhande kümnendal ja viia ära kaheteistkümnendal.", ("Tuhat",)),
    ("Koeratuba Tuhandele kümnendast kuni kaheteistkümnendani.", ("Tuhat",)),
    ("Kuuekuune kutsikas Kolmas tuleks kolmeks ööks alates kümnendast.", ("Kolmas",)),  # kutsikas: no inessive
    ("tere, kümnendast kaheteistkümnendani koerale mõmmile tuba", ("Mõmm", "Mõmmi")),  # lower case: still asked
    ("Tere. Vajan tuba koerale. Nimi Kutsu. Kümnendast kaheteistkümnendani.", ("Kutsu",)),
])
def test_a_first_sentence_names_the_pet_in_its_base_form_or_asks(text: str, names: tuple[str, ...]) -> None:
    """Probes of number-word and inflected names in an opening sentence: before, "Kolmanda", "Kuub",
    "Tuhande", "Kolma", "Mõmm" and "Vajan" (a verb that only began the sentence) were booked."""
    from datetime import date

    from receptionist.agent import nlu
    from receptionist.agent.slots import fill_checked
    from receptionist.config.app import load_config

    tenant = load_config(Path(__file__).resolve().parents[2] / "config.toml").default_tenant
    slots, _ = fill_checked(tenant, {}, nlu.hear(text, "et", date(2026, 11, 24), tenant), None)
    offered = tuple(slots["_name_options"].split("|")) if "_name_options" in slots else (slots.get("pet_name"),)
    assert offered == names
