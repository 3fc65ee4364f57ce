"""Softphone tests: baresip (Debian baresip-core) is the caller."""

import pytest

from siphelpers import need_sip_tools, sip_engines, tenant  # noqa: F401  (fixtures)


@pytest.fixture
def need_baresip(need_sip_tools) -> None:  # noqa: F811
    from softphone.baresip import baresip_available

    if not baresip_available():
        pytest.skip("baresip is not installed (Debian package baresip-core)")
