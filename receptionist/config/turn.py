"""[turn] section: end of turn, silence on the line, keypad help.

    [turn]
    model = "smart-turn"        # or "off": silence and text cues only
    model_path = "models/smart-turn/smart-turn-v3.2-cpu.onnx"
    threads = 1
    complete_threshold = 0.9    # the model this sure the caller finished -> answer at the short pause
    incomplete_threshold = 0.2  # this sure they did not -> keep listening up to max_silence_ms
    model_languages = ["en"]    # where its verdict counts ("*" = all); others: silence + text cues
    max_silence_ms = 1600       # the longest pause inside an unfinished turn (phone number in groups)
    text_cues = true            # "... and", "... five five five" wait up to max_silence_ms too
    silence_prompt_s = 10       # caller silent this long -> "Are you still there?" (0 = never)
    silence_hangup_s = 8        # ... and silent this long after it -> goodbye, hang up
    keypad_help = true          # phone line: the number and date questions mention the keypad

The short pause that asks the model is `[vad] speculative_pause_ms` (the same pause starts the
speculative transcription). Smart Turn v3.2 covers English and Russian among its training languages,
not Estonian; on this project's synthetic voices it only discriminated for English (see README).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from receptionist.config.fields import Section
from receptionist.errors import ConfigError


@dataclass(frozen=True, slots=True)
class TurnConfig:
    model: str = "smart-turn"
    model_path: Path = Path("models/smart-turn/smart-turn-v3.2-cpu.onnx")
    threads: int = 1
    complete_threshold: float = 0.9
    incomplete_threshold: float = 0.2
    model_languages: tuple[str, ...] = ("en",)
    max_silence_ms: int = 1600
    text_cues: bool = True
    silence_prompt_s: float = 10.0
    silence_hangup_s: float = 8.0
    keypad_help: bool = True


def parse_turn(s: Section) -> TurnConfig:
    """The [turn] section; ConfigError naming the key on a bad value."""
    s.reject_unknown(TurnConfig.__slots__)
    d = TurnConfig()
    cfg = TurnConfig(
        model=s.str("model", d.model, choices=("smart-turn", "off")),
        model_path=s.path_value("model_path", str(d.model_path)) or d.model_path,
        threads=s.int("threads", d.threads, lo=1, hi=16),
        complete_threshold=s.float("complete_threshold", d.complete_threshold, lo=0.0, hi=1.0),
        incomplete_threshold=s.float("incomplete_threshold", d.incomplete_threshold, lo=0.0, hi=1.0),
        model_languages=tuple(s.str_list("model_languages", list(d.model_languages))),
        max_silence_ms=s.int("max_silence_ms", d.max_silence_ms, lo=200, hi=5000),
        text_cues=s.bool("text_cues", d.text_cues),
        silence_prompt_s=s.float("silence_prompt_s", d.silence_prompt_s, lo=0, hi=600),
        silence_hangup_s=s.float("silence_hangup_s", d.silence_hangup_s, lo=1, hi=600),
        keypad_help=s.bool("keypad_help", d.keypad_help),
    )
    if cfg.incomplete_threshold >= cfg.complete_threshold:
        raise ConfigError(f"{s.key('incomplete_threshold')} must be below {s.key('complete_threshold')}")
    return cfg
