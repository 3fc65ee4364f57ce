"""Debian `festival` as a TTS engine: ONE long-lived festival process per voice, fed Scheme commands.

Russian (`festvox-ru`, voice msu_ru_nsh_clunits) is far clearer than espeak-ng; the Finnish voices
(`festvox-suopuhe-mv`/`-lj`) can read Estonian spelling. Starting festival and loading a voice costs
1-2 s, a sentence then ~0.1-0.3 s, so the process is started once and kept:

    festival --pipe   (stdout line-buffered through coreutils `stdbuf -oL`)
    <- (utt.save.wave (utt.synth (Utterance Text "...")) "/tmp/.../17.wav" 'riff)
    <- (print "receptionist-done-17")
    -> "receptionist-done-17"          then the WAV is read and deleted

Text reaches this module already in words (the pipeline's normalize_for_speech); here it is only made
readable for festival (`festival_text`). A festival that died or hung is restarted on the next sentence.
Errors: ModelError `model-missing` (no festival binary or voice), `tts-failed` (no audio, timeout).
"""

from __future__ import annotations

import logging
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from pathlib import Path
from typing import Iterator

import numpy as np

from receptionist.audio.pcm import read_wav
from receptionist.errors import ModelError

log = logging.getLogger(__name__)

VOICES_DIR = Path("/usr/share/festival/voices")
# The text encoding a voice's lexicon and letter-to-sound rules read; festival voices not listed read
# 8-bit Latin-1 (the Finnish suopuhe voices among them).
ENCODINGS = {"msu_ru_nsh_clunits": "utf-8"}
START_TIMEOUT_S = 60.0
_KEEP = frozenset(" .,!?;:-")
SENTENCE_TIMEOUT_S = 30.0
MAX_STDERR_BYTES = 1_000_000  # festival's warnings, kept for error messages, truncated beyond this


def voice_installed(voice: str, voices_dir: Path = VOICES_DIR) -> bool:
    """Whether the festival binary and the named voice (a folder under voices_dir/<language>/) exist."""
    return shutil.which("festival") is not None and any(voices_dir.glob(f"*/{voice}"))


def festival_text(text: str, encoding: str) -> bytes:
    """`text` as festival can read it in `encoding`: only letters, digits, spaces and sentence punctuation
    (`.,!?;:-`) kept (quotes, brackets and symbols make its letter-to-sound rules fail: a space instead),
    punctuation glued between two words ("два,три") spaced out, letters the encoding lacks folded to
    their base letter ("š" -> "s", else a space)."""
    text = "".join(ch if ch.isalnum() or ch in _KEEP else " " for ch in text)
    text = re.sub(r"(?<=\w)[.,!?;:]+(?=\w)", " ", text)
    text = re.sub(r"\s+([.,!?;:])", r"\1", text)  # "отель « X » ." -> "отель X."
    text = re.sub(r"^[\s.,!?;:-]+|(?<=\s)-+(?=\s)", " ", text)  # punctuation that belongs to no word
    return re.sub(r" {2,}", " ", "".join(fold_char(ch, encoding) for ch in text)).strip().encode(encoding)


