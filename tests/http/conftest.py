from __future__ import annotations

import pytest

from tests.http.shim import Shim, shim_config


@pytest.fixture
async def shim(tmp_path, clock):
    s = Shim(shim_config(tmp_path), clock)
    await s.start_client()
    yield s
    await s.close()
