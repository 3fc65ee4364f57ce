"""Names typed in lower case, inflected (base form stored), or that are ordinary words; never a yes/no or
confirmation word; the answer to the name question is read as a name first."""

from __future__ import annotations

from datetime import date

import pytest

from receptionist.agent import slots
from receptionist.agent.extract import extract_person_name, extract_pet_name
from receptionist.agent.nlu import hear
from receptionist.config import load_config
from tests.conftest import CLINIC_CONFIG, PET_CONFIG

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("said, name", [
    ("my dog rex", "Rex"),
    ("Комната для пса Тузика", "Тузик"),
    ("у кошки Ночки", "Ночка"),
    ("для собаки Князя", "Князь"),
    ("собаке Жучке", "Жучка"),
    ("Tuba koerale Tuksile", "Tuks"),
    ("Tuba minu koerale Reksile", "Reks"),
    ("Tahaksin tuua oma kassi Nurri", "Nurr"),
    ("Хочу оставить кошку Мусю", "Муся"),
    ("для щенка Бима", "Бим"),
    ("Привезу пса Арчи в четверг", "Арчи"),            # indeclinable-looking, not "арча" (juniper)
    ("для собаки Джеки", "Джеки"),
    ("Нужно место для Мурки с 5 по 8 декабря", "Мурка"),
    ("Vajan Miisule kohta 5. kuni 8. detsembrini", "Miisu"),
    ("Bella, minu koer, tuleks teie juurde", "Bella"),
    ("I'd like a dog room for Rocky arriving on the 28th", "Rocky"),
    ("hey, booking honey in, she's a dog", "Honey"),
    ("koeraga Lotaga", "Lota"),
    ("a dog called June", "June"),
    ("my dog June", "June"),
    ("мою кошку зовут Суббота", "Суббота"),
    ("A cat room from December 14 to 17 for Misty, please", "Misty"),
])
def test_pet_names(said: str, name: str) -> None:
    assert extract_pet_name(said) == name


@pytest.mark.parametrize("said", ["my dog needs a room", "a room for December", "my dog is big",
                                  "booking in for Saturday"])
def test_not_pet_names(said: str) -> None:
    assert extract_pet_name(said) is None


@pytest.mark.parametrize("said, name", [
    ("на имя Ирины Соколовой", "Ирина Соколова"), ("Liisa Metsa nimele", "Liisa Mets"),
    ("Jüri Kase nimele", "Jüri Kask"), ("my name is john smith", "John Smith"),
    ("запишите Марию Кузнецову", "Мария Кузнецова"), ("Physiotherapy for Hanna Berg on December 10", "Hanna Berg"),
    ("the patient is Mari Tamm", "Mari Tamm"),
])
def test_person_names_in_base_form(said: str, name: str) -> None:
    assert extract_person_name(said) == name


def _fill(config_path, said: str, lang: str, asked: str, before: dict | None = None):
    tenant = load_config(config_path).default_tenant
    heard = hear(said, lang, TODAY, tenant)
    return slots.fill_checked(tenant, before or {}, heard, asked)


@pytest.mark.parametrize("said, lang", [("Подтверждаю", "ru"), ("yes", "en"), ("jah, õige", "et"), ("Hello", "en"),
                                        ("Спасибо", "ru"), ("kinnitan", "et")])
def test_an_answer_word_is_never_a_name(said: str, lang: str) -> None:
    filled, _ = _fill(PET_CONFIG, said, lang, "pet_name")
    assert "pet_name" not in filled


@pytest.mark.parametrize("said, lang", [("Суббота", "ru"), ("Juuni", "et"), ("Sunday", "en")])
def test_the_answer_to_the_name_question_is_the_name_not_a_date(said: str, lang: str) -> None:
    before = {"pet_type": "dog", "start_date": "2026-12-10", "end_date": "2026-12-15"}
    filled, problem = _fill(PET_CONFIG, said, lang, "pet_name", before)
    assert filled["pet_name"] == said and problem is None
    assert (filled["start_date"], filled["end_date"]) == ("2026-12-10", "2026-12-15")


def test_values_for_other_slots_are_kept() -> None:
    filled, _ = _fill(PET_CONFIG, "my cell is 5123 4567", "en", "pet_name", {"pet_type": "cat"})
    assert filled["phone"] == "+37251234567" and "pet_name" not in filled


def test_a_phone_number_dictated_over_two_turns() -> None:
    tenant = load_config(PET_CONFIG).default_tenant
    first, _ = slots.fill_checked(tenant, {}, hear("five one two three", "en", TODAY, tenant), "phone")
    assert "phone" not in first
    second, _ = slots.fill_checked(tenant, first, hear("four five six seven", "en", TODAY, tenant), "phone")
    assert second["phone"] == "+37251234567" and "_phone_part" not in second


def test_an_invalid_whole_number_is_reported() -> None:
    _, problem = _fill(PET_CONFIG, "1234 5678", "en", "phone")
    assert problem == "invalid-phone"


def test_an_end_before_the_start_given_alone_is_reported_and_the_start_kept() -> None:
    before = {"pet_type": "dog", "start_date": "2026-12-10"}
    filled, problem = _fill(PET_CONFIG, "the 8th", "en", "end_date", before)
    assert problem == "end-before-start" and filled["start_date"] == "2026-12-10" and "end_date" not in filled


