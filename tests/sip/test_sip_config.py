"""[sip] parsing: defaults, validation errors that name the key, the password from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from receptionist.config.fields import Section
from receptionist.config.sip import SipConfig, parse_sip
from receptionist.errors import ConfigError


def parse(data: dict, base: Path = Path(".")) -> SipConfig:
    return parse_sip(Section(data, "sip", base))


def test_defaults() -> None:
    cfg = parse({})
    assert (cfg.enabled, cfg.bind, cfg.port, cfg.transport, cfg.max_calls, cfg.handoff_key) == \
        (False, "127.0.0.1", 5060, "udp", 4, "0")
    assert cfg.allowed_sources == ("127.0.0.1",) and cfg.codecs == ("G722", "PCMU", "PCMA")
    assert cfg.media_timeout_s == 30


@pytest.mark.parametrize("data, key", [
    ({"bind": "localhost"}, "sip.bind"),
    ({"port": 70000}, "sip.port"),
    ({"transport": "tls"}, "sip.transport"),
    ({"handoff_key": "00"}, "sip.handoff_key"),
    ({"transfer_target": "desk@pbx"}, "sip.transfer_target"),
    ({"allowed_sources": ["127.0.0.1", "pbx"]}, "sip.allowed_sources[1]"),
    ({"registrar": "sip:pbx.example.com"}, "sip.user"),
    ({"codecs": ["opus"]}, "sip.codecs"),
    ({"max_calls": 0}, "sip.max_calls"),
    ({"max_calls": 5}, "sip.max_calls must be at most 4: the SIP library"),
    ({"media_timeout_s": 1}, "sip.media_timeout_s"),
    ({"media_timeout_s": -1}, "sip.media_timeout_s"),
    ({"prot": 5060}, "sip.prot"),
])
def test_errors_name_the_key(data: dict, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        parse(data)


def test_registrar_with_password_file(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cret\n")
    cfg = parse({"registrar": "sip:pbx.example.com", "user": "reception", "password_file": "pw",
                 "register_interval_s": 120}, tmp_path)
    assert cfg.password == "s3cret" and cfg.register_interval_s == 120
    assert "s3cret" not in repr(cfg)
