"""Fixtures of the PBX tests: Kamailio (a real registrar/proxy) on loopback. The helpers live in
kamkit.py (the Kamailio process) and pbxkit.py (a line wired like the service)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from kamkit import REGISTRAR_CFG, Kamailio, require_pbx_tools


@pytest.fixture
def need_kamailio() -> None:
    require_pbx_tools()


@pytest.fixture
def registrar(tmp_path: Path, need_kamailio: None) -> Iterator[Kamailio]:
    """examples/kamailio/registrar.cfg with one account, reception / s3cret; registrations may be as short
    as 5 s here (MIN_EXPIRES) so refreshes happen within a test."""
    pbx = Kamailio(tmp_path, REGISTRAR_CFG, accounts={"reception": "s3cret"}, MIN_EXPIRES=5)
    pbx.start()
    try:
        yield pbx
    finally:
        pbx.stop()
