"""Caller lines spoken and heard again, for `scripts/bench-dialogues --spoken`: each line is
synthesized by a caller voice for its language and transcribed by this checkout's Whisper.

Run as its own process (`python -m tests.dialogues.spoken_engines --cache FILE`, from this checkout's
root) so that synthesis and transcription always use THIS checkout's `receptionist`, whichever
checkout's agent the benchmark measures. Reads a JSON list of {"text", "lang"} on stdin; writes one
JSON object on stdout: {"voices": {lang: label}, "model": label, "lines": [Heard as dict, ...]}.

Voices: the checkout's configured voice for the language (config.toml [tts.*], built by
receptionist.app.build_voices: Piper en_US-joe for en, espeak-ng for et/ru), except that
the Debian `festival` voices in CALLER_FESTIVAL are used for et/ru when installed (a different voice
from the bot's own, closer to a person than espeak-ng). A line festival cannot say falls back to the
configured voice (recorded per line in `spoken_by`). Text is first put into words by the checkout's
normalize_for_speech, as the bot's own TTS stage does, phone numbers digit group by digit group
(caller_speech).

Transcription: as the voice pipeline does once the language is known: the dialogue's language
given, greedy decoding at temperature 0 capped at [stt] max_tokens, and the pipeline's filter of
Whisper's silence hallucinations (a filtered line has `kept` False: the agent would hear nothing).

Transcripts are cached in a JSON file keyed by (text, lang, voice, model), so one synthesis and
transcription feeds every checkout measured.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

ROOT = Path(__file__).resolve().parents[2]
# Debian festival voices for callers: (voice, text encoding the voice reads). No Estonian festival
# voice exists; the Finnish suopuhe voice reads Estonian spelling closely (festvox-suopuhe-mv).
CALLER_FESTIVAL = {"ru": ("msu_ru_nsh_clunits", "utf-8"), "et": ("hy_fi_mv_diphone", "latin-1")}
FESTIVAL_VOICES = Path("/usr/share/festival/voices")
CACHE_VERSION = 2  # 2: phone numbers said in digit groups
# A phone number as callers say it: digit groups. normalize_for_speech reads a number of only two
# groups ("5250 3371") as one large cardinal ("five thousand two hundred fifty three thousand ..."),
# which no caller says and which Whisper rightly writes as another number.
_PHONE_GROUPS = re.compile(r"(?<![\w.,])\+?\d{2,4}(?:[ -]\d{2,4})+(?!\w)")
_PHONE_MIN_DIGITS = 7


@dataclass(frozen=True, slots=True)
class Heard:
    """One caller line as the agent receives it. `voice` is the caller voice planned for the
    language (the cache key), `spoken_by` the one that actually spoke (a fallback may differ);
    `heard` is Whisper's transcript; `kept` False when the pipeline would drop it as a hallucination;
    `audio_s` the length of the synthesized speech in seconds."""

    text: str
    lang: str
    voice: str
    model: str
    heard: str
    kept: bool
    spoken_by: str
    audio_s: float

    def key(self) -> str:
        return cache_key(self.text, self.lang, self.voice, self.model)


def cache_key(text: str, lang: str, voice: str, model: str) -> str:
    """The cache key of a line: (text, lang, voice, model) as a JSON string."""
    return json.dumps([text, lang, voice, model], ensure_ascii=False)


class TranscriptCache:
    """A JSON file of Heard entries by cache_key. A missing or outdated file is an empty cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                self.entries = dict(data.get("entries") or {})

    def get(self, text: str, lang: str, voice: str, model: str) -> Heard | None:
        entry = self.entries.get(cache_key(text, lang, voice, model))
        return Heard(**entry) if entry else None

    def put(self, heard: Heard) -> None:
        self.entries[heard.key()] = asdict(heard)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "entries": self.entries}, ensure_ascii=False, indent=0),
                       encoding="utf-8")
        tmp.replace(self.path)


class CallerVoice(Protocol):
    label: str

    def say(self, text: str) -> Any:
        """The spoken text as a receptionist.audio.pcm.AudioChunk; raises RuntimeError on failure."""
        ...


