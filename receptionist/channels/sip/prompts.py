"""Fixed prompts the line itself says (outside the agent): the keypad callback flow used when the
speech models are missing or crashed, and when a hand-off to a person cannot be made.

`Prompter` synthesizes with the given voices (falls back to espeak-ng, which needs no model files) on a
worker thread, and plays into the call's sink; `say` returns when the caller has heard it all, or as
soon as `stop()` is called (a key was pressed)."""

from __future__ import annotations

import asyncio
import logging
from typing import Callable, Mapping

import numpy as np

from receptionist import lang as langdata
from receptionist.audio.io import AudioSink
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.backends.base import TextToSpeech
from receptionist.clock import Clock

log = logging.getLogger(__name__)


def prompts(language: str) -> Mapping[str, str]:
    """The line prompts of one language (its folder's speech.toml `[line_prompts]`; empty if none)."""
    try:
        return langdata.section(language, "speech").get("line_prompts", {})
    except langdata.UnknownLanguage:
        return {}


# Prompts of the languages installed at start-up (the espeak fallback voices are made for these).
PROMPTS: dict[str, Mapping[str, str]] = {code: prompts(code) for code in langdata.folders() if prompts(code)}


def prompt_text(key: str, language: str, **values: str) -> str:
    """A prompt in `language`, or in English (else the first installed language) when it has none."""
    table = prompts(language) or PROMPTS.get("en") or next(iter(PROMPTS.values()))
    return table[key].format(**values)


def espeak_voices() -> dict[str, TextToSpeech]:
    """espeak-ng voices (no model files needed) for the languages that have prompts, through the registry."""
    from receptionist.backends import registry
    from receptionist.config.voice import VoiceChoice

    return {lang: registry.create(registry.TTS, "espeak", VoiceChoice("espeak", voice=lang), key="tts.engine")
            for lang in PROMPTS}


class Prompter:
    def __init__(self, voices: Callable[[], Mapping[str, TextToSpeech]], clock: Clock) -> None:
        self._voices = voices
        self._clock = clock
        self._cache: dict[tuple[str, str], AudioChunk] = {}
        self._stop = asyncio.Event()

    async def render(self, text: str, language: str) -> AudioChunk:
        key = (language, text)
        if key not in self._cache:
            voices = self._voices()
            voice = voices.get(language) or voices.get("en") or next(iter(voices.values()))
            self._cache[key] = await asyncio.to_thread(_synth, voice, text)
        return self._cache[key]

    def stop(self) -> None:
        self._stop.set()

    async def say(self, sink: AudioSink, text: str, language: str) -> None:
        self._stop.clear()
        audio = resample(await self.render(text, language), sink.sample_rate)
        if self._stop.is_set():
            return
        sink.write(audio)
        while sink.pending_samples() > 0:
            if self._stop.is_set():
                sink.clear_buffer()
                return
            await self._clock.sleep(0.05)


def _synth(voice: TextToSpeech, text: str) -> AudioChunk:  # worker thread
    parts = [np.asarray(p, dtype=np.float32) for p in voice.synthesize(text)]
    samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return AudioChunk(samples, voice.sample_rate)
