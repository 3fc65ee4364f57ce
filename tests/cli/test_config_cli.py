from __future__ import annotations

from tests.cli.conftest import Cli
from tests.conftest import PET_CONFIG


def test_config_check_summarises_tenants(two_cli):
    out = two_cli.ok("config", "check").stdout
    assert "OK — 2 tenant(s)" in out
    for word in ("Pawsome Pet Hotel", "Kesklinna Family Clinic", "dog", "35.00 EUR/night", "physio", "dr-tamm",
                 "2026-12-24"):
        assert word in out


def test_config_check_reports_the_bad_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(PET_CONFIG.read_text(encoding="utf-8").replace("capacity = 4", "capacity = 0"), encoding="utf-8")
    result = Cli(bad).fails("config", "check", code=1)
    assert "tenants[0].room_types[1].capacity must be 1..500 (got 0)" in result.stderr
    assert "No such" not in result.stderr


def test_missing_config_file(tmp_path):
    result = Cli(tmp_path / "missing.toml").fails("bookings", "list", code=1)
    assert result.stderr.startswith("config error: config file not found")