@dataclass(frozen=True, slots=True)
class EngineVoice:
    """A voice engine of the checkout (receptionist.backends TextToSpeech)."""

    label: str
    engine: Any

    def say(self, text: str) -> Any:
        import numpy as np

        from receptionist.audio.pcm import AudioChunk

        pieces = list(self.engine.synthesize(text))
        if not pieces:
            raise RuntimeError(f"{self.label} said nothing")
        return AudioChunk(np.concatenate(pieces).astype(np.float32), self.engine.sample_rate)


@dataclass(frozen=True, slots=True)
class FestivalVoice:
    """A Debian festival voice, run through `text2wave` once per line."""

    voice: str
    encoding: str

    @property
    def label(self) -> str:
        return f"festival {self.voice}"

    def say(self, text: str) -> Any:
        from receptionist.audio.pcm import read_wav

        with tempfile.TemporaryDirectory(prefix="caller-") as tmp:
            src, out = Path(tmp) / "line.txt", Path(tmp) / "line.wav"
            src.write_bytes(festival_text(text, self.encoding))
            proc = subprocess.run(["text2wave", "-eval", f"(voice_{self.voice})", str(src), "-o", str(out)],
                                  capture_output=True, timeout=120, check=False)
            if proc.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
                raise RuntimeError(f"{self.label} failed ({proc.returncode})")
            return read_wav(out)


def caller_speech(text: str, lang: str) -> str:
    """The words a caller says for a written line: the checkout's normalize_for_speech, with phone
    numbers (digit groups of 7+ digits in all) read group by group by its phone_to_words."""
    from receptionist.pipeline.speech_text import normalize_for_speech, phone_to_words

    def phone(m: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in m.group(0))
        return phone_to_words(m.group(0), lang) if digits >= _PHONE_MIN_DIGITS else m.group(0)

    return normalize_for_speech(_PHONE_GROUPS.sub(phone, text), lang)


def festival_text(text: str, encoding: str) -> bytes:
    """Text festival can read: punctuation glued between words ("два,три") split off, which
    festival's letter-to-sound rules stop at; letters the encoding lacks folded to their base letter
    ("š" -> "s")."""
    from receptionist.backends.festival_tts import fold_char

    text = re.sub(r"(?<=\w)[^\w\s]+(?=\w)", " ", text)
    return "".join(fold_char(ch, encoding) for ch in text).encode(encoding)


def festival_installed(voice: str) -> bool:
    """Whether text2wave and the named festival voice are installed."""
    return shutil.which("text2wave") is not None and any(FESTIVAL_VOICES.glob(f"*/{voice}"))


def caller_voices(voice_cfg: Any, languages: Iterable[str], *,
                  festival: Callable[[str], bool] = festival_installed) -> dict[str, list[CallerVoice]]:
    """Per language the voices to try in order: the festival caller voice when installed, then the
    checkout's configured voice (receptionist.app.build_voices)."""
    from receptionist.app import build_voices

    langs = tuple(languages)
    engines = build_voices(voice_cfg, langs)
    out: dict[str, list[CallerVoice]] = {}
    for lang in langs:
        tries: list[CallerVoice] = []
        if lang in CALLER_FESTIVAL and festival(CALLER_FESTIVAL[lang][0]):
            tries.append(FestivalVoice(*CALLER_FESTIVAL[lang]))
        if lang in engines:
            tries.append(EngineVoice(engine_label(voice_cfg.tts.voices[lang]), engines[lang]))
        if not tries:
            raise RuntimeError(f"no voice for {lang}: configure [tts.{lang}]")
        out[lang] = tries
    return out


def engine_label(choice: Any) -> str:
    """A configured voice in words: "piper en_US-joe-medium", "espeak-ng et"."""
    if choice.engine == "piper":
        return f"piper {Path(choice.model).stem}"
    return f"espeak-ng {choice.voice}"


def model_label(stt_cfg: Any) -> str:
    """The transcriber in words, part of the cache key."""
    prompted = ", stt.toml prompt" if getattr(stt_cfg, "prompt", False) else ""
    return (f"{Path(stt_cfg.model_dir).name} ({stt_cfg.compute_type}, beam {stt_cfg.beam_size}, temperature 0, "
            f"max {stt_cfg.max_tokens} tokens, language given{prompted})")


