"""Real headless Debian Chromium driven by playwright (python); never a downloaded browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.http.shim import Shim, shim_config

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture
async def browser_context(tmp_path: Path):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 375, "height": 740}, locale="en-US", service_workers="block")
        try:
            yield context
        finally:
            await context.close()


@pytest.fixture
async def served(tmp_path, clock):
    shim = Shim(shim_config(tmp_path), clock)
    url = await shim.serve()
    yield shim, url
    await shim.close()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
