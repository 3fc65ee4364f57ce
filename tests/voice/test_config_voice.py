from pathlib import Path

import pytest

from receptionist.config.fields import Section
from receptionist.config.voice import VoiceConfig, parse_voice
from receptionist.errors import ConfigError
from receptionist.pipeline.engines import barge_in_policy, turn_policy


def parse(data, base=Path("/etc/rcp")):
    return parse_voice(Section(data, "", base))


def test_defaults_resolve_model_paths_from_the_config_folder():
    cfg = parse({})
    assert cfg.vad.model_path == Path("/etc/rcp/models/silero/silero_vad.onnx")
    assert cfg.tts.voices["en"].model == Path("/etc/rcp/models/piper/en_US-joe-medium.onnx")
    assert cfg.tts.voices["et"].engine == "festival" and cfg.tts.voices["ru"].engine == "festival"
    assert cfg.tts.voices["ru"].fallback.voice == "ru"  # espeak-ng when festival is missing
    assert turn_policy(cfg.vad).end_silence_s == 0.6


@pytest.mark.parametrize("data,message", [
    ({"vad": {"min_silence_ms": 50}}, "vad.min_silence_ms must be 100..3000 (got 50)"),
    ({"vad": {"speculative_pause_ms": 700}}, "vad.speculative_pause_ms must be shorter than vad.min_silence_ms"),
    ({"vad": {"treshold": 0.5}}, "vad.treshold is not a known setting"),
    ({"stt": {"max_tokens": 1000}}, "stt.max_tokens must be 8..220"),
    ({"tts": {"ru": {"engine": "piper"}}}, "tts.ru.model is required"),
    ({"tts": {"ru": {"engine": "piper", "model": "x.wav"}}}, "tts.ru.model must name a Piper .onnx voice file"),
    ({"tts": {"fr": {"engine": "espeak"}}}, "tts.fr is not a known setting"),
    ({"barge_in": {"backchannels": {"de": ["ja"]}}}, "barge_in.backchannels.de is not a known language"),
    ({"barge_in": {"min_speech_ms": "400"}}, "barge_in.min_speech_ms must be an integer"),
])
def test_errors_name_the_key(data, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)")):
        parse(data)


def test_operator_piper_voice_per_language_and_backchannels():
    cfg = parse({"tts": {"ru": {"engine": "piper", "model": "models/piper/ru_RU-irina-medium.onnx", "speed": 1.1}},
                 "barge_in": {"backchannels": {"et": ["Jah", "mhm"]}, "min_speech_ms": 500}})
    assert cfg.tts.voices["ru"].engine == "piper"
    assert cfg.tts.voices["ru"].model == Path("/etc/rcp/models/piper/ru_RU-irina-medium.onnx")
    policy = barge_in_policy(cfg.barge_in)
    assert policy.backchannels["et"] == frozenset({"jah", "mhm"}) and policy.min_speech_s == 0.5
    assert "ага" in policy.backchannels["ru"]


def test_bundled_config_parses():
    from receptionist.config import load_config

    root = Path(__file__).resolve().parents[2]
    assert isinstance(load_config(root / "config.toml").voice, VoiceConfig)
