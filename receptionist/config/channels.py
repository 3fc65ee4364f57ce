"""[http], [sip], [sms] sections (being written by the channel work)."""

from __future__ import annotations

from dataclasses import dataclass, field

from receptionist.config.fields import Section
from receptionist.config.sip import SipConfig, parse_sip


@dataclass(frozen=True, slots=True)
class ChannelsConfig:
    sip: SipConfig = field(default_factory=SipConfig)


def parse_channels(root: Section) -> ChannelsConfig:
    return ChannelsConfig(sip=parse_sip(root.section("sip")))
