"""What the seventh tuning set (tests/conversations/understanding7_*.yaml) found, one rule per test:
the caller's own number without a caller id, ranges written "10.-13.12", clock words that look like
Estonian ordinals, a booking mentioned in passing by a caller we know by their number, and names that
are also words."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from receptionist.agent.extract import extract_phone
from receptionist.agent.extract.dates import extract_dates, extract_time
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.llm import make_name_validator
from receptionist.agent.nlu import _person, means_own_number
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from tests.agent.harness import Conversation, prefill

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("text", ["numbriks võtke see, millelt ma helistan", "Telefon sama, millelt kirjutan",
                                  "use this number", "the number I'm calling from", "запишите номер, с которого звоню"])
def test_the_callers_own_number_is_recognised(text: str) -> None:
    assert means_own_number(text)


def run(conv: Conversation, lines: list[str]) -> list[str]:
    return [asyncio.run(conv.say(line)).text for line in lines]


def test_without_a_caller_id_the_own_number_is_asked_for_and_names_nobody(tmp_path: Path) -> None:
    config = load_config(ROOT / "config.toml")
    conv = Conversation(config, tmp_path / "c.db", FakeClock(datetime(2026, 11, 24, 9, tzinfo=timezone.utc)),
                        channel="voice", caller_id=None)
    try:
        replies = run(conv, ["Tere, kassile Miisule oleks vaja tuba 12. kuni 14. detsembrini.",
                             "numbriks võtke see, millelt ma helistan", "viis kolm üks kaks, neli neli null seitse"])
    finally:
        conv.close()
    assert replies[1].startswith("Ma ei näe numbrit")
    assert "Miisu" in replies[2] and "+372 5312 4407" in replies[2], replies[2]


def test_an_llm_name_must_be_capitalised_where_the_caller_capitalises() -> None:
    ok = make_name_validator(lambda name, text: True, set())
    assert not ok("Number", "Kirjutage see number, palun")
    assert ok("Rex", "My dog is Rex") and ok("rex", "my dog is rex")


@pytest.mark.parametrize("text,start,end", [("tuba 10.–13.12. palun", "2026-12-10", "2026-12-13"),
                                            ("10-13.12", "2026-12-10", "2026-12-13")])
def test_two_days_of_one_written_month(text: str, start: str, end: str) -> None:
    d = extract_dates(text, "et", TODAY)
    assert (str(d.start), str(d.end)) == (start, end)


def test_pool_ten_at_the_end_is_a_time_not_the_tenth() -> None:
    d = extract_dates(spell_numbers("vereanalüüsi oleks vaja kahekümne teisel detsembril, ütleme pool kümme."), "et", TODAY)
    assert d.single == date(2026, 12, 22) and d.time is not None and (d.time.hour, d.time.minute) == (9, 30)


def test_hour_words_in_the_translative_and_oclock_without_at() -> None:
    assert spell_numbers("kella üheteistkümneks") == "kella 11"
    assert extract_time("say 4 o'clock", "en") is not None


def test_a_negated_russian_day_before_the_right_one_is_left_out() -> None:
    d = extract_dates(spell_numbers("По поводу Снежка — заберём его не восьмого, а одиннадцатого."), "ru", TODAY,
                      ref=date(2026, 12, 5))
    assert d.end == date(2026, 12, 11) and d.start is None


@pytest.mark.parametrize("text,found", [("five six four one, oh two nine oh", "+37256410290")])
def test_oh_at_the_end_of_a_number(text: str, found: str) -> None:
    assert extract_phone(spell_numbers(text), "EE") == found


def test_name_before_siin_is_the_callers() -> None:
    tenant = load_config(ROOT / "examples/clinic.toml").default_tenant
    assert _person("Tere, Heli Paju siin. Vajaksin vereanalüüsi", "et", tenant)[0] == "Heli Paju"


@pytest.mark.parametrize("config,prefilled,line", [
    ("config.toml", {"room_type": "cat", "start": "2026-12-05", "end": "2026-12-08", "pet_name": "Снежок"},
     "Здравствуйте! По поводу Снежка — заберём его не восьмого, а одиннадцатого."),
    ("examples/clinic.toml", {"service": "checkup", "at": "2026-11-26T10:00", "name": "Nina Ward"},
     "Hello, I've got a check-up with the doctor on Thursday."),
])
def test_a_booking_mentioned_by_its_owner_is_managed(tmp_path: Path, config: str, prefilled: dict, line: str) -> None:
    cfg = load_config(ROOT / config)
    clock = FakeClock(datetime(2026, 11, 24, 9, tzinfo=timezone.utc))
    made = prefill(cfg, tmp_path / "c.db", clock, [{**prefilled, "phone": "+37256210984"}])
    conv = Conversation(cfg, tmp_path / "c.db", clock, channel="sms", caller_id="+37256210984")
    try:
        reply = asyncio.run(conv.say(line))
    finally:
        conv.close()
    assert made[0].code in reply.text, reply.text
