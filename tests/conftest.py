"""Shared fixtures: a FakeClock at 2026-11-24 09:00 UTC (11:00 in Tallinn, a Tuesday), the bundled
configs, and calendars on a real SQLite file in tmp_path."""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.config import AppConfig, load_config

REPO = Path(__file__).resolve().parents[1]
PET_CONFIG = REPO / "config.toml"
CLINIC_CONFIG = REPO / "examples" / "clinic.toml"
TWO_TENANTS_CONFIG = REPO / "examples" / "two-tenants.toml"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture(scope="session")
def pet_config() -> AppConfig:
    return load_config(PET_CONFIG)


@pytest.fixture(scope="session")
def clinic_config() -> AppConfig:
    return load_config(CLINIC_CONFIG)


@pytest.fixture(scope="session")
def two_config() -> AppConfig:
    return load_config(TWO_TENANTS_CONFIG)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "calendar.db"


def _calendar(db_path: Path, config: AppConfig, clock: FakeClock):
    calendar = CalendarService(db_path, config, clock, rng=random.Random(7))
    yield calendar
    calendar.close()


@pytest.fixture
def pet_calendar(db_path: Path, pet_config: AppConfig, clock: FakeClock):
    yield from _calendar(db_path, pet_config, clock)


@pytest.fixture
def clinic_calendar(db_path: Path, clinic_config: AppConfig, clock: FakeClock):
    yield from _calendar(db_path, clinic_config, clock)


@pytest.fixture
def two_calendar(db_path: Path, two_config: AppConfig, clock: FakeClock):
    yield from _calendar(db_path, two_config, clock)


def copy_config(source: Path, tmp_path: Path) -> Path:
    """A copy of a bundled config whose database lives in tmp_path."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^data_dir = .*$', 'data_dir = "data"', text)
    text = re.sub(r'(?m)^database = .*$', 'database = "data/receptionist.db"', text)
    target = tmp_path / source.name
    target.write_text(text, encoding="utf-8")
    return target
