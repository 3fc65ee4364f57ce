"""load_config on the bundled files: values, defaults, relative paths."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from receptionist.config import load_config
from receptionist.errors import ConfigError
from tests.conftest import CLINIC_CONFIG, PET_CONFIG, REPO


def test_bundled_pet_hotel(pet_config):
    t = pet_config.default_tenant
    assert (t.id, t.name, t.assistant_name, t.profile) == ("pawsome", "Pawsome Pet Hotel", "Mia", "stay")
    assert t.timezone == "Europe/Tallinn" and t.tz.key == "Europe/Tallinn"
    assert t.languages == ("en", "et", "ru") and t.currency == "EUR" and t.phone_region == "EE"
    dog, cat = t.room_types
    assert (dog.id, dog.capacity, dog.price_per_night) == ("dog", 6, Decimal("35.00"))
    assert (cat.id, cat.capacity, cat.price_per_night) == ("cat", 4, Decimal("25.00"))
    assert dog.name("ru") == "комната для собак" and "koer" in dog.aliases["et"]
    assert t.stay is not None and t.stay.check_in == time(14) and t.stay.check_out == time(11)
    assert t.stay.max_nights == 60
    assert [str(i) for i in t.hours.on(0)] == ["08:00-19:00"]
    assert [str(i) for i in t.hours.on(6)] == ["10:00-16:00"]
    assert t.closures == (date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1))
    assert t.required_slots == ("pet_name", "pet_type", "start_date", "end_date", "phone")
    assert t.knowledge_dir == REPO / "knowledge" / "pawsome"
    assert pet_config.llm.model_path == REPO / "models/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    assert pet_config.app.database == REPO / "data" / "receptionist.db"
    assert pet_config.app.log_level == "INFO"


def test_bundled_clinic(clinic_config):
    t = clinic_config.tenant("kesklinna")
    assert (t.name, t.assistant_name, t.profile) == ("Kesklinna Family Clinic", "Anna", "appointment")
    assert {s.id: (s.duration_min, s.price) for s in t.services} == {
        "checkup": (20, Decimal("45.00")), "vaccination": (15, Decimal("30.00")),
        "blood-test": (10, Decimal("20.00")), "physio": (45, Decimal("60.00"))}
    tamm = t.practitioner("dr-tamm")
    assert [str(i) for i in tamm.hours.on(0)] == ["09:00-12:00", "13:00-17:00"]  # lunch break is a gap
    assert [p.id for p in t.practitioners_for("vaccination")] == ["dr-tamm", "nurse-kask"]
    assert t.required_slots == ("patient_name", "service", "start", "phone")
    assert t.slot_step_min == 15
    assert t.knowledge_dir.resolve() == REPO / "knowledge" / "clinic"


def test_two_tenants(two_config):
    assert [t.id for t in two_config.tenants] == ["pawsome", "kesklinna"]
    assert two_config.default_tenant.id == "pawsome"
    assert two_config.tenant(None).id == "pawsome"
    assert two_config.tenant("kesklinna").profile == "appointment"
    with pytest.raises(ConfigError, match="unknown tenant 'nope'"):
        two_config.tenant("nope")


def test_relative_paths_follow_the_config_file(tmp_path):
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / "c.toml"
    target.write_text(PET_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    config = load_config(target)
    assert config.app.database == tmp_path / "sub" / "data" / "receptionist.db"
    assert config.default_tenant.knowledge_dir == tmp_path / "sub" / "knowledge" / "pawsome"


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[tenants]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)


def test_examples_are_documented_with_both_profiles():
    text = CLINIC_CONFIG.read_text(encoding="utf-8")
    assert "profile = \"appointment\"" in text and "lunch" not in PET_CONFIG.read_text(encoding="utf-8")
