"""[vad], [stt], [tts], [barge_in] sections (being written by the voice pipeline work)."""

from __future__ import annotations

from dataclasses import dataclass

from receptionist.config.fields import Section


@dataclass(frozen=True, slots=True)
class VoiceConfig:
    pass


def parse_voice(root: Section) -> VoiceConfig:
    return VoiceConfig()