def test_clinic_patient_name_in_the_genitive() -> None:
    filled, _ = _fill(CLINIC_CONFIG, "на имя Ирины Соколовой", "ru", "patient_name")
    assert filled["patient_name"] == "Ирина Соколова"


def test_a_name_said_first_before_other_answers_is_kept():
    before = {"pet_type": "dog", "start_date": "2026-12-10"}
    filled, _ = _fill(PET_CONFIG, "Max, and I'll pick him up on the 12th", "en", "end_date", before)
    assert (filled["pet_name"], filled["end_date"]) == ("Max", "2026-12-12")
    filled, _ = _fill(PET_CONFIG, "Well, I'll pick him up on the 12th", "en", "end_date", before)
    assert "pet_name" not in filled


def test_the_owner_name_is_kept_beside_the_pet_name():
    filled, _ = _fill(PET_CONFIG, "My name is Mari Tamm and my dog is called Rex", "en", "pet_type")
    assert (filled["owner_name"], filled["pet_name"]) == ("Mari Tamm", "Rex")
    filled, _ = _fill(PET_CONFIG, "yes", "en", "pet_name", {"pet_type": "dog"})
    assert "owner_name" not in filled and "pet_name" not in filled


@pytest.mark.parametrize("said, lang, name", [
    ("it's for Tom Smith", "en", "Tom Smith"), ("her name is Mary Jones", "en", "Mary Jones"),
    ("patsient on Kalle Kask", "et", "Kalle Kask"), ("пациентка Анна Смирнова", "ru", "Анна Смирнова"),
])
def test_clinic_patient_cues(said, lang, name):
    filled, _ = _fill(CLINIC_CONFIG, said, lang, "patient_name")
    assert filled["patient_name"] == name


def test_a_patients_full_name_given_out_of_turn_is_kept():
    filled, _ = _fill(CLINIC_CONFIG, "Анна Смирнова", "ru", "time", {"service": "checkup", "date": "2026-12-08"})
    assert filled["patient_name"] == "Анна Смирнова" and "time" not in filled


@pytest.mark.parametrize("said, lang, name", [
    ("Нужен анализ крови Ольге Михайловой в пятницу, 11 декабря, в 9:30", "ru", "Ольга Михайлова"),
    ("Запишите, пожалуйста, Андрея Соколова на осмотр", "ru", "Андрей Соколов"),
    ("Kas Liisa Männile saaks reedel, 11. detsembril kell 9.30 vereanalüüsi aja?", "et", "Liisa Mänd"),
    ("Monday 7 December at 1:30 pm, Tom Baker, 5216 4409 - it's for physiotherapy", "en", "Tom Baker"),
    ("check-up on the 3rd at 9 for john price please", "en", "John Price"),
    ("book me in for a blood test, name's rose hill, on Friday", "en", "Rose Hill"),
    ("Vaktsineerimine 2. detsembril kell 14.15, nimi Sander Rein", "et", "Sander Rein"),
    ("Mu tütrel Eva Kuusel oleks vaja üldkontrolli", "et", "Eva Kuusk"),
])
def test_patient_names_found_by_cue_morphology_or_as_a_clause(said, lang, name):
    filled, _ = _fill(CLINIC_CONFIG, said, lang, "service")
    assert filled["patient_name"] == name


def test_a_service_is_never_a_patient():
    filled, _ = _fill(CLINIC_CONFIG, "I'd like an appointment for physiotherapy on Monday at 2", "en", "service")
    assert "patient_name" not in filled and filled["service"] == "physio"


@pytest.mark.parametrize("said, names", [("Kassituba Nalale 11. kuni 13. detsembrini", ("Nala",)),
                                         ("Kas võiksin 16. detsembril Tobiga tulla?", ("Tob", "Tobi"))])
def test_estonian_pet_names_in_a_case_without_a_pet_word(said, names):
    tenant = load_config(PET_CONFIG).default_tenant
    heard = hear(said, "et", TODAY, tenant)
    assert set(heard.pet_name_options or (heard.pet_name,)) == set(names) and heard.pet_name in names


def test_a_surname_correction_at_the_summary():
    before = {"service": "blood-test", "date": "2026-12-08", "time": "09:45", "patient_name": "Ирина Смирнова"}
    filled, _ = _fill(CLINIC_CONFIG, "нет, на фамилию Петрова", "ru", "confirm", before)
    assert filled["patient_name"] == "Ирина Петрова"


def test_a_name_corrected_against_the_old_one():
    before = {"pet_type": "cat", "pet_name": "Marco", "start_date": "2026-12-10", "end_date": "2026-12-12"}
    filled, _ = _fill(PET_CONFIG, "sorry, two mistakes: it's Marlo, not Marco, and he's a dog", "en", "confirm", before)
    assert (filled["pet_name"], filled["pet_type"], filled.get("owner_name")) == ("Marlo", "dog", None)


def test_a_surname_that_is_a_noun_is_kept_as_said():
    filled, _ = _fill(CLINIC_CONFIG, "Minu nimi on, ee, Marko Ilves.", "et", "patient_name", {"service": "physio"})
    assert filled["patient_name"] == "Marko Ilves"
