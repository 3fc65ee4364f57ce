"""[http] and [sms] sections: defaults, validation with errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from receptionist.config import parse_config
from receptionist.config.channels import HttpConfig, SmsConfig
from receptionist.errors import ConfigError
from tests.conftest import PET_CONFIG

import tomllib


def parse(**root):
    data = tomllib.loads(PET_CONFIG.read_text(encoding="utf-8"))
    data.update(root)
    return parse_config(data, base_dir=Path("/srv/r"))


def test_defaults():
    channels = parse().channels
    assert channels.http == HttpConfig() and channels.http.host == "127.0.0.1" and channels.http.port == 8080
    assert channels.sms == SmsConfig() and channels.sms.enabled is False and channels.sms.confirmations is True


def test_values_and_pin_file(tmp_path):
    pin = tmp_path / "pin"
    pin.write_text("1234\n")
    c = parse(http={"port": 9000, "allowed_origins": ["https://shop.example/"], "rate_limit": 0},
              sms={"enabled": True, "port": "/dev/ttyACM0", "pin_file": str(pin), "max_parts": 2}).channels
    assert c.http.port == 9000 and c.http.allowed_origins == ("https://shop.example",) and c.http.rate_limit == 0
    assert c.sms.pin == "1234" and c.sms.port == "/dev/ttyACM0" and c.sms.max_parts == 2


def test_security_keys():
    http = parse(http={"trusted_proxies": ["127.0.0.1", "10.1.2.3/8", "::1"], "staff_listen": "[::1]:8081",
                       "metrics_token_required": True, "max_auth_failures": 5, "auth_failure_window_s": 60}).channels.http
    assert http.trusted_proxies == ("127.0.0.1/32", "10.0.0.0/8", "::1/128")
    assert http.staff_listen == ("::1", 8081) and http.metrics_token_required is True
    assert (http.max_auth_failures, http.auth_failure_window_s) == (5, 60)
    assert parse(http={"staff_listen": "127.0.0.1:8081"}).channels.http.staff_listen == ("127.0.0.1", 8081)
    defaults = HttpConfig()
    assert defaults.trusted_proxies == () and defaults.staff_listen is None and not defaults.metrics_token_required


def test_the_old_trust_forwarded_switch_points_to_trusted_proxies():
    with pytest.raises(ConfigError, match="http.trusted_proxies"):
        parse(http={"trust_forwarded": True})


@pytest.mark.parametrize("root, key", [
    ({"http": {"trusted_proxies": ["proxy.lan"]}}, "http.trusted_proxies[0]"),
    ({"http": {"staff_listen": "8081"}}, "http.staff_listen"),
    ({"http": {"staff_listen": "127.0.0.1:99999"}}, "http.staff_listen"),
    ({"http": {"staff_listen": "127.0.0.1:8080"}}, "http.staff_listen"),
    ({"http": {"max_auth_failures": 0}}, "http.max_auth_failures"),
    ({"http": {"port": 70000}}, "http.port"),
    ({"http": {"max_body_bytes": 10}}, "http.max_body_bytes"),
    ({"http": {"allowed_origins": ["shop.example"]}}, "http.allowed_origins[0]"),
    ({"http": {"prot": 1}}, "http.prot"),
    ({"sms": {"max_parts": 0}}, "sms.max_parts"),
    ({"sms": {"pin": "12a4"}}, "sms.pin"),
    ({"sms": {"retry_interval_s": 60, "max_retry_interval_s": 10}}, "sms.max_retry_interval_s"),
    ({"sms": {"baudrate": "fast"}}, "sms.baudrate"),
])
def test_errors_name_the_key(root, key):
    with pytest.raises(ConfigError) as err:
        parse(**root)
    assert key in str(err.value)
