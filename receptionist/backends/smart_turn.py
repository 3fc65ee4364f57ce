"""Smart Turn v3.2 (pipecat-ai, BSD-2-Clause; the CPU int8 ONNX file from the `pipecat-ai==1.14.0`
wheel, installed by the model manifest) through onnxruntime: is the caller's turn complete?

Input: the turn's audio at 16 kHz, the last 8 s, left-padded with zeros, normalised to zero mean and
unit variance, as Whisper's 80-bin log-mel spectrogram [1, 80, 800] (`input_features`). Output:
[1, 1] probability that the turn is complete. This mirrors pipecat's `LocalSmartTurnAnalyzerV3`
without importing pipecat; the spectrogram comes from faster-whisper's own feature extractor
(`whisper_stt.log_mel_features`), injected so this module imports onnxruntime only. ~0.1 s a check.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import onnxruntime

from receptionist.errors import ModelError

if TYPE_CHECKING:
    from receptionist.config.turn import TurnConfig

WINDOW_S = 8
SAMPLE_RATE = 16000
_NORM_EPS = 1e-7  # transformers' WhisperFeatureExtractor zero-mean-unit-variance epsilon

Features = Callable[[np.ndarray], np.ndarray]  # exactly WINDOW_S s of 16 kHz audio -> [80, 800]


def last_window(samples: np.ndarray, seconds: int = WINDOW_S, rate: int = SAMPLE_RATE) -> np.ndarray:
    """The last `seconds` of `samples`, left-padded with zeros to exactly that length (float32)."""
    n = seconds * rate
    x = np.asarray(samples, dtype=np.float32)[-n:]
    return np.pad(x, (n - len(x), 0)) if len(x) < n else x


class SmartTurn:
    sample_rate = SAMPLE_RATE

    def __init__(self, model_path: str | Path, features: Features, threads: int = 1) -> None:
        path = Path(model_path)
        if not path.is_file():
            raise ModelError(f"Smart Turn model not found: {path}", code="model-missing")
        opts = onnxruntime.SessionOptions()
        opts.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(str(path), sess_options=opts,
                                                     providers=["CPUExecutionProvider"])
        self._features = features

    def complete_prob(self, samples: np.ndarray) -> float:
        """Probability that the turn ending with `samples` (16 kHz float32) is complete."""
        x = last_window(samples)
        x = (x - x.mean()) / np.sqrt(x.var() + _NORM_EPS)
        feats = self._features(x)[None].astype(np.float32)
        (out,) = self._session.run(None, {"input_features": feats})
        return float(np.asarray(out).reshape(-1)[0])


def create(cfg: TurnConfig) -> SmartTurn:
    """The engine for `[turn] model = "smart-turn"`."""
    from receptionist.backends.whisper_stt import log_mel_features

    return SmartTurn(cfg.model_path, log_mel_features, threads=cfg.threads)
