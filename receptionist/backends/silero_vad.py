"""Silero VAD (v5/v6 ONNX) through onnxruntime: the only module that imports onnxruntime for VAD.

The model takes `context + window` samples (64 + 512 at 16 kHz, 32 + 256 at 8 kHz) and an RNN state
[2, 1, 128]; both are carried from one window to the next (as Silero's own wrapper does).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime

from receptionist.errors import ModelError

if TYPE_CHECKING:
    from receptionist.config.voice import VadConfig


class SileroVad:
    def __init__(self, model_path: str | Path, sample_rate: int = 16000, threads: int = 1) -> None:
        if sample_rate not in (8000, 16000):
            raise ValueError("Silero VAD runs at 8000 or 16000 Hz")
        path = Path(model_path)
        if not path.is_file():
            raise ModelError(f"Silero VAD model not found: {path}", code="model-missing")
        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(str(path), sess_options=opts,
                                                     providers=["CPUExecutionProvider"])
        self.sample_rate = sample_rate
        self.window_size = 512 if sample_rate == 16000 else 256
        self._context_size = 64 if sample_rate == 16000 else 32
        self._sr = np.array(sample_rate, dtype=np.int64)
        self.reset()

    def reset(self) -> None:
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, self._context_size), dtype=np.float32)

    def speech_prob(self, window: np.ndarray) -> float:
        if len(window) != self.window_size:
            raise ValueError(f"Silero VAD needs {self.window_size} samples (got {len(window)})")
        x = np.concatenate([self._context, window.reshape(1, -1).astype(np.float32)], axis=1)
        out, self._state = self._session.run(None, {"input": x, "state": self._state, "sr": self._sr})
        self._context = x[:, -self._context_size:]
        return float(out[0][0])


def create(cfg: VadConfig) -> SileroVad:
    """The registry's factory (`[vad] engine = "silero"`): one VAD instance (stateful: one per call)."""
    return SileroVad(cfg.model_path)