class Transcriber:
    """This checkout's Whisper with the pipeline's settings and hallucination filter."""

    def __init__(self, voice_cfg: Any) -> None:
        from receptionist.app import build_stt
        from receptionist.pipeline.stt import SttPolicy

        s = voice_cfg.stt
        self.engine = build_stt(voice_cfg)
        prompts: dict[str, str] = {}
        if getattr(s, "prompt", False):  # as a voice session builds them (without a business's words)
            from receptionist.pipeline.stt_prompts import stt_prompts

            prompts = stt_prompts(("en", "et", "ru"))
        self.policy = SttPolicy(max_tokens=s.max_tokens, no_speech_threshold=s.no_speech_threshold, prompts=prompts)
        self.label = model_label(s)

    def hear(self, audio: Any, lang: str) -> tuple[str, bool]:
        """(transcript, kept) of an AudioChunk; Whisper sees its first 30 s."""
        from receptionist.audio.resample import resample
        from receptionist.pipeline.stt import is_hallucination

        samples = resample(audio, self.engine.sample_rate).samples
        result = self.engine.transcribe(samples, language=lang, languages=(lang,), max_tokens=self.policy.max_tokens,
                                        prompts=self.policy.prompts)
        return result.text.strip(), not is_hallucination(result, self.policy)


def speak_and_hear(lines: list[tuple[str, str]], cache: TranscriptCache, *, config: Path = ROOT / "config.toml",
                   progress: Callable[[str], None] = lambda s: None, prompt: bool = True) -> dict[str, Any]:
    """Every (text, lang) line spoken and heard (from the cache when there). Saves the cache every
    25 new lines and at the end. Returns {"voices", "model", "lines"} (lines: Heard dicts, in order)."""
    from receptionist.config.app import load_config

    voice_cfg = load_config(config).voice
    if not prompt:
        voice_cfg = replace(voice_cfg, stt=replace(voice_cfg.stt, prompt=False))
    langs = tuple(dict.fromkeys(lang for _, lang in lines))
    voices = caller_voices(voice_cfg, langs)
    model = model_label(voice_cfg.stt)
    transcriber: Transcriber | None = None
    out: list[Heard] = []
    fresh = 0
    for n, (text, lang) in enumerate(lines, 1):
        planned = voices[lang][0].label
        heard = cache.get(text, lang, planned, model)
        if heard is None:
            transcriber = transcriber or Transcriber(voice_cfg)
            audio, spoken_by = _say(voices[lang], caller_speech(text, lang))
            words, kept = transcriber.hear(audio, lang)
            heard = Heard(text, lang, planned, model, words, kept, spoken_by, round(len(audio) / audio.sample_rate, 2))
            cache.put(heard)
            fresh += 1
            if fresh % 25 == 0:
                cache.save()
                progress(f"spoken and heard {n}/{len(lines)} lines")
        out.append(heard)
    if fresh:
        cache.save()
    progress(f"{len(lines)} lines: {fresh} newly spoken and heard, {len(lines) - fresh} from {cache.path}")
    return {"voices": {lang: voices[lang][0].label for lang in langs}, "model": model,
            "lines": [asdict(h) for h in out]}


def _say(tries: list[CallerVoice], text: str) -> tuple[Any, str]:
    errors = []
    for voice in tries:
        try:
            return voice.say(text), voice.label
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            errors.append(str(exc))
    raise RuntimeError("no caller voice could say a line: " + "; ".join(errors))


def main() -> int:
    ap = argparse.ArgumentParser(description="speak and transcribe caller lines (JSON on stdin)")
    ap.add_argument("--cache", type=Path, required=True, help="the transcript cache (JSON)")
    ap.add_argument("--config", type=Path, default=ROOT / "config.toml", help="where [tts] and [stt] are read")
    ap.add_argument("--no-prompt", action="store_true", help="Whisper without the stt.toml prompts")
    args = ap.parse_args()
    lines = [(str(item["text"]), str(item["lang"])) for item in json.load(sys.stdin)]
    result = speak_and_hear(lines, TranscriptCache(args.cache), config=args.config, prompt=not args.no_prompt,
                            progress=lambda s: print(s, file=sys.stderr, flush=True))
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
