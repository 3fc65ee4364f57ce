"""[sip] section (being written by the SIP line work)."""

from __future__ import annotations

from dataclasses import dataclass

from receptionist.config.fields import Section


@dataclass(frozen=True, slots=True)
class SipConfig:
    enabled: bool = False


def parse_sip(s: Section) -> SipConfig:
    return SipConfig(enabled=s.bool("enabled", False))
