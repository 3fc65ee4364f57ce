"""Whisper's initial prompt per language: built from the language folders and the business's words,
passed to the engine by the speech recognizer, and never a way for silence to become a turn."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from receptionist.audio.pcm import AudioChunk
from receptionist.backends.base import SttResult
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.pipeline.stt import SpeechRecognizer, SttPolicy, is_hallucination
from receptionist.pipeline.stt_prompts import MAX_PROMPT_CHARS, stt_prompts
from receptionist.pipeline.worker import EngineWorker

ROOT = Path(__file__).resolve().parents[2]


def test_prompts_carry_the_language_words_and_the_business_words() -> None:
    tenant = load_config(ROOT / "examples/clinic.toml").default_tenant
    prompts = stt_prompts(("en", "et", "ru"), tenant)
    assert "detsembrini" in prompts["et"] and "декабря" in prompts["ru"]
    assert "vaktsineerimine" in prompts["et"] and "Kask" in prompts["et"]  # a practitioner's name
    assert "vaccination" in prompts["en"] and "Kesklinna Family Clinic" in prompts["en"]
    assert all(len(p) <= MAX_PROMPT_CHARS for p in prompts.values())


def test_without_a_business_english_has_no_prompt_and_switched_off_none_has() -> None:
    prompts = stt_prompts(("en", "et", "ru"))
    assert "en" not in prompts and set(prompts) == {"et", "ru"}
    tenant = load_config(ROOT / "config.toml").default_tenant
    assert stt_prompts(("en", "et"), tenant, enabled=False) == {}


class RecordingStt:
    sample_rate = 16000

    def __init__(self) -> None:
        self.prompts: list[object] = []

    def transcribe(self, samples, *, language, languages, max_tokens, prompts=None) -> SttResult:
        self.prompts.append(prompts)
        return SttResult("Tere, mul on koer.", language or "et", 0.99)


def test_the_recognizer_gives_the_engine_its_policys_prompts() -> None:
    engine, worker = RecordingStt(), EngineWorker("stt-test")
    try:
        policy = SttPolicy(languages=("et",), prompts={"et": "Tere! Koer, kass."})
        stt = SpeechRecognizer(engine, worker, policy, FakeClock())
        heard = asyncio.run(stt.transcribe(AudioChunk(np.full(16000, 0.1, np.float32), 16000)))
    finally:
        worker.close()
    assert heard is not None and heard.text == "Tere, mul on koer."
    assert engine.prompts == [{"et": "Tere! Koer, kass."}]


PROMPT = "Tere! Kass, koer, kassituba."


@pytest.mark.parametrize("result", [
    SttResult("Kassituba, kassituba, kassituba.", "et", 1.0, no_speech_prob=0.2, avg_logprob=-0.04, prompt=PROMPT),
    SttResult("Parni, a ne v gostinitsu.", "ru", 1.0, no_speech_prob=0.66, avg_logprob=-0.2, prompt=PROMPT),
])
def test_a_prompted_transcript_of_silence_is_a_hallucination(result: SttResult) -> None:
    assert is_hallucination(result, SttPolicy())


@pytest.mark.parametrize("text", ["Kassituba.", "Koer, palun.", "Kaks kassi, kaks tuba."])
def test_a_prompted_answer_made_of_prompt_words_is_kept(text: str) -> None:
    assert not is_hallucination(SttResult(text, "et", 1.0, no_speech_prob=0.3, avg_logprob=-0.2, prompt=PROMPT),
                                SttPolicy())


@pytest.mark.models
@pytest.mark.parametrize("lang", ["et", "ru"])
def test_whisper_with_a_prompt_hears_nothing_in_noise(lang: str) -> None:
    from voicekit import WHISPER, need

    from receptionist.backends.whisper_stt import WhisperStt

    need(WHISPER / "model.bin")
    tenant = load_config(ROOT / "config.toml").default_tenant
    prompts = stt_prompts(("en", "et", "ru"), tenant)
    engine = WhisperStt(WHISPER)
    noise = (np.random.default_rng(0).standard_normal(32000) * 0.02).astype(np.float32)
    for audio in (np.zeros(32000, np.float32), noise):
        result = engine.transcribe(audio, language=lang, languages=(lang,), max_tokens=32, prompts=prompts)
        assert result.prompt and is_hallucination(result, SttPolicy()), result
