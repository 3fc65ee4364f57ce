"""Piper neural TTS: the only module that imports piper. One voice (.onnx + .onnx.json) per instance."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np
from piper import PiperVoice
from piper.config import SynthesisConfig

from receptionist.errors import ModelError

if TYPE_CHECKING:
    from receptionist.config.voice import VoiceChoice


class PiperTts:
    def __init__(self, model_path: str | Path, *, length_scale: float | None = None, volume: float = 0.9) -> None:
        path = Path(model_path)
        if not path.is_file() or not Path(f"{path}.json").is_file():
            raise ModelError(f"Piper voice missing: {path} (+ .json)", code="model-missing")
        self._voice = PiperVoice.load(str(path))
        self.sample_rate = int(self._voice.config.sample_rate)
        self._syn = SynthesisConfig(length_scale=length_scale, volume=volume)

    def synthesize(self, text: str) -> Iterator[np.ndarray]:
        for chunk in self._voice.synthesize(text, syn_config=self._syn):
            yield chunk.audio_float_array.astype(np.float32)


def create(choice: VoiceChoice) -> PiperTts:
    """The registry's factory (`[tts.<lang>] engine = "piper"`): `model` is the .onnx voice; `speed` > 1
    speaks faster."""
    if choice.model is None:
        raise ModelError("a Piper voice needs a model file", code="model-missing")
    return PiperTts(choice.model, length_scale=1.0 / choice.speed)
