"""Every config error names the offending key."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from receptionist.config import parse_config
from receptionist.errors import ConfigError


def stay_tenant() -> dict:
    return {
        "id": "pets", "name": "Pets", "assistant_name": "Mia", "profile": "stay", "timezone": "Europe/Tallinn",
        "address": "Street 1", "phone": "+372 600 1234",
        "hours": {"mon": ["08:00-19:00"], "sun": []},
        "room_types": [
            {"id": "dog", "capacity": 2, "price_per_night": "35", "names": {"en": "d", "et": "k", "ru": "с"}},
            {"id": "cat", "capacity": 1, "price_per_night": 25.5, "names": {"en": "c", "et": "k", "ru": "к"}},
        ],
    }


def clinic_tenant() -> dict:
    return {
        "id": "clinic", "name": "Clinic", "assistant_name": "Anna", "profile": "appointment",
        "timezone": "Europe/Tallinn", "languages": ["et", "en"], "address": "A", "phone": "+372 600 5678",
        "services": [{"id": "checkup", "duration_min": 20, "price": "45", "names": {"en": "c", "et": "k"}}],
        "practitioners": [{"id": "dr", "name": "Dr", "services": ["checkup"],
                           "hours": {"mon": ["09:00-12:00", "13:00-17:00"]}}],
    }


def parse(*tenants: dict, **root):
    return parse_config({"tenants": list(tenants), **root}, base_dir=Path("/srv/r"))


def error(data_tenants, **root) -> str:
    with pytest.raises(ConfigError) as info:
        parse(*data_tenants, **root)
    return str(info.value)


def test_minimal_configs_parse_with_defaults():
    config = parse(stay_tenant(), clinic_tenant())
    pets, clinic = config.tenants
    assert pets.languages == ("en", "et", "ru") and pets.default_language == "en"
    assert pets.currency == "EUR" and pets.phone_region == "EE" and pets.booking_horizon_days == 365
    assert pets.room_types[1].price_per_night == Decimal("25.50")
    assert pets.stay.max_nights == 60 and pets.email is None and pets.knowledge_dir is None
    assert clinic.default_language == "et" and clinic.slot_step_min == 15
    assert config.app.database == Path("/srv/r/data/receptionist.db")


def test_capacity_range_names_the_key():
    t = stay_tenant()
    t["room_types"][1]["capacity"] = 0
    assert error([t]) == "tenants[0].room_types[1].capacity must be 1..500 (got 0)"


@pytest.mark.parametrize("where, key", [
    ("root", "tenants_x"), ("tenant", "colour"), ("room", "size"), ("hours", "monday"), ("app", "db"),
])
def test_unknown_keys_are_rejected(where, key):
    t = stay_tenant()
    root = {}
    if where == "root":
        root[key] = {}
    elif where == "tenant":
        t[key] = "x"
    elif where == "room":
        t["room_types"][0][key] = 1
    elif where == "hours":
        t["hours"][key] = ["08:00-10:00"]
    else:
        root["app"] = {key: "x"}
    assert f"{key} is not a known setting" in error([t], **root)


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.update(timezone="Mars/Olympus"), "tenants[0].timezone is not a known time zone"),
    (lambda t: t.update(languages=["en", "fi"]), "tenants[0].languages may only contain en, et, ru"),
    (lambda t: t.update(languages=["en"], default_language="et"), "tenants[0].default_language must be one of"),
    (lambda t: t.update(profile="hotel"), "tenants[0].profile must be one of stay, appointment"),
    (lambda t: t.update(id="Pets Hotel"), "tenants[0].id must be a lowercase id"),
    (lambda t: t.update(currency="euro"), "tenants[0].currency must be a 3-letter ISO code"),
    (lambda t: t.update(phone_region="XX"), "tenants[0].phone_region must be a 2-letter region"),
    (lambda t: t.pop("address"), "tenants[0].address is required"),
    (lambda t: t["hours"].update(mon=["19:00-08:00"]), "tenants[0].hours.mon[0] must end after it starts"),
    (lambda t: t["hours"].update(mon=["8-19"]), "tenants[0].hours.mon[0] must look like"),
    (lambda t: t["hours"].update(mon=["08:00-12:00", "11:00-13:00"]), "tenants[0].hours.mon has overlapping"),
    (lambda t: t.update(hours={}), "tenants[0].hours must list at least one open day"),
    (lambda t: t.update(closures=["2026-13-01"]), "tenants[0].closures[0] must be a date"),
    (lambda t: t.update(closures=["2026-12-26..2026-12-24"]), "tenants[0].closures[0] range must not end"),
    (lambda t: t["room_types"][0].update(price_per_night="abc"), "tenants[0].room_types[0].price_per_night must"),
    (lambda t: t["room_types"][0].update(price_per_night="-1"), "tenants[0].room_types[0].price_per_night must"),
    (lambda t: t["room_types"][0].update(price_per_night="1.005"), "at most 2 decimals"),
    (lambda t: t["room_types"][0]["names"].pop("ru"), "tenants[0].room_types[0].names.ru is required"),
    (lambda t: t["room_types"][0].update(aliases={"fi": ["koira"]}), "room_types[0].aliases.fi is not a known"),
    (lambda t: t["room_types"][1].update(id="dog"), "tenants[0].room_types[1].id 'dog' is used twice"),
    (lambda t: t.update(room_types=[]), "tenants[0].room_types needs at least one"),
    (lambda t: t.update(services=[]), "tenants[0].services is only for profile = \"appointment\""),
    (lambda t: t.update(stay={"check_in": "25:00"}), "tenants[0].stay.check_in must be a time"),
    (lambda t: t.update(stay={"max_nights": 0}), "tenants[0].stay.max_nights must be 1..365"),
    (lambda t: t.update(booking_horizon_days=0), "tenants[0].booking_horizon_days must be"),
])
def test_stay_tenant_errors(mutate, message):
    t = stay_tenant()
    mutate(t)
    assert message in error([t])


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t["practitioners"][0].update(services=["xray"]),
     "tenants[0].practitioners[0].services[0] names an unknown service 'xray'"),
    (lambda t: t["practitioners"][0].update(hours={}), "tenants[0].practitioners[0].hours must list"),
    (lambda t: t.update(practitioners=[]), "tenants[0].practitioners needs at least one"),
    (lambda t: t.update(room_types=[]), "tenants[0].room_types is only for profile = \"stay\""),
    (lambda t: t["services"].append({"id": "xray", "duration_min": 20, "price": 1, "names": {"en": "x", "et": "x"}}),
     "tenants[0].services[1] ('xray') is offered by no practitioner"),
    (lambda t: t["services"][0].update(duration_min=0), "tenants[0].services[0].duration_min must be 5..480"),
    (lambda t: t.update(slot_step_min=1), "tenants[0].slot_step_min must be 5..240"),
])
def test_clinic_tenant_errors(mutate, message):
    t = clinic_tenant()
    mutate(t)
    assert message in error([t])


def test_tenants_required_and_unique():
    assert "at least one [[tenants]]" in error([])
    assert "tenants[1].id 'pets' is used by another tenant" in error([stay_tenant(), copy.deepcopy(stay_tenant())])


def test_closure_ranges_and_toml_dates():
    from datetime import date

    t = stay_tenant()
    t["closures"] = ["2026-12-24..2026-12-26", date(2027, 1, 1), "2026-12-25"]
    assert parse(t).tenants[0].closures == (date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
                                            date(2027, 1, 1))


def test_agent_and_llm_sections_are_parsed():
    config = parse_config({"tenants": [stay_tenant()],
                           "agent": {"booking_backend": "http", "backend_url": "http://x", "backend_token": "t"},
                           "llm": {"threads": 4}}, base_dir=Path("/srv/r"))
    assert config.agent.backend_token == "t" and config.llm.threads == 4
    with pytest.raises(ConfigError, match="llm.colour is not a known setting"):
        parse_config({"tenants": [stay_tenant()], "llm": {"colour": 1}}, base_dir=Path("/srv/r"))


def test_agent_secret_from_file(tmp_path):
    (tmp_path / "token").write_text("s3cret\n", encoding="utf-8")
    config = parse_config({"tenants": [stay_tenant()], "agent": {"backend_token_file": "token"}}, base_dir=tmp_path)
    assert config.agent.backend_token == "s3cret"


def test_app_section():
    config = parse(stay_tenant(), app={"database": "/var/lib/r/cal.db", "log_level": "DEBUG"})
    assert config.app.database == Path("/var/lib/r/cal.db") and config.app.log_level == "DEBUG"
    assert "app.log_level must be one of" in error([stay_tenant()], app={"log_level": "LOUD"})
