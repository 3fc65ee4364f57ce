"""Softphone tests: baresip (Debian baresip-core) is the caller. The SIP fixtures come from tests/sip."""

import pytest


@pytest.fixture
def need_baresip(need_sip_tools) -> None:
    from softphone.baresip import baresip_available

    if not baresip_available():
        pytest.skip("baresip is not installed (Debian package baresip-core)")