def scheme_string(data: bytes) -> bytes:
    """Bytes as a Scheme string literal: backslashes and double quotes escaped, in quotes."""
    return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def fold_char(ch: str, encoding: str) -> str:
    """`ch` as the encoding can write it: itself, else its base letter ("š" -> "s"), else a space."""
    for candidate in (ch, "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))):
        try:
            candidate.encode(encoding)
            return candidate
        except UnicodeEncodeError:
            continue
    return " "


class FestivalTts:
    """One festival voice in one festival process. `synthesize` is blocking and serialised (a lock);
    the pipeline calls it from its TTS worker thread. `close()` ends the process."""

    def __init__(self, voice: str, *, voices_dir: Path = VOICES_DIR, binary: str = "festival",
                 sentence_timeout_s: float = SENTENCE_TIMEOUT_S) -> None:
        exe, stdbuf = shutil.which(binary), shutil.which("stdbuf")
        if exe is None:
            raise ModelError(f"{binary} not found (install the Debian package festival)", code="model-missing")
        if not re.fullmatch(r"[A-Za-z0-9_]+", voice) or not any(voices_dir.glob(f"*/{voice}")):
            raise ModelError(f"festival voice {voice} not installed under {voices_dir} (Debian festvox-* package)",
                             code="model-missing")
        if stdbuf is None:
            raise ModelError("stdbuf not found (Debian coreutils)", code="model-missing")
        self.voice = voice
        self.encoding = ENCODINGS.get(voice, "latin-1")
        self.sample_rate = 16000  # replaced by the voice's own rate after the probe below
        self._cmd = [stdbuf, "-oL", exe, "--pipe"]
        self._timeout_s = sentence_timeout_s
        self._dir = Path(tempfile.mkdtemp(prefix="festival-"))
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._serial = 0
        self._broken = False  # the process died or hung: restart it before the next command
        try:
            with self._lock:
                self._start()
                probe = self._render(b"a")
        except BaseException:
            self.close()
            raise
        if probe is not None:
            self.sample_rate = probe.sample_rate

    # -- the process --------------------------------------------------------------------------------
    def _start(self) -> None:
        stderr = open(self._dir / "stderr.log", "ab")
        try:
            self._proc = subprocess.Popen(self._cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                          cwd=self._dir)
        finally:
            stderr.close()
        self._buffer = b""
        self._broken = False
        self._call(f"(voice_{self.voice})".encode("ascii"), START_TIMEOUT_S)
        log.info("festival started (pid %s, voice %s)", self._proc.pid, self.voice)

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def _call(self, command: bytes, timeout_s: float) -> None:
        """Send one command and wait for festival to have run it (its marker line on stdout)."""
        assert self._proc is not None and self._proc.stdin is not None and self._proc.stdout is not None
        self._serial += 1
        marker = f'"receptionist-done-{self._serial}"'.encode("ascii")
        try:
            self._proc.stdin.write(command + b"\n(print " + marker + b")\n")
            self._proc.stdin.flush()
        except OSError as exc:
            self._broken = True
            raise ModelError(f"festival is not running ({exc})", code="tts-failed") from exc
        fd, deadline = self._proc.stdout.fileno(), time.monotonic() + timeout_s
        while True:
            for line in self._buffer.split(b"\n")[:-1]:
                if line.strip() == marker:
                    self._buffer = self._buffer[self._buffer.index(marker) + len(marker):]
                    return
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self._broken = True
                raise ModelError(f"festival took over {timeout_s:g} s", code="tts-failed")
            data = os.read(fd, 65536)
            if not data:
                self._broken = True
                raise ModelError(f"festival stopped: {self._stderr_tail()}", code="tts-failed")
            self._buffer += data

    def _stderr_tail(self) -> str:
        try:
            return (self._dir / "stderr.log").read_bytes()[-300:].decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def _render(self, text: bytes):  # -> AudioChunk | None, under the lock
        log_path = self._dir / "stderr.log"
        if log_path.is_file() and log_path.stat().st_size > MAX_STDERR_BYTES:
            os.truncate(log_path, 0)  # festival appends (O_APPEND): it goes on writing at the new end
        out = self._dir / f"{self._serial + 1}.wav"
        command = (b"(utt.save.wave (utt.synth (Utterance Text " + scheme_string(text) + b")) "
                   + scheme_string(str(out).encode()) + b" 'riff)")
        try:
            self._call(command, self._timeout_s)
            if not out.is_file():
                raise ModelError(f"festival made no audio: {self._stderr_tail()}", code="tts-failed")
            return read_wav(out) if out.stat().st_size > 44 else None
        finally:
            out.unlink(missing_ok=True)

    # -- TextToSpeech -------------------------------------------------------------------------------
    def synthesize(self, text: str) -> Iterator[np.ndarray]:
        """The sentence as one float32 chunk at `sample_rate` (nothing for blank text). A festival that
        died or timed out is restarted once for this sentence. ModelError `tts-failed` otherwise."""
        data = festival_text(text, self.encoding)
        if not data.strip():
            return
        with self._lock:
            chunk = None
            for attempt in (1, 2):
                try:
                    if self._broken or self._proc is None or self._proc.poll() is not None:
                        self._stop()
                        self._start()
                    chunk = self._render(data)
                    break
                except ModelError:
                    if attempt == 2:
                        self._stop()  # a fresh process for the next sentence
                        raise
                    # once more, without punctuation (a process that died or hung is restarted first)
                    log.warning("festival (voice %s) failed on a sentence; trying once more", self.voice)
                    data = bytes(b if b not in b".,!?;:-" else 32 for b in data)
                    if self._broken:
                        self._stop()
        if chunk is not None:
            self.sample_rate = chunk.sample_rate
            yield chunk.samples

    def close(self) -> None:
        """End the festival process and remove its temporary folder."""
        with self._lock:
            self._stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __del__(self) -> None:  # a forgotten close() must not leave festival running
        try:
            self._stop()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def missing(choice) -> str:  # choice: receptionist.config.voice.VoiceChoice
    """Why this festival voice cannot speak here ("" when it can): no festival binary, or no such voice."""
    if shutil.which("festival") is None:
        return "festival is not installed (Debian package festival)"
    if not choice.voice or not voice_installed(choice.voice):
        return f"festival voice {choice.voice} is not installed (Debian festvox-* package)"
    return ""


def create(choice) -> FestivalTts:  # choice: receptionist.config.voice.VoiceChoice
    """The registry's factory (`[tts.<lang>] engine = "festival"`): `voice` is the festival voice name."""
    if not choice.voice:
        raise ModelError("a festival voice needs `voice` (e.g. msu_ru_nsh_clunits)", code="model-missing")
    return FestivalTts(choice.voice)
