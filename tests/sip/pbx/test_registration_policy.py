"""The registration's retry timing and failure words (receptionist/channels/sip/registration.py) and how
the account names its registrar (account.py), with plain values."""

from __future__ import annotations

import pytest

from receptionist.channels.sip.registration import RefusedBackoff, describe, pjsua_retries, retry_interval_s
from siphelpers import sip_config


def test_transient_failures_are_retried_by_pjsua_a_refusal_is_not():
    assert all(pjsua_retries(s) for s in (408, 500, 503, 504, 603))
    assert not any(pjsua_retries(s) for s in (401, 403, 404, 407, 488))


def test_retry_interval_follows_the_registration_interval_within_bounds():
    assert [retry_interval_s(s) for s in (6, 60, 300, 3600)] == [2, 15, 30, 30]


def test_a_refused_registration_backs_off_doubling_up_to_half_an_hour():
    backoff = RefusedBackoff(60.0)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5, 6, 100)] == [60, 120, 240, 480, 960, 1800, 1800]
    with pytest.raises(ValueError):
        backoff.delay(0)


def test_a_failure_is_described_with_a_likely_cause():
    assert describe(403, "Forbidden") == ("403 Forbidden (wrong sip.user or password, or this user may not register "
                                          "from here?)")
    assert describe(488, "Not Acceptable Here") == "488 Not Acceptable Here"
    assert describe(0, "") == "no answer"


def test_the_account_is_named_by_user_and_registrar_host_and_tcp_reaches_the_registrar_over_tcp():
    pytest.importorskip("pjsua2")
    from receptionist.channels.sip.account import account_name, registrar_uri

    cfg = sip_config(registrar="sip:pbx.clinic.lan:5070", user="reception", password="x")
    assert account_name(cfg) == "reception@pbx.clinic.lan:5070" and registrar_uri(cfg) == "sip:pbx.clinic.lan:5070"
    tcp = sip_config(registrar="sip:pbx.clinic.lan;lr", user="reception", password="x", transport="tcp")
    assert account_name(tcp) == "reception@pbx.clinic.lan" and registrar_uri(tcp) == "sip:pbx.clinic.lan;lr;transport=tcp"
    given = sip_config(registrar="sip:pbx.clinic.lan;transport=TCP", user="r", password="x", transport="tcp")
    assert registrar_uri(given) == "sip:pbx.clinic.lan;transport=TCP"
