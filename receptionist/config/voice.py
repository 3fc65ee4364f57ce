"""[vad], [stt], [tts] and [barge_in] sections: the voice pipeline's settings.

    [vad]
    engine = "silero"          # a kind in receptionist/backends/registry.py (so for stt, tts.<lang>)
    model_path = "models/silero/silero_vad.onnx"
    threshold = 0.5            # speech probability that starts speech
    min_speech_ms = 200        # shorter blips are not speech
    min_silence_ms = 600       # silence that ends the caller's turn ("uh..." pauses are shorter)
    speculative_pause_ms = 200 # transcribe speculatively after this much silence (0 = off)
    max_utterance_s = 15
    preroll_ms = 300           # audio kept before the detected start (first syllable)
    echo_threshold = 0.85      # threshold while our own audio plays (speaker-phone echo)
    echo_min_speech_ms = 350

    [stt]
    engine = "whisper"
    model_dir = "models/whisper-base"
    threads = 2
    max_tokens = 96
    switch_threshold = 0.9     # another language must be this likely to leave the committed one
    prompt = true              # Whisper's initial prompt: lang/<code>/stt.toml + the business's words

    [tts]
    default_language = "en"
    [tts.en]  engine = "piper", model = "models/piper/en_US-joe-medium.onnx"
    [tts.et]  engine = "festival", voice = "suo_fi_lj_diphone"    # a Finnish voice reading Estonian (clearer
              # than espeak-ng et in scripts/bench-tts; Finnish accent); engine = "espeak", voice = "et": native rules
    [tts.ru]  engine = "festival", voice = "msu_ru_nsh_clunits"   # espeak-ng ru when festival is missing;
              # or engine = "piper", model = "models/piper/ru_RU-x.onnx" (an operator's Piper voice wins)

    [barge_in]
    enabled = true
    min_speech_ms = 400
    min_words = 1
    commit_speech_ms = 1500
    resume_after_ms = 1500
    backchannels = { et = ["jah", "jaa", "mhm"] }   # replaces the built-in list for that language
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from receptionist.backends import registry
from receptionist.config.fields import Section
from receptionist.config.resources import installed_languages
from receptionist.config.turn import TurnConfig, parse_turn
from receptionist.errors import ConfigError



@dataclass(frozen=True, slots=True)
class VadConfig:
    engine: str = "silero"  # a kind in backends/registry.py VAD
    model_path: Path = Path("models/silero/silero_vad.onnx")
    threshold: float = 0.5
    min_speech_ms: int = 200
    min_silence_ms: int = 600
    speculative_pause_ms: int = 200
    max_utterance_s: float = 15.0
    preroll_ms: int = 300
    echo_threshold: float = 0.85
    echo_min_speech_ms: int = 350


@dataclass(frozen=True, slots=True)
class SttConfig:
    engine: str = "whisper"  # a kind in backends/registry.py STT
    model_dir: Path = Path("models/whisper-base")
    threads: int = 2
    compute_type: str = "int8"
    device: str = "cpu"  # "cuda": an NVIDIA GPU (CTranslate2's CUDA libraries); "auto": the GPU when there is one
    beam_size: int = 1
    max_tokens: int = 96
    switch_threshold: float = 0.9
    no_speech_threshold: float = 0.6
    min_encoder_frames: int = 1500  # 3000 = Whisper's full 30 s window (slower, no quality gain seen)
    prompt: bool = True  # bias decoding with the language's stt.toml prompt and the business's words


@dataclass(frozen=True, slots=True)
class VoiceChoice:
    engine: str  # a kind in backends/registry.py TTS
    model: Path | None = None  # piper .onnx (its .onnx.json beside it)
    voice: str | None = None  # espeak-ng / festival voice name
    speed: float = 1.0  # >1 faster
    fallback: VoiceChoice | None = None  # used when this engine is not installed (festival -> espeak-ng)


# Festival voices by language: Debian festvox-ru; no Estonian festival voice exists, a Finnish one
# (festvox-suopuhe-lj, female) reads Estonian spelling closely. scripts/bench-tts measured both.
FESTIVAL_VOICES = {"ru": "msu_ru_nsh_clunits", "et": "suo_fi_lj_diphone"}


def festival_choice(lang: str, voice: str | None = None, speed: float = 1.0) -> VoiceChoice:
    """A festival voice for `lang` (its FESTIVAL_VOICES entry unless `voice` names one), espeak-ng for
    the same language when festival or the voice is missing."""
    return VoiceChoice("festival", voice=voice or FESTIVAL_VOICES.get(lang, lang), speed=speed,
                       fallback=VoiceChoice("espeak", voice=lang, speed=speed))


@dataclass(frozen=True, slots=True)
class TtsConfig:
    default_language: str = "en"
    voices: Mapping[str, VoiceChoice] = field(default_factory=lambda: MappingProxyType({
        "en": VoiceChoice("piper", model=Path("models/piper/en_US-joe-medium.onnx")),
        # Whisper's character error rate (scripts/bench-tts): et 22 % (festival, Finnish accent) vs 39 %
        # (espeak-ng et); ru 16 % (festival) vs 63 % (espeak-ng ru). espeak-ng when festival is missing.
        "et": festival_choice("et"),
        "ru": festival_choice("ru"),
    }))


@dataclass(frozen=True, slots=True)
class BargeInConfig:
    enabled: bool = True
    min_speech_ms: int = 400
    min_words: int = 1
    commit_speech_ms: int = 1500
    resume_after_ms: int = 1500
    backchannels: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    pause_after_ms: int = 64  # caller sound over the bot this long pauses the playout (2 VAD windows)


@dataclass(frozen=True, slots=True)
class VoiceConfig:
    vad: VadConfig = field(default_factory=VadConfig)
    stt: SttConfig = field(default_factory=SttConfig)
    tts: TtsConfig = field(default_factory=TtsConfig)
    barge_in: BargeInConfig = field(default_factory=BargeInConfig)
    turn: TurnConfig = field(default_factory=TurnConfig)


def parse_voice(root: Section) -> VoiceConfig:
    return VoiceConfig(vad=_parse_vad(root.section("vad")), stt=_parse_stt(root.section("stt")),
                       tts=_parse_tts(root.section("tts")), barge_in=_parse_barge_in(root.section("barge_in")),
                       turn=parse_turn(root.section("turn")))


def _parse_vad(s: Section) -> VadConfig:
    s.reject_unknown(VadConfig.__slots__)
    d = VadConfig()
    cfg = VadConfig(
        engine=s.str("engine", d.engine, choices=registry.kinds(registry.VAD)),
        model_path=s.path_value("model_path", str(d.model_path)) or d.model_path,
        threshold=s.float("threshold", d.threshold, lo=0.05, hi=0.95),
        min_speech_ms=s.int("min_speech_ms", d.min_speech_ms, lo=32, hi=2000),
        min_silence_ms=s.int("min_silence_ms", d.min_silence_ms, lo=100, hi=3000),
        speculative_pause_ms=s.int("speculative_pause_ms", d.speculative_pause_ms, lo=0, hi=2000),
        max_utterance_s=s.float("max_utterance_s", d.max_utterance_s, lo=2, hi=28),
        preroll_ms=s.int("preroll_ms", d.preroll_ms, lo=0, hi=1000),
        echo_threshold=s.float("echo_threshold", d.echo_threshold, lo=0.05, hi=0.99),
        echo_min_speech_ms=s.int("echo_min_speech_ms", d.echo_min_speech_ms, lo=32, hi=3000),
    )
    if cfg.speculative_pause_ms and cfg.speculative_pause_ms >= cfg.min_silence_ms:
        raise ConfigError(f"{s.key('speculative_pause_ms')} must be shorter than {s.key('min_silence_ms')}")
    return cfg


GPU_COMPUTE_TYPES = ("float16", "int8_float16", "bfloat16", "int8_bfloat16")


def _compute_type(s: Section, device: str) -> str:
    """[stt] compute_type: the CPU types anywhere, the half-precision ones only with device = "cuda"."""
    value = s.str("compute_type", SttConfig().compute_type, choices=("int8", "int8_float32", "float32", "default")
                  + GPU_COMPUTE_TYPES)
    if value in GPU_COMPUTE_TYPES and device != "cuda":
        raise ConfigError(f"{s.key('compute_type')} = {value!r} needs {s.key('device')} = \"cuda\"")
    return value


def _parse_stt(s: Section) -> SttConfig:
    s.reject_unknown(SttConfig.__slots__)
    d = SttConfig()
    device = s.str("device", d.device, choices=("cpu", "cuda", "auto"))
    return SttConfig(
        engine=s.str("engine", d.engine, choices=registry.kinds(registry.STT)),
        model_dir=s.path_value("model_dir", str(d.model_dir)) or d.model_dir,
        threads=s.int("threads", d.threads, lo=1, hi=64),
        compute_type=_compute_type(s, device),
        device=device,
        beam_size=s.int("beam_size", d.beam_size, lo=1, hi=5),
        max_tokens=s.int("max_tokens", d.max_tokens, lo=8, hi=220),
        switch_threshold=s.float("switch_threshold", d.switch_threshold, lo=0.5, hi=1.0),
        no_speech_threshold=s.float("no_speech_threshold", d.no_speech_threshold, lo=0.1, hi=1.0),
        min_encoder_frames=s.int("min_encoder_frames", d.min_encoder_frames, lo=500, hi=3000),
        prompt=s.bool("prompt", d.prompt),
    )


def _parse_tts(s: Section) -> TtsConfig:
    s.reject_unknown(("default_language",) + installed_languages())
    d = TtsConfig()
    voices = {lang: replace(v, model=s.base_dir / v.model if v.model else None) for lang, v in d.voices.items()}
    for lang in installed_languages():
        if s.has(lang):
            voices[lang] = _parse_voice_choice(s.section(lang), lang)
    default = s.str("default_language", d.default_language, choices=installed_languages())
    return TtsConfig(default_language=default, voices=MappingProxyType(voices))


def _parse_voice_choice(s: Section, lang: str) -> VoiceChoice:
    s.reject_unknown(("engine", "model", "voice", "speed"))
    engine = s.str("engine", choices=registry.kinds(registry.TTS))
    speed = s.float("speed", 1.0, lo=0.5, hi=2.0)
    if engine == "piper":
        model = s.path_value("model")
        if model is None or model.suffix != ".onnx":
            raise ConfigError(f"{s.key('model')} must name a Piper .onnx voice file")
        return VoiceChoice("piper", model=model, speed=speed)
    if engine == "festival":
        return festival_choice(lang, s.str("voice", FESTIVAL_VOICES.get(lang, lang)), speed)
    return VoiceChoice(engine, model=s.path_value("model", None), voice=s.str("voice", lang),
                       speed=speed)


def _parse_barge_in(s: Section) -> BargeInConfig:
    s.reject_unknown(BargeInConfig.__slots__)
    d = BargeInConfig()
    table = s.table("backchannels")
    backchannels: dict[str, tuple[str, ...]] = {}
    for lang in table:
        if lang not in installed_languages():
            raise ConfigError(f"{s.key('backchannels')}.{lang} is not a known language ({', '.join(installed_languages())})")
        words = s.section("backchannels").str_list(lang)
        backchannels[lang] = tuple(w.lower() for w in words)
    return BargeInConfig(
        enabled=s.bool("enabled", d.enabled),
        min_speech_ms=s.int("min_speech_ms", d.min_speech_ms, lo=100, hi=3000),
        min_words=s.int("min_words", d.min_words, lo=1, hi=10),
        commit_speech_ms=s.int("commit_speech_ms", d.commit_speech_ms, lo=300, hi=10000),
        resume_after_ms=s.int("resume_after_ms", d.resume_after_ms, lo=300, hi=10000),
        pause_after_ms=s.int("pause_after_ms", d.pause_after_ms, lo=32, hi=3000),
        backchannels=MappingProxyType(backchannels),
    )
