from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from receptionist.cli.main import main
from receptionist.clock import FakeClock
from tests.conftest import CLINIC_CONFIG, NOW, PET_CONFIG, TWO_TENANTS_CONFIG, copy_config


class Cli:
    """Runs `receptionist --config <copy in tmp_path> …` with a FakeClock at 2026-11-24 09:00 UTC."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(main, ["--config", str(self.config), *args], obj={"clock": FakeClock(NOW)})

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--json").stdout)

    def fails(self, *args: str, code: int = 2) -> Result:
        result = self(*args)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result


@pytest.fixture
def pet_cli(tmp_path) -> Cli:
    return Cli(copy_config(PET_CONFIG, tmp_path))


@pytest.fixture
def clinic_cli(tmp_path) -> Cli:
    return Cli(copy_config(CLINIC_CONFIG, tmp_path))


@pytest.fixture
def two_cli(tmp_path) -> Cli:
    return Cli(copy_config(TWO_TENANTS_CONFIG, tmp_path))
