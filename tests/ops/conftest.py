from __future__ import annotations

from pathlib import Path

import pytest

from receptionist.config.app import AppConfig
from tests.cli.conftest import Cli
from tests.conftest import PET_CONFIG, TWO_TENANTS_CONFIG, copy_config
from tests.http.shim import shim_config


@pytest.fixture
def config(tmp_path: Path) -> AppConfig:
    """The pet-hotel config with its database in tmp_path (LLM path and knowledge from the repo)."""
    return shim_config(tmp_path)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(copy_config(PET_CONFIG, tmp_path))


@pytest.fixture
def two_cli(tmp_path: Path) -> Cli:
    return Cli(copy_config(TWO_TENANTS_CONFIG, tmp_path))
