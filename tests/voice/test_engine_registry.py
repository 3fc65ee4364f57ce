"""A new speech engine is one module with `create(settings)` plus one line in backends/registry.py.

Measured by doing it: a toy STT (with a toy VAD and a toy voice) is registered here, named in config,
built by the composition root (`receptionist.app`) and heard by the brain in a simulated call — no
other file of the package knows about it."""

from __future__ import annotations

import numpy as np
import pytest

from receptionist.app import build_voice_engines, build_voices
from receptionist.audio.pcm import AudioChunk
from receptionist.backends import registry
from receptionist.backends.base import SttResult
from receptionist.backends.fakes import EnergyVad, FakeTts, ScriptedBrain, tone
from receptionist.config.fields import Section
from receptionist.config.voice import SttConfig, TtsConfig, VadConfig, VoiceChoice, VoiceConfig, parse_voice
from receptionist.errors import ConfigError
from receptionist.pipeline.simulate import CallerLine, simulate_call


class ToyStt:
    """A speech recogniser that hears the same words in every utterance, and remembers its settings."""

    sample_rate = 16000
    made: list["ToyStt"] = []

    def __init__(self, settings: SttConfig) -> None:
        self.settings = settings
        self.utterances = 0
        ToyStt.made.append(self)

    def transcribe(self, samples: np.ndarray, *, language: str | None, languages: tuple[str, ...],
                   max_tokens: int, prompts: object = None) -> SttResult:
        self.utterances += 1
        return SttResult("toy words for the toy engine", language or languages[0], 0.99)


@pytest.fixture
def toy_engines(monkeypatch):
    """The toy STT, an energy VAD and a tone voice, registered the way a backend module's line would be."""
    ToyStt.made.clear()
    monkeypatch.setitem(registry.STT, "toy", ToyStt)
    monkeypatch.setitem(registry.VAD, "energy", lambda settings: EnergyVad())
    monkeypatch.setitem(registry.TTS, "tone", lambda choice: FakeTts(16000))


def toy_config() -> VoiceConfig:
    return parse_voice(Section({"vad": {"engine": "energy"}, "stt": {"engine": "toy", "threads": 1},
                                "tts": {"en": {"engine": "tone"}}}))


async def test_a_registered_stt_engine_is_named_in_config_built_by_app_and_heard_by_the_brain(toy_engines):
    cfg = toy_config()
    engines = build_voice_engines(cfg, ("en",), warm=True)
    brain = ScriptedBrain()
    try:
        await simulate_call(engines, cfg, [CallerLine(AudioChunk(tone(1.5), 16000))], brain=brain,
                            languages=("en",), sink_rate=16000)
    finally:
        engines.close()
    (toy,) = ToyStt.made
    assert toy.settings.engine == "toy" and toy.settings.threads == 1  # its own [stt] section
    assert toy.utterances >= 2  # the warm-up and the caller's line
    assert [m.text for m in brain.messages] == ["toy words for the toy engine"]


def test_config_accepts_only_registered_engine_kinds():
    with pytest.raises(ConfigError, match=r"stt\.engine must be one of whisper"):
        parse_voice(Section({"stt": {"engine": "toy"}}))
    with pytest.raises(ConfigError, match=r"tts\.en\.engine must be one of"):
        parse_voice(Section({"tts": {"en": {"engine": "tone"}}}))


def test_an_engine_kind_nobody_registered_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError, match=r"stt\.engine = 'nosuch' is not a known engine \(known: whisper\)"):
        registry.create(registry.STT, "nosuch", SttConfig(), key="stt.engine")


def test_languages_with_the_same_voice_share_one_engine(monkeypatch):
    made: list[VoiceChoice] = []

    def counting(choice: VoiceChoice) -> FakeTts:
        made.append(choice)
        return FakeTts(16000)

    monkeypatch.setitem(registry.TTS, "tone", counting)
    same, other = VoiceChoice("tone", voice="a"), VoiceChoice("tone", voice="b")
    cfg = VoiceConfig(vad=VadConfig(), stt=SttConfig(), tts=TtsConfig(voices={"en": same, "et": same, "ru": other}))
    voices = build_voices(cfg, ("en", "et", "ru"))
    assert voices["en"] is voices["et"] and voices["ru"] is not voices["en"]
    assert made == [same, other]


def test_a_voice_without_model_or_name_is_named_by_its_language(monkeypatch):
    made: list[VoiceChoice] = []
    monkeypatch.setitem(registry.TTS, "tone", lambda choice: made.append(choice) or FakeTts(16000))
    cfg = VoiceConfig(tts=TtsConfig(voices={"et": VoiceChoice("tone")}))
    build_voices(cfg, ("et", "en"))  # English has no voice configured here: it is left out
    assert made == [VoiceChoice("tone", voice="et")]
