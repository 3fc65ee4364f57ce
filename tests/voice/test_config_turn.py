"""The [turn] section: defaults, the model path from the config folder, errors that name the key, and
the policies the session is built from."""

from pathlib import Path

import pytest

from receptionist.config.fields import Section
from receptionist.config.voice import parse_voice
from receptionist.errors import ConfigError
from receptionist.pipeline.engines import barge_in_policy, end_of_turn_policy, turn_policy


def parse(data, base=Path("/etc/rcp")):
    return parse_voice(Section(data, "", base))


def test_defaults():
    cfg = parse({})
    t = cfg.turn
    assert t.model == "smart-turn" and t.model_path == Path("/etc/rcp/models/smart-turn/smart-turn-v3.2-cpu.onnx")
    assert t.model_languages == ("en",) and t.text_cues and t.keypad_help
    assert turn_policy(cfg.vad, t).max_silence_s == 1.6
    assert end_of_turn_policy(t).trusts("en") and not end_of_turn_policy(t).trusts("et")
    assert barge_in_policy(cfg.barge_in).pause_after_s == 0.064


def test_settings_are_read():
    cfg = parse({"turn": {"model": "off", "model_languages": ["en", "ru"], "max_silence_ms": 2500,
                          "silence_prompt_s": 0, "keypad_help": False},
                 "barge_in": {"pause_after_ms": 96}})
    assert cfg.turn.model == "off" and cfg.turn.model_languages == ("en", "ru")
    assert turn_policy(cfg.vad, cfg.turn).max_silence_s == 2.5
    assert cfg.turn.silence_prompt_s == 0 and not cfg.turn.keypad_help
    assert barge_in_policy(cfg.barge_in).pause_after_s == pytest.approx(0.096)


@pytest.mark.parametrize("data,message", [
    ({"turn": {"model": "magic"}}, "turn.model"),
    ({"turn": {"max_silence_ms": 50}}, "turn.max_silence_ms must be 200..5000"),
    ({"turn": {"complete_threshold": 0.3, "incomplete_threshold": 0.4}}, "turn.incomplete_threshold must be below"),
    ({"turn": {"silense_prompt_s": 5}}, "turn.silense_prompt_s is not a known setting"),
    ({"barge_in": {"pause_after_ms": 5}}, "barge_in.pause_after_ms must be 32..3000"),
])
def test_errors_name_the_key(data, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        parse(data)
