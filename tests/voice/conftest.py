"""Voice tests: fast tier (fakes, virtual time) and `@pytest.mark.models` tier (the packaged models)."""

from __future__ import annotations

import os

import pytest
from voicekit import PIPER_EN, SILERO, SMART_TURN, WHISPER, need, need_espeak

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def voice_engines():
    """(VoiceConfig, VoiceEngines) with the real models, loaded once for the whole test session."""
    need(SILERO, WHISPER / "model.bin", PIPER_EN)
    need_espeak()
    from receptionist.config.turn import TurnConfig
    from receptionist.config.voice import SttConfig, TtsConfig, VadConfig, VoiceChoice, VoiceConfig
    from receptionist.app import build_voice_engines

    turn = TurnConfig(model_path=SMART_TURN) if SMART_TURN.exists() else TurnConfig(model="off")
    cfg = VoiceConfig(vad=VadConfig(model_path=SILERO), stt=SttConfig(model_dir=WHISPER),
                      tts=TtsConfig(voices={"en": VoiceChoice("piper", model=PIPER_EN),
                                            "et": VoiceChoice("espeak", voice="et"),
                                            "ru": VoiceChoice("espeak", voice="ru")}), turn=turn)
    engines = build_voice_engines(cfg, ("en", "et", "ru"), warm=False)
    yield cfg, engines
    engines.close()
