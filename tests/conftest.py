"""Shared fixtures: a FakeClock at 2026-11-24 09:00 UTC (11:00 in Tallinn, a Tuesday), the bundled
configs, and calendars on a real SQLite file in tmp_path.

Test tiers: the real-model, SIP, browser, modem and no-egress tests skip, with a reason, when a model,
tool or privilege is missing. With REQUIRE_TIERS=1 (set by .ci/run; also on when CI=true and
REQUIRE_TIERS is unset) every skip is a failure that carries the skip reason, so a green CI run means
every tier ran. The only skips still allowed then are listed in ALLOWED_SKIPS, each with its reason.
"""

from __future__ import annotations

import os
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

# Skips that stay skips under REQUIRE_TIERS: test node id (as pytest prints it) -> why that is right.
ALLOWED_SKIPS: dict[str, str] = {}


def tiers_required(environ: "os._Environ[str] | dict[str, str]" = os.environ) -> bool:
    """REQUIRE_TIERS=1/0 decides; unset, CI=true turns it on."""
    flag = environ.get("REQUIRE_TIERS")
    if flag is not None and flag.strip() != "":
        return flag.strip().lower() not in ("0", "false", "no")
    return environ.get("CI", "").strip().lower() == "true"


def _skip_reason(report: pytest.BaseReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _fail_skip(report: pytest.BaseReport) -> None:
    """Turn a skip into a failure that says what was skipped and why."""
    if not report.skipped or hasattr(report, "wasxfail") or report.nodeid in ALLOWED_SKIPS:
        return
    report.outcome = "failed"
    report.longrepr = (f"skipped while REQUIRE_TIERS=1 (CI needs every tier to run): {_skip_reason(report)}\n"
                       "Install what is missing, or allow the skip in tests/conftest.py ALLOWED_SKIPS with a reason.")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if tiers_required():
        _fail_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    report = yield  # a whole module skipped at import (pytest.importorskip / skip(allow_module_level=True))
    if tiers_required():
        _fail_skip(report)
    return report


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
