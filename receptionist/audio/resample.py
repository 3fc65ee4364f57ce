"""Sample-rate conversion with soxr: one-shot for whole clips, streaming for live audio."""

from __future__ import annotations

import numpy as np
import soxr

from receptionist.audio.pcm import AudioChunk


def resample(chunk: AudioChunk, to_rate: int) -> AudioChunk:
    if chunk.sample_rate == to_rate or len(chunk) == 0:
        return chunk if chunk.sample_rate == to_rate else AudioChunk(chunk.samples, to_rate)
    out = soxr.resample(chunk.samples, chunk.sample_rate, to_rate, quality="HQ")
    return AudioChunk(np.asarray(out, dtype=np.float32), to_rate)


class StreamResampler:
    """Converts a live stream chunk by chunk without clicks at the chunk edges.

    Input chunks must all share `from_rate`; `flush()` returns the filter's tail at end of stream.
    """

    def __init__(self, from_rate: int, to_rate: int) -> None:
        self.from_rate = from_rate
        self.to_rate = to_rate
        self._stream = None if from_rate == to_rate else soxr.ResampleStream(
            from_rate, to_rate, 1, dtype="float32", quality="HQ")

    def process(self, chunk: AudioChunk) -> AudioChunk:
        if chunk.sample_rate != self.from_rate:
            raise ValueError(f"expected {self.from_rate} Hz audio (got {chunk.sample_rate} Hz)")
        if self._stream is None:
            return chunk
        out = self._stream.resample_chunk(chunk.samples, last=False)
        return AudioChunk(np.asarray(out, dtype=np.float32), self.to_rate)

    def flush(self) -> AudioChunk:
        if self._stream is None:
            return AudioChunk(np.zeros(0, dtype=np.float32), self.to_rate)
        out = self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
        return AudioChunk(np.asarray(out, dtype=np.float32), self.to_rate)
