"""[http], [sip], [sms] sections: the web chat / booking API shim and the GSM modem."""

from __future__ import annotations

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
    trust_forwarded: bool = False  # take the client address from X-Forwarded-For (behind a local proxy)
    tenant: str | None = None  # the tenant the public chat serves by default (None: the first tenant)


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
    s.reject_unknown(HttpConfig.__slots__)
    d = HttpConfig()
    origins = s.str_list("allowed_origins", list(d.allowed_origins))
    for i, origin in enumerate(origins):
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ConfigError(f"{s.key('allowed_origins')}[{i}] must be \"*\" or start with http:// or https:// "
                              f"(got {origin!r})")
    return HttpConfig(
        enabled=s.bool("enabled", d.enabled),
        host=s.str("host", d.host),
        port=s.int("port", d.port, lo=0, hi=65535),
        max_body_bytes=s.int("max_body_bytes", d.max_body_bytes, lo=1024, hi=16 * 1024 * 1024),
        max_message_chars=s.int("max_message_chars", d.max_message_chars, lo=10, hi=10000),
        rate_limit=s.int("rate_limit", d.rate_limit, lo=0, hi=100000),
        rate_burst=s.int("rate_burst", d.rate_burst, lo=1, hi=10000),
        allowed_origins=tuple(o.rstrip("/") for o in origins),
        trust_forwarded=s.bool("trust_forwarded", d.trust_forwarded),
        tenant=s.opt_str("tenant"),
    )


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
        tenant=s.opt_str("tenant"),
    )
