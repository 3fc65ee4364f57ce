"""Audio files as the CLI gets them (sox, Audacity, phones): any format libsndfile reads, via `soundfile`.

WAV of any sample format (8/16/24/32-bit integer, 32/64-bit float, A-law/u-law, WAVE_FORMAT_EXTENSIBLE),
FLAC, OGG/Vorbis, MP3, AIFF... become one mono float32 `AudioChunk` at the file's own sample rate
(channels averaged). Resampling is the caller's job (`receptionist.audio.resample`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from receptionist.audio.pcm import AudioChunk


class AudioFileError(ValueError):
    """A file that cannot be read as audio. The message is one line naming the file and the reason."""


def read_audio(path: str | Path) -> AudioChunk:
    """The whole file as mono float32 in [-1, 1] at its own rate. AudioFileError when the file is missing,
    empty, not audio, or in a format libsndfile does not read."""
    path = Path(path)
    if not path.is_file():
        raise AudioFileError(f"cannot read {path} as audio: no such file")
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise AudioFileError(f"cannot read {path} as audio: {reason}") from None
    if rate <= 0:
        raise AudioFileError(f"cannot read {path} as audio: no sample rate")
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return AudioChunk(np.ascontiguousarray(np.clip(mono, -1.0, 1.0), dtype=np.float32), int(rate))
