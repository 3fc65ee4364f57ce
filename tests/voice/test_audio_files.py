"""Audio files in the formats sox, Audacity and phones write are read as mono float audio at their own rate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from receptionist.audio.files import AudioFileError, read_audio

FORMATS = {  # name -> sox output options
    "16-bit PCM": ["-r", "16000", "-b", "16", "-t", "wavpcm"],
    "24-bit PCM (WAVE_FORMAT_EXTENSIBLE)": ["-r", "16000", "-b", "24"],
    "32-bit integer stereo at 48 kHz": ["-r", "48000", "-c", "2", "-b", "32"],
    "32-bit float at 44.1 kHz": ["-r", "44100", "-e", "floating-point", "-b", "32"],
    "8 kHz u-law (a phone line)": ["-r", "8000", "-e", "u-law"],
    "FLAC": ["-r", "16000", "-b", "16", "-t", "flac"],
}


def sox_tone(path: Path, options: list[str], seconds: float = 0.5, volume: float = 0.5) -> Path:
    """A 440 Hz tone of `seconds` at `volume` (peak), written by sox with `options`."""
    if shutil.which("sox") is None:
        pytest.skip("sox is not installed (Debian package sox)")
    subprocess.run(["sox", "-n", *options, str(path), "synth", str(seconds), "sine", "440", "vol", str(volume)],
                   check=True, capture_output=True)
    return path


def wav_format_tag(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[20:22], "little")


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_is_read_as_mono_float_at_its_own_rate(tmp_path, name):
    options = FORMATS[name]
    path = sox_tone(tmp_path / ("tone.flac" if "flac" in options else "tone.wav"), options)
    audio = read_audio(path)
    rate = int(options[options.index("-r") + 1])
    assert audio.sample_rate == rate
    assert audio.samples.ndim == 1 and audio.samples.dtype == np.float32
    assert abs(audio.duration_s - 0.5) < 0.01
    assert 0.45 < float(np.abs(audio.samples).max()) < 0.55  # the tone's peak, not a scaled integer


def test_sox_writes_24_bit_as_wave_format_extensible(tmp_path):
    path = sox_tone(tmp_path / "tone.wav", FORMATS["24-bit PCM (WAVE_FORMAT_EXTENSIBLE)"])
    assert wav_format_tag(path) == 0xFFFE  # so the case above really is an EXTENSIBLE file


def test_stereo_channels_are_averaged(tmp_path):
    if shutil.which("sox") is None:
        pytest.skip("sox is not installed")
    path = tmp_path / "stereo.wav"  # left: the tone, right: silence
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "2", "-b", "24", str(path), "synth", "0.5", "sine", "440",
                    "sine", "440", "remix", "1", "0", "vol", "0.5"], check=True, capture_output=True)
    assert 0.2 < float(np.abs(read_audio(path).samples).max()) < 0.26


def test_a_file_that_is_not_audio_is_a_one_line_error(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is not a sound file")
    with pytest.raises(AudioFileError) as err:
        read_audio(path)
    assert "notes.wav" in str(err.value) and "\n" not in str(err.value)


def test_a_missing_or_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    for name in ("missing.wav", "empty.wav"):
        with pytest.raises(AudioFileError):
            read_audio(tmp_path / name)
