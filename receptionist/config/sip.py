"""[sip] section: the phone line.

    [sip]
    enabled = true
    bind = "127.0.0.1"            # address the SIP and RTP sockets bind to
    port = 5060                   # 0 = any free port (tests)
    transport = "udp"             # "udp" | "tcp"
    public_address = ""           # address put in Contact/SDP when it differs from `bind` (NAT)
    rtp_port = 4000               # first RTP port (0 = any free port)
    rtp_port_range = 100          # how many RTP ports may be used from rtp_port
    # registrar = "sip:pbx.example.com"     # register there (and accept calls it sends us)
    # user = "reception"
    # password_file = "/etc/receptionist/sip-password"
    # register_interval_s = 300             # re-registration interval
    allowed_sources = ["127.0.0.1"]         # without a registrar, calls only from these IPs
    max_calls = 4                 # more simultaneous calls get 486 Busy Here (at most 4: see SIP_LIBRARY_MAX_CALLS)
    handoff_key = "0"             # DTMF key that asks for a person
    # transfer_target = "sip:reception@10.0.0.20"  # REFER here on hand-off; without it: callback request
    # tenant = "pawsome"          # the business this line belongs to (default: the first tenant)
    # greeting_language = "et"    # language of the fallback prompts (default: the tenant's default)
    codecs = ["G722", "PCMU", "PCMA"]  # in order of preference: G.722 wideband (16 kHz), then G.711 µ-law / A-law
    max_call_s = 900              # a call is hung up after this long
    media_timeout_s = 30          # hang up when the caller sends no RTP this long (0 = never)
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from receptionist.config.fields import Section
from receptionist.config.resources import installed_languages
from receptionist.errors import ConfigError

CODECS = ("PCMU", "PCMA", "G722", "GSM", "speex", "iLBC")
# PJSUA_MAX_CALLS of the pjsua2-python wheel: pjsua silently clamps its call slots to this, so a 5th
# simultaneous call is refused (486) whatever max_calls says. 4 calls were measured within the latency
# budget on a 2-core box (scripts/bench-sip --calls 4, see README).
SIP_LIBRARY_MAX_CALLS = 4
DTMF_KEYS = "0123456789*#"
_KNOWN = ("enabled", "bind", "port", "transport", "public_address", "rtp_port", "rtp_port_range", "registrar",
          "user", "password", "password_file", "register_interval_s", "allowed_sources", "max_calls",
          "handoff_key", "transfer_target", "tenant", "greeting_language", "codecs", "max_call_s",
          "media_timeout_s")


@dataclass(frozen=True, slots=True)
class SipConfig:
    enabled: bool = False
    bind: str = "127.0.0.1"
    port: int = 5060
    transport: str = "udp"
    public_address: str | None = None
    rtp_port: int = 4000
    rtp_port_range: int = 100
    registrar: str | None = None
    user: str | None = None
    password: str | None = None
    register_interval_s: int = 300
    allowed_sources: tuple[str, ...] = ("127.0.0.1",)
    max_calls: int = SIP_LIBRARY_MAX_CALLS
    handoff_key: str = "0"
    transfer_target: str | None = None
    tenant: str | None = None
    greeting_language: str | None = None
    codecs: tuple[str, ...] = ("G722", "PCMU", "PCMA")
    max_call_s: int = 900
    media_timeout_s: float = 30.0

    def __repr__(self) -> str:  # never print the password
        return f"SipConfig(enabled={self.enabled}, bind={self.bind!r}, port={self.port}, registrar={self.registrar!r})"


def parse_sip(s: Section) -> SipConfig:
    s.reject_unknown(_KNOWN)
    d = SipConfig()
    bind = s.str("bind", d.bind)
    _check_ip(s.key("bind"), bind)
    registrar = s.opt_str("registrar")
    if registrar is not None and not registrar.startswith(("sip:", "sips:")):
        raise ConfigError(f"{s.key('registrar')} must be a SIP URI like sip:pbx.example.com (got {registrar!r})")
    user = s.opt_str("user")
    if registrar is not None and user is None:
        raise ConfigError(f"{s.key('user')} is required when {s.key('registrar')} is set")
    sources = s.str_list("allowed_sources", list(d.allowed_sources))
    for i, ip in enumerate(sources):
        _check_ip(f"{s.key('allowed_sources')}[{i}]", ip)
    key = s.str("handoff_key", d.handoff_key)
    if len(key) != 1 or key not in DTMF_KEYS:
        raise ConfigError(f"{s.key('handoff_key')} must be one DTMF key of {DTMF_KEYS} (got {key!r})")
    target = s.opt_str("transfer_target")
    if target is not None and not target.startswith(("sip:", "sips:", "tel:")):
        raise ConfigError(f"{s.key('transfer_target')} must be a SIP URI like sip:desk@10.0.0.20 (got {target!r})")
    lang = s.opt_str("greeting_language")
    if lang is not None and lang not in installed_languages():
        raise ConfigError(f"{s.key('greeting_language')} must be one of {', '.join(installed_languages())} (got {lang!r})")
    codecs = s.str_list("codecs", list(d.codecs), choices=CODECS, nonempty=True)
    public = s.opt_str("public_address")
    if public is not None:
        _check_ip(s.key("public_address"), public)
    return SipConfig(
        enabled=s.bool("enabled", d.enabled), bind=bind, port=s.int("port", d.port, lo=0, hi=65535),
        transport=s.str("transport", d.transport, choices=("udp", "tcp")), public_address=public,
        rtp_port=s.int("rtp_port", d.rtp_port, lo=0, hi=65534),
        rtp_port_range=s.int("rtp_port_range", d.rtp_port_range, lo=2, hi=30000),
        registrar=registrar, user=user, password=s.secret("password"),
        register_interval_s=s.int("register_interval_s", d.register_interval_s, lo=60, hi=86400),
        allowed_sources=sources, max_calls=_max_calls(s, d.max_calls), handoff_key=key,
        transfer_target=target, tenant=s.opt_str("tenant"), greeting_language=lang, codecs=codecs,
        max_call_s=s.int("max_call_s", d.max_call_s, lo=10, hi=86400),
        media_timeout_s=_media_timeout(s, d.media_timeout_s),
    )


def _max_calls(s: Section, default: int) -> int:
    value = s.int("max_calls", default, lo=1, hi=32)
    if value > SIP_LIBRARY_MAX_CALLS:
        raise ConfigError(f"{s.key('max_calls')} must be at most {SIP_LIBRARY_MAX_CALLS}: the SIP library (pjsua2) "
                          f"holds no more simultaneous calls (got {value})")
    return value


def _media_timeout(s: Section, default: float) -> float:
    value = s.float("media_timeout_s", default, lo=0, hi=3600)
    if 0 < value < 2:
        raise ConfigError(f"{s.key('media_timeout_s')} must be 0 (never) or at least 2 seconds (got {value:g})")
    return value


def _check_ip(key: str, value: str) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ConfigError(f"{key} must be an IP address (got {value!r})") from None
