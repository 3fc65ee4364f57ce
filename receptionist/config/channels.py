"""[http], [sip], [sms] sections (being written by the channel work)."""

from __future__ import annotations

from dataclasses import dataclass

from receptionist.config.fields import Section


@dataclass(frozen=True, slots=True)
class ChannelsConfig:
    pass


def parse_channels(root: Section) -> ChannelsConfig:
    return ChannelsConfig()
