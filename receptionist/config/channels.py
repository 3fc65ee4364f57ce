"""[http], [sip], [sms] sections: the web chat / booking API shim and the GSM modem."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from receptionist.config.fields import Section
from receptionist.config.sip import SipConfig, parse_sip
from receptionist.errors import ConfigError


@dataclass(frozen=True, slots=True)
class HttpConfig:
    enabled: bool = True
    host: str = "127.0.0.1"  # loopback by default: expose it deliberately
    port: int = 8080
    max_body_bytes: int = 64 * 1024
    max_message_chars: int = 1000  # longer chat messages are refused (422 message-too-long)
    rate_limit: int = 30  # requests per minute per client address (0 = off)
    rate_burst: int = 10  # requests a client may make at once before the per-minute rate applies
    allowed_origins: tuple[str, ...] = ()  # origins allowed to embed the widget (CORS); "*" = any
    # Proxies (CIDR networks) whose X-Forwarded-For is believed: the client is the right-most hop that is not
    # one of them. Empty: the client is always the TCP peer and X-Forwarded-For is ignored.
    trusted_proxies: tuple[str, ...] = ()
    tenant: str | None = None  # the tenant the public chat serves by default (None: the first tenant)
    # (host, port) of a second listener for the staff API and /metrics; None: everything on host:port.
    staff_listen: tuple[str, int] | None = None
    metrics_token_required: bool = False  # /metrics needs a Bearer token (read scope)
    max_auth_failures: int = 10  # wrong/expired/revoked tokens a client may present per window, then 429
    auth_failure_window_s: int = 600


@dataclass(frozen=True, slots=True)
class SmsConfig:
    enabled: bool = False
    port: str = "/dev/ttyUSB0"
    baudrate: int = 115200
    pin: str | None = None  # SIM PIN; prefer pin_file
    confirmations: bool = True  # text the customer after a booking is made, moved or cancelled (any channel)
    max_parts: int = 3  # longest reply, in SMS segments (a Unicode segment holds 67 characters)
    retry_interval_s: float = 30.0  # first retry of an unsent message; doubles up to max_retry_interval_s
    max_retry_interval_s: float = 900.0
    give_up_after_h: float = 24.0  # an unsent text is marked failed this long after it was queued
    rate_limit_texts: int = 10  # texts answered per sender within rate_limit_window_min; then silence (0 = off)
    rate_limit_window_min: int = 10
    tenant: str | None = None  # the tenant incoming texts are for (None: the first tenant)


@dataclass(frozen=True, slots=True)
class ChannelsConfig:
    sip: SipConfig = field(default_factory=SipConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    sms: SmsConfig = field(default_factory=SmsConfig)


def parse_channels(root: Section) -> ChannelsConfig:
    return ChannelsConfig(sip=parse_sip(root.section("sip")), http=parse_http(root.section("http")),
                          sms=parse_sms(root.section("sms")))


def parse_http(s: Section) -> HttpConfig:
    if s.has("trust_forwarded"):
        raise ConfigError(f"{s.key('trust_forwarded')} was replaced by {s.key('trusted_proxies')}: list the "
                          "proxies whose X-Forwarded-For to believe, e.g. [\"127.0.0.1/32\"]")
    s.reject_unknown(HttpConfig.__slots__)
    d = HttpConfig()
    origins = s.str_list("allowed_origins", list(d.allowed_origins))
    for i, origin in enumerate(origins):
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ConfigError(f"{s.key('allowed_origins')}[{i}] must be \"*\" or start with http:// or https:// "
                              f"(got {origin!r})")
    host, port, staff = s.str("host", d.host), s.int("port", d.port, lo=0, hi=65535), _listen(s, "staff_listen")
    if staff is not None and staff == (host, port) and port:
        raise ConfigError(f"{s.key('staff_listen')} must differ from {s.key('host')}:{s.key('port')}")
    return HttpConfig(
        enabled=s.bool("enabled", d.enabled),
        host=host,
        port=port,
        max_body_bytes=s.int("max_body_bytes", d.max_body_bytes, lo=1024, hi=16 * 1024 * 1024),
        max_message_chars=s.int("max_message_chars", d.max_message_chars, lo=10, hi=10000),
        rate_limit=s.int("rate_limit", d.rate_limit, lo=0, hi=100000),
        rate_burst=s.int("rate_burst", d.rate_burst, lo=1, hi=10000),
        allowed_origins=tuple(o.rstrip("/") for o in origins),
        trusted_proxies=_networks(s, "trusted_proxies"),
        tenant=s.opt_str("tenant"),
        staff_listen=staff,
        metrics_token_required=s.bool("metrics_token_required", d.metrics_token_required),
        max_auth_failures=s.int("max_auth_failures", d.max_auth_failures, lo=1, hi=100000),
        auth_failure_window_s=s.int("auth_failure_window_s", d.auth_failure_window_s, lo=1, hi=7 * 86400),
    )


def _networks(s: Section, name: str) -> tuple[str, ...]:
    """A list of IP networks ("10.0.0.0/8", "::1", "127.0.0.1") in canonical CIDR form."""
    networks = []
    for i, value in enumerate(s.str_list(name, [])):
        try:
            networks.append(str(ipaddress.ip_network(value.strip(), strict=False)))
        except ValueError:
            raise ConfigError(f"{s.key(name)}[{i}] must be an IP address or network such as \"127.0.0.1/32\" "
                              f"(got {value!r})") from None
    return tuple(networks)


def _listen(s: Section, name: str) -> tuple[str, int] | None:
    """Parse `host:port` or `[v6-host]:port` into (host, port); unset or empty gives None."""
    value = s.opt_str(name)
    if not value:
        return None
    host, sep, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise ConfigError(f"{s.key(name)} must be \"host:port\", e.g. \"127.0.0.1:8081\" (got {value!r})")
    return host, int(port)


def parse_sms(s: Section) -> SmsConfig:
    s.reject_unknown((*SmsConfig.__slots__, "pin_file"))
    d = SmsConfig()
    pin = s.secret("pin")
    if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ConfigError(f"{s.key('pin')} must be 4..8 digits")
    retry = s.float("retry_interval_s", d.retry_interval_s, lo=0.1, hi=3600)
    max_retry = s.float("max_retry_interval_s", d.max_retry_interval_s, lo=0.1, hi=86400)
    if max_retry < retry:
        raise ConfigError(f"{s.key('max_retry_interval_s')} must be at least {s.key('retry_interval_s')}")
    return SmsConfig(
        enabled=s.bool("enabled", d.enabled),
        port=s.str("port", d.port),
        baudrate=s.int("baudrate", d.baudrate, lo=1200, hi=4000000),
        pin=pin,
        confirmations=s.bool("confirmations", d.confirmations),
        max_parts=s.int("max_parts", d.max_parts, lo=1, hi=10),
        retry_interval_s=retry,
        max_retry_interval_s=max_retry,
        give_up_after_h=s.float("give_up_after_h", d.give_up_after_h, lo=0.01, hi=24 * 30),
        rate_limit_texts=s.int("rate_limit_texts", d.rate_limit_texts, lo=0, hi=1000),
        rate_limit_window_min=s.int("rate_limit_window_min", d.rate_limit_window_min, lo=1, hi=24 * 60),
        tenant=s.opt_str("tenant"),
    )
