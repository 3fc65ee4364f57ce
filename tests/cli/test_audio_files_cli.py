"""`transcribe` and `simulate-call` read the audio files sox and phones write; a file that is not audio is a
one-line error and a non-zero exit, never a traceback."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from receptionist.cli.main import main
from tests.conftest import PET_CONFIG, REPO


def run(*args: str):
    return CliRunner().invoke(main, ["--config", str(PET_CONFIG), *args])


def assert_one_line_error(result, name: str) -> None:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)  # not a crash
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and "cannot read" in lines[0], result.output
    assert "Traceback" not in result.output


def test_transcribe_of_a_file_that_is_not_audio_is_a_one_line_error(tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("not a sound file")
    assert_one_line_error(run("transcribe", str(bad)), "notes.wav")


def test_simulate_call_of_a_file_that_is_not_audio_is_a_one_line_error(tmp_path):
    bad = tmp_path / "caller.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    assert_one_line_error(run("simulate-call", str(bad), "--out", str(tmp_path / "out"), "--fast"), "caller.wav")


@pytest.mark.models
def test_transcribe_reads_a_24_bit_extensible_wav_from_sox(tmp_path):
    if shutil.which("sox") is None or shutil.which("espeak-ng") is None:
        pytest.skip("sox and espeak-ng are needed (Debian packages)")
    if not (REPO / "models" / "whisper-base" / "model.bin").is_file():
        pytest.skip("Whisper model absent (scripts/setup)")
    speech, wav24 = tmp_path / "speech.wav", tmp_path / "speech24.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-s", "140", "-w", str(speech), "Good morning, I would like to book a room."],
                   check=True)
    subprocess.run(["sox", str(speech), "-r", "48000", "-b", "24", "-c", "2", str(wav24)], check=True)
    assert int.from_bytes(wav24.read_bytes()[20:22], "little") == 0xFFFE  # WAVE_FORMAT_EXTENSIBLE
    result = run("transcribe", str(wav24), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "book a room" in result.output.lower()
