"""Text to speech as a pipeline stage: per-language voice routing, speech normalisation, worker thread.

The worker is shared by every call; each sentence job is owned by one call's reply (`Owner`), and a
barge-in cancels only that owner's jobs (`cancel`).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.backends.base import TextToSpeech
from receptionist.clock import Clock
from receptionist.pipeline.sentences import split_sentences
from receptionist.pipeline.speech_text import normalize_for_speech
from receptionist.ownership import Owner
from receptionist.pipeline.worker import EngineWorker


FIRST_PIECE_CHARS = 60


class SpeechSynthesizer:
    def __init__(self, voices: Mapping[str, TextToSpeech], worker: EngineWorker, clock: Clock,
                 default_language: str = "en") -> None:
        if not voices:
            raise ValueError("at least one TTS voice is needed")
        self.voices = dict(voices)
        self.worker = worker
        self.clock = clock
        self.default_language = default_language if default_language in voices else next(iter(voices))
        self.last_compute_s = 0.0

    def voice_for(self, language: str) -> TextToSpeech:
        return self.voices.get(language) or self.voices[self.default_language]

    @staticmethod
    def plan(sentences: tuple[str, ...] | list[str]) -> list[str]:
        """Reply sentences cut into TTS-sized pieces (long sentences split at commas). The first
        piece is cut shorter still: its synthesis time is the caller's wait for the first audio."""
        pieces = [piece for s in sentences for piece in split_sentences(s)]
        if pieces and len(pieces[0]) > FIRST_PIECE_CHARS:
            head = split_sentences(pieces[0], max_chars=FIRST_PIECE_CHARS)
            pieces = [head[0], " ".join(head[1:]), *pieces[1:]] if len(head) > 1 else pieces
        return [p for p in pieces if p]

    async def synthesize(self, text: str, language: str, *, owner: Owner | None = None) -> AudioChunk:
        """One sentence, normalised for speech in `language`, synthesised on the TTS worker thread as a
        job of `owner`. Raises StaleResult when the owner cancelled it meanwhile."""
        voice = self.voice_for(language)
        spoken = normalize_for_speech(text, language)
        started = self.clock.monotonic()
        samples = await self.worker.run(_render, voice, spoken, owner=owner)
        self.last_compute_s = self.clock.monotonic() - started
        return AudioChunk(samples, voice.sample_rate)

    def cancel(self, owner: Owner) -> int:
        """Cancel the speech `owner` covers (queued sentences never synthesised, a running one dropped);
        every other call's speech is untouched. Returns the number of jobs cancelled."""
        return self.worker.cancel(owner)


def _render(voice: TextToSpeech, text: str) -> np.ndarray:  # worker thread
    parts = list(voice.synthesize(text))
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, dtype=np.float32)
