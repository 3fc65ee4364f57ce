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

from receptionist.audio.io import AudioSink
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.backends.base import TextToSpeech
from receptionist.clock import Clock

log = logging.getLogger(__name__)

PROMPTS: dict[str, dict[str, str]] = {
    "en": {
        "degraded": "Hello, you have reached {business}. Our assistant is not available right now.",
        "no_person": "Sorry, nobody can take your call right now.",
        "ask_number": "Please type your phone number on the keypad, then press the hash key, "
                      "and we will call you back.",
        "ask_number_or_hash": "Please type the number we should call back on the keypad and press the hash key, "
                              "or just press the hash key to be called back on this number.",
        "invalid": "Sorry, that number did not work.",
        "taken": "Thank you. We will call you back. Goodbye.",
        "goodbye": "Goodbye.",
    },
    "et": {
        "degraded": "Tere, olete helistanud: {business}. Meie assistent ei ole praegu kättesaadav.",
        "no_person": "Vabandust, praegu ei saa keegi kõnet vastu võtta.",
        "ask_number": "Palun sisestage klahvistikul oma telefoninumber ja vajutage trellidega klahvi, "
                      "siis helistame teile tagasi.",
        "ask_number_or_hash": "Palun sisestage klahvistikul number, millele tagasi helistada, ja vajutage "
                              "trellidega klahvi, või vajutage kohe trellidega klahvi, et helistaksime sellele numbrile.",
        "invalid": "Vabandust, see number ei sobinud.",
        "taken": "Aitäh. Helistame teile tagasi. Head aega.",
        "goodbye": "Head aega.",
    },
    "ru": {
        "degraded": "Здравствуйте, вы позвонили в {business}. Наш ассистент сейчас недоступен.",
        "no_person": "Извините, сейчас никто не может ответить.",
        "ask_number": "Пожалуйста, наберите на клавиатуре ваш номер телефона и нажмите решётку, "
                      "и мы вам перезвоним.",
        "ask_number_or_hash": "Пожалуйста, наберите номер для обратного звонка и нажмите решётку, "
                              "или просто нажмите решётку, и мы перезвоним на этот номер.",
        "invalid": "Извините, этот номер не подходит.",
        "taken": "Спасибо. Мы вам перезвоним. До свидания.",
        "goodbye": "До свидания.",
    },
}


def prompt_text(key: str, language: str, **values: str) -> str:
    table = PROMPTS.get(language, PROMPTS["en"])
    return table[key].format(**values)


def espeak_voices() -> dict[str, TextToSpeech]:
    from receptionist.backends.espeak_tts import EspeakTts

    return {lang: EspeakTts(lang) for lang in PROMPTS}


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
