"""Names given out of order, in the ways people introduce themselves or their pet on the phone, are
kept; words around them are never taken for the name (probes of my own for the held-out kinds
out-of-order / my-number, written without the held-out text)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from receptionist.agent import nlu
from receptionist.agent.extract import extract_phone
from receptionist.agent.extract.names import extract_person_name, pet_name_readings
from receptionist.agent.extract.phones import without_phone
from receptionist.agent.slots import fill_checked
from receptionist.config.app import load_config

ROOT = Path(__file__).resolve().parents[2]
HOTEL = load_config(ROOT / "config.toml").default_tenant
CLINIC = load_config(ROOT / "examples" / "clinic.toml").default_tenant
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Maple's the name.", "en", "Maple"),
    ("It's Hazel the dog. Next Friday for three nights, please.", "en", "Hazel"),
    ("We call her Moose. It's a dog.", "en", "Moose"),
    ("Name: Pippin.", "en", "Pippin"),
    ("+372 5612 3480 is my mobile. Luna - cat.", "en", "Luna"),
    ("Biscuit's coming in. It's a dog.", "en", "Biscuit"),
    ("Otis, that's the cat's name. Dates: December 10 to 14.", "en", "Otis"),
    ("10. kuni 14. detsembrini, palun. Nurr, kass.", "et", "Nurr"),
    ("Kuupäevad: järgmisel reedel kolmeks ööks. Tuba oleks vaja Murile.", "et", "Muri"),
    ("Это кошка. Кличка у него Ночка.", "ru", "Ночка"),
    ("Ночка его зовут. Это кошка.", "ru", "Ночка"),
    ("Имя Лайма. Это собака.", "ru", "Лайма"),
    ("Телефон 5123 4567. Лайма — это собака.", "ru", "Лайма"),
    ("Записать Тузика. Это собака.", "ru", "Тузик"),
    ("Записать Мурку.", "ru", "Мурка"),
])
def test_a_pet_named_out_of_order_is_kept_in_its_base_form(text: str, lang: str, name: str) -> None:
    assert pet_name_readings(text)[:1] == (name,)
    slots, _ = fill_checked(HOTEL, {"resource_type": "dog"}, nlu.hear(text, lang, TODAY, HOTEL), "start_date")
    assert slots["pet_name"] == name


def test_a_name_in_a_case_after_a_wish_is_asked_back_when_its_ending_hides_it() -> None:
    assert pet_name_readings("Koha sooviks Tuksile.") == ("Tuks", "Tuksi")


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Emily Stone speaking.", "en", "Emily Stone"),
    ("Hi, Emily Stone here.", "en", "Emily Stone"),
    ("Sarah Cole, calling about an appointment.", "en", "Sarah Cole"),
    ("Put it under Anna Smith. A vaccination on Monday at 11.", "en", "Anna Smith"),
    ("Helistab Anu Lepik. Soovin aega vaktsineerimiseks.", "et", "Anu Lepik"),
    ("Tere, Anu Lepik räägib.", "et", "Anu Lepik"),
    ("See on Urmas Oja. Telefon on 5123 4567.", "et", "Urmas Oja"),
    ("Toomas Kask siin.", "et", "Toomas Kask"),  # toomas is also a verb form: a surname follows
    ("mobiil 52 73 06 18 Liis Rebane siin.", "et", "Liis Rebane"),
    ("Broneering Mari Kase nimele.", "et", "Mari Kask"),
    ("Kaie Rebasele oleks vaja vereanalüüsi aega, kolmapäeval kell kaheksa", "et", "Kaie Rebane"),
    ("Здравствуйте, вас беспокоит Ирина Соколова.", "ru", "Ирина Соколова"),
    ("Olen Kalle Saar. Soovin aega.", "et", "Kalle Saar"),
    ("Mu number on 5123 4567. Rein Kuusk on mu nimi.", "et", "Rein Kuusk"),
    ("Soovin aega. Patsiendiks Mari Kask.", "et", "Mari Kask"),
    ("Kirjutage üles Ene Pärn. Number, millelt helistan.", "et", "Ene Pärn"),
    ("Sarah Cole is my name.", "en", "Sarah Cole"),
    ("Write down Tom Baker, please.", "en", "Tom Baker"),
    ("Could you book James Reid in? Phone 5123 4567.", "en", "James Reid"),
])
def test_a_caller_introducing_themselves_names_the_patient(text: str, lang: str, name: str) -> None:
    heard = nlu.hear(text, lang, TODAY, CLINIC)
    slots, _ = fill_checked(CLINIC, {}, heard, None)
    assert slots["patient_name"] == name


@pytest.mark.parametrize(("text", "lang"), [
    ("I'm calling about my dog", "en"),
    ("Who is calling?", "en"),
    ("Broneering Muri nimele.", "et"),
    ("Запишите Марию Петрову.", "ru"),  # a person, never a pet called Мария
])
def test_words_around_a_name_are_never_the_name(text: str, lang: str) -> None:
    name = extract_person_name(text, lang)
    assert name is None or name.split()[0] not in ("I'm", "Who", "Broneering")
    assert pet_name_readings(text) == ()


@pytest.mark.parametrize(("answer", "lang", "tenant", "asked", "name"), [
    ("Helistab Jaan Tamm.", "et", CLINIC, "patient_name", "Jaan Tamm"),
    ("Записать Мурку.", "ru", HOTEL, "pet_name", "Мурка"),
    ("Kas saaks laupäevast, viiendast detsembrist, neljaks ööks?", "et", HOTEL, "pet_name", None),
])
def test_the_answer_to_the_name_question_is_the_name_without_the_words_around_it(
        answer: str, lang: str, tenant, asked: str, name: str | None) -> None:
    slots, _ = fill_checked(tenant, {"resource_type": "dog"}, nlu.hear(answer, lang, TODAY, tenant), asked)
    assert slots.get(asked) == name


def test_a_phone_number_ends_with_its_sentence() -> None:
    text = "Number on 5123 4567. 10. kuni 14. detsembrini, palun."
    assert extract_phone(text, "EE") == "+37251234567"
    assert "5123" not in without_phone(text, "EE") and "10. kuni 14." in without_phone(text, "EE")
    heard = nlu.hear(text, "et", TODAY, HOTEL)
    assert heard.phone == "+37251234567"
    assert (heard.dates.start, heard.dates.end) == (date(2026, 12, 10), date(2026, 12, 14))


@pytest.mark.parametrize(("said", "lang", "start", "end"), [
    ("ei, tuleme talle päev varem järele", "et", "2026-12-06", "2026-12-09"),
    ("we'll bring him a day later", "en", "2026-12-07", "2026-12-10"),
    ("можно на два дня позже", "ru", "2026-12-08", "2026-12-12"),
    ("oi ei, üks öö vähem palun", "et", "2026-12-06", "2026-12-09"),
])
def test_a_relative_change_at_the_summary_moves_the_stay_it_names(said, lang, start, end) -> None:
    stay = {"resource_type": "dog", "start_date": "2026-12-06", "end_date": "2026-12-10", "pet_name": "Rex"}
    slots, problem = fill_checked(HOTEL, stay, nlu.hear(said, lang, TODAY, HOTEL), "confirm")
    assert problem is None and (slots["start_date"], slots["end_date"]) == (start, end)


@pytest.mark.parametrize(("said", "hour"), [("10 in the morning then", 10), ("say 3 in the afternoon", 15),
                                            ("December 10 in the morning", None), ("the 10th in the morning", None)])
def test_an_hour_with_a_part_of_the_day_is_a_time_but_a_day_with_it_is_not(said: str, hour: int | None) -> None:
    from receptionist.agent.extract.times import extract_time
    found = extract_time(said, "en")
    assert (found.hour if found else None) == hour


def test_a_number_said_across_a_full_stop_is_still_one_number_and_no_days() -> None:
    heard = nlu.hear("My number is 5123. 4-5-6-7.", "en", TODAY, HOTEL)  # Whisper's way of writing it
    assert heard.phone == "+37251234567" and heard.dates.empty  # "6-7" is no stay from the 6th to the 7th
