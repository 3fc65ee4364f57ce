"""Receptionist appliances ("boxes") as real `receptionist serve` processes on loopback, for the
two-boxes-behind-a-dispatcher tests: each has its own config, data folder, HTTP and SIP ports and log
file. The language model is off (rule-based understanding) and the speech models are pointed away
(`[stt] model_dir` to an empty folder), so each line answers in its keypad mode: light enough for two
boxes on a small CI machine, and a call is still a real SIP call answered by a real box."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from kamkit import free_port

ROOT = Path(__file__).resolve().parents[3]
RECEPTIONIST = Path(sys.executable).with_name("receptionist")


def _set(text: str, section: str, lines: str) -> str:
    """Put `lines` at the top of [section] (the bundled config has each section once, keys commented)."""
    text, n = re.subn(rf"(?m)^\[{re.escape(section)}\]\n", lambda m: m.group(0) + lines.strip() + "\n", text, count=1)
    assert n == 1, f"config.toml has no [{section}] section"
    return text


def box_config(folder: Path, *, http_port: int, sip_port: int, backend_url: str | None = None,
               backend_token: str | None = None, sip: str = "") -> Path:
    """The bundled pet-hotel config.toml for one box, written to folder/config.toml; `sip`: more [sip] lines."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^data_dir = .*$', 'data_dir = "data"', text)
    text = re.sub(r'(?m)^database = .*$', 'database = "data/receptionist.db"', text)
    text = re.sub(r'(?m)^knowledge_dir = "([^"]*)"', lambda m: f'knowledge_dir = "{ROOT / m.group(1)}"', text)
    text = _set(text, "llm", "enabled = false")
    text = _set(text, "stt", f'model_dir = "{folder / "no-speech-models"}"')
    text = _set(text, "http", f'enabled = true\nhost = "127.0.0.1"\nport = {http_port}')
    text = _set(text, "sip", f'enabled = true\nbind = "127.0.0.1"\nport = {sip_port}\nrtp_port = 0\n'
                             f'allowed_sources = ["127.0.0.1"]\nmedia_timeout_s = 10\n{sip}')
    if backend_url:
        text = _set(text, "agent", f'booking_backend = "http"\nbackend_url = "{backend_url}"\n'
                                   f'backend_token = "{backend_token}"')
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cli(config: Path, *args: str, timeout_s: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RECEPTIONIST), "--config", str(config), *args], capture_output=True, text=True,
                          timeout=timeout_s, check=False, env={**os.environ, "HF_HUB_OFFLINE": "1"})


class Box:
    """One `receptionist serve` process."""

    def __init__(self, folder: Path, name: str, **config: Any) -> None:
        self.name = name
        self.folder = folder / name
        self.http_port = free_port()
        self.sip_port = free_port()
        self.config = box_config(self.folder, http_port=self.http_port, sip_port=self.sip_port, **config)
        self.log = self.folder / "serve.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout_s: float = 90.0) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([str(RECEPTIONIST), "--config", str(self.config), "serve"], stdout=out,
                                         stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
                                         start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"box {self.name} exited ({self.proc.returncode}):\n{self.tail()}")
            if "receptionist is ready" in self.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"box {self.name} did not get ready:\n{self.tail()}")

    def stop(self, timeout_s: float = 20.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout_s)

    def answered(self) -> int:
        """Calls this box has answered so far (its log says so, one line per call)."""
        return len(re.findall(r"sip: call c\d+ answered", self.log.read_text(errors="replace")))

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        """JSON in, JSON out; an HTTP error status raises with the server's answer."""
        req = urllib.request.Request(self.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path} on {self.name}: {exc.code} {exc.read()[:500]!r}") from None

    def chat(self, message: str, session: str | None = None) -> dict:
        """One web-chat turn on this box's /api/v1/chat."""
        body = {"message": message, "language": "en", **({"session_id": session} if session else {})}
        return self.request("POST", "/api/v1/chat", body)
