"""`receptionist doctor`: is this box ready to answer calls? One line per check, non-zero exit on a failure.

Checks: model files present and verified (sha256 stamps from the installer; `load=True` also loads
them), ports free or held by our own running service, SIP registration and the GSM modem (when
enabled), the database (integrity_check, migrations current), the data folder writable, disk space.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sqlite3
import stat
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

from receptionist.booking.migrations import MIGRATIONS
from receptionist.config.app import AppConfig
from receptionist.modelpack.install import file_state
from receptionist.modelpack.manifest import DEFAULT_MODELS_DIR, load_manifest

Status = Literal["ok", "warn", "fail", "skip"]
MIN_FREE_BYTES = 512 * 1024 * 1024
WARN_FREE_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "status": self.status, "detail": self.detail}


def run_checks(config: AppConfig, *, load: bool = False, models_dir: Path = DEFAULT_MODELS_DIR,
               min_free_bytes: int = MIN_FREE_BYTES) -> list[Check]:
    from receptionist.ops.doctor_models import check_gpu, check_voices

    checks: list[Check] = []
    checks += check_models(config, models_dir, load=load)
    checks += check_gpu(config)
    checks += check_voices(config)
    running = service_url(config)
    checks += check_ports(config, running)
    checks.append(check_sip(config, running))
    checks.append(check_modem(config, running))
    checks += check_database(config.app.database)
    checks.append(check_data_dir(config.app.data_dir))
    checks.append(check_disk(config.app.data_dir, min_free_bytes))
    return checks


def failed(checks: list[Check]) -> bool:
    return any(c.status == "fail" for c in checks)


# -- models -----------------------------------------------------------------------------------------------

def _model_paths(config: AppConfig) -> list[tuple[str, Path]]:
    wanted: list[tuple[str, Path]] = []
    if config.llm.enabled:
        wanted.append(("llm", config.llm.model_path))
    if config.channels.sip.enabled:  # the voice pipeline is needed only for calls
        wanted += [("vad", config.voice.vad.model_path), ("stt", config.voice.stt.model_dir / "model.bin")]
        if config.voice.turn.model != "off":
            wanted.append(("turn", config.voice.turn.model_path))
        languages = {lang for t in config.tenants for lang in t.languages}
        for lang, voice in sorted(config.voice.tts.voices.items()):
            if lang in languages and voice.model is not None:
                wanted.append((f"tts-{lang}", voice.model))
    return wanted


def check_models(config: AppConfig, models_dir: Path, *, load: bool = False) -> list[Check]:
    try:
        manifest = {(models_dir / m.dest).resolve(): m for m in load_manifest(models_dir)}
    except Exception as exc:  # noqa: BLE001 - a missing manifest only loses the sha check
        manifest = {}
        note = f" (no manifest: {exc})"
    else:
        note = ""
    checks = []
    for role, path in _model_paths(config):
        name = f"model {role}"
        if not path.is_file():
            checks.append(Check(name, "fail", f"missing: {path} (run: receptionist models install)"))
            continue
        entry = manifest.get(path.resolve())
        size = f"{path.stat().st_size / 1e6:.0f} MB"
        if entry is None:  # an operator's own model (a larger Whisper, another GGUF, a Piper voice)
            from receptionist.ops.doctor_models import check_unlisted

            check = check_unlisted(role, path, {lang for t in config.tenants for lang in t.languages})
            checks.append(Check(check.name, check.status, check.detail + note))
        elif not file_state(entry, models_dir).verified:
            checks.append(Check(name, "fail", f"{path.name} {size} changed since its sha256 was verified "
                                              "(run: receptionist models install)"))
        else:
            checks.append(Check(name, "ok", f"{path.name} {size}, sha256 verified"))
    if not checks:
        checks.append(Check("models", "skip", "no model needed (LLM disabled, no phone line)"))
    if load and not any(c.status == "fail" for c in checks):
        checks += _load_models(config)
    return checks


def _load_models(config: AppConfig) -> list[Check]:
    checks = []
    loaders: list[tuple[str, Callable[[], object]]] = []
    if config.llm.enabled:
        from receptionist.app import load_llm

        loaders.append(("load llm", lambda: load_llm(config)))
    if config.channels.sip.enabled:
        from receptionist.app import build_voice_engines

        languages = tuple(sorted({lang for t in config.tenants for lang in t.languages}))
        loaders.append(("load voice", lambda: build_voice_engines(config.voice, languages, warm=True)))
    for name, loader in loaders:
        try:
            engine = loader()
        except Exception as exc:  # noqa: BLE001 - report, do not crash the doctor
            checks.append(Check(name, "fail", f"{type(exc).__name__}: {exc}"))
            continue
        closer = getattr(engine, "close", None)
        if callable(closer):
            closer()
        checks.append(Check(name, "ok", "loaded"))
    return checks


# -- ports and the running service ---------------------------------------------------------------------

def service_url(config: AppConfig) -> str | None:
    """Base URL of our own service when it is running (its /healthz answers), else None."""
    http = config.channels.http
    if not http.enabled:
        return None
    host = "127.0.0.1" if http.host in ("0.0.0.0", "", "::") else http.host
    url = f"http://{host}:{http.port}"
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1.0) as r:  # loopback / LAN only, by config
            return url if r.status == 200 else None
    except OSError:
        return None


def port_free(host: str, port: int, kind: int = socket.SOCK_STREAM) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, kind) as sock:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def check_ports(config: AppConfig, running: str | None) -> list[Check]:
    http, sip = config.channels.http, config.channels.sip
    wanted = []
    if http.enabled and http.port:
        wanted.append(("port http", http.host, http.port, socket.SOCK_STREAM))
    if http.enabled and http.staff_listen is not None and http.staff_listen[1]:
        wanted.append(("port http staff", *http.staff_listen, socket.SOCK_STREAM))
    if sip.enabled and sip.port:
        kind = socket.SOCK_DGRAM if sip.transport == "udp" else socket.SOCK_STREAM
        wanted.append((f"port sip/{sip.transport}", sip.bind, sip.port, kind))
    checks = []
    for name, host, port, kind in wanted:
        try:
            free = port_free(host, port, kind)
        except OSError as exc:
            checks.append(Check(name, "fail", f"{host}:{port} cannot be bound: {exc.strerror}"))
            continue
        if free:
            checks.append(Check(name, "ok", f"{host}:{port} free"))
        elif running:
            checks.append(Check(name, "ok", f"{host}:{port} in use by the running receptionist"))
        else:
            checks.append(Check(name, "fail", f"{host}:{port} is in use by another program"))
    return checks


def _metrics_base(config: AppConfig, running: str) -> str:
    """Where /metrics is: the staff address when [http] staff_listen splits the shim, else `running`."""
    staff = config.channels.http.staff_listen
    if staff is None:
        return running
    host = "127.0.0.1" if staff[0] in ("0.0.0.0", "", "::") else staff[0]
    return f"http://[{host}]:{staff[1]}" if ":" in host else f"http://{host}:{staff[1]}"


def _metric(running: str, name: str, **labels: str) -> float | None:
    """The value of metric `name` at the running service's /metrics; with `labels`, of the series that has
    exactly those labels (e.g. registrar="sip:pbx.lan"). None when the service is unreachable or lacks it."""
    if labels:
        name += "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
    try:
        with urllib.request.urlopen(f"{running}/metrics", timeout=2.0) as r:
            text = r.read().decode("utf-8", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(name + " ") or (not labels and line.startswith(name + "{")):
            return float(line.rsplit(" ", 1)[1])
    return None


def check_sip(config: AppConfig, running: str | None) -> Check:
    sip = config.channels.sip
    if not sip.enabled:
        return Check("sip", "skip", "phone line disabled")
    if not sip.registrar:
        return Check("sip", "ok", f"no registrar: calls accepted from {', '.join(sip.allowed_sources)}")
    if not running:
        return Check("sip registration", "skip", "service not running (registration is checked while it runs)")
    value = _metric(_metrics_base(config, running), "receptionist_sip_registered", registrar=sip.registrar)
    if value is None:
        return Check("sip registration", "warn", "the running service does not report its registration")
    if value >= 1:
        return Check("sip registration", "ok", f"registered with {sip.registrar}")
    from receptionist.channels.sip.registration import describe

    status = _metric(_metrics_base(config, running), "receptionist_sip_registration_status", registrar=sip.registrar)
    why = f": the registrar answered {describe(int(status))}" if status else ""
    return Check("sip registration", "fail", f"not registered as {sip.user} with {sip.registrar}{why}")


def check_modem(config: AppConfig, running: str | None) -> Check:
    sms = config.channels.sms
    if not sms.enabled:
        return Check("modem", "skip", "SMS disabled")
    port = Path(sms.port)
    try:
        mode = port.stat().st_mode
    except OSError:
        return Check("modem", "fail", f"{port} not found (modem unplugged?)")
    if not stat.S_ISCHR(mode):
        return Check("modem", "fail", f"{port} is not a serial device")
    if not os.access(port, os.R_OK | os.W_OK):
        return Check("modem", "fail", f"{port}: no read/write permission (add the user to group dialout)")
    if running:
        value = _metric(_metrics_base(config, running), "receptionist_modem_connected")
        if value is not None and value < 1:
            return Check("modem", "fail", f"{port} present, but the running service cannot talk to the modem")
    return Check("modem", "ok", f"{port} present and accessible")


# -- database, folders, disk -------------------------------------------------------------------------------

def check_database(path: Path) -> list[Check]:
    if not path.exists():
        return [Check("database", "warn", f"{path} does not exist yet (created at first start)")]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            versions = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [Check("database", "fail", f"{path}: {exc}")]
    checks = [Check("database integrity", "ok" if result == ["ok"] else "fail",
                    "ok" if result == ["ok"] else "; ".join(result[:3]))]
    known = {m.version for m in MIGRATIONS}
    pending = sorted(known - versions)
    newer = sorted(versions - known)
    if newer:
        checks.append(Check("database schema", "fail", f"written by a newer version (migrations {newer})"))
    elif pending:
        checks.append(Check("database schema", "warn", f"migrations {pending} pending (applied at next start)"))
    else:
        checks.append(Check("database schema", "ok", f"migrations current (v{max(known)})"))
    return checks


def check_data_dir(folder: Path) -> Check:
    if not folder.is_dir():
        return Check("data folder", "warn", f"{folder} does not exist yet (created at first start)")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Check("data folder", "fail", f"{folder} is not writable by this user")
    return Check("data folder", "ok", f"{folder} writable")


def check_disk(folder: Path, min_free_bytes: int = MIN_FREE_BYTES) -> Check:
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    detail = f"{free / 2**30:.1f} GiB free on {probe}"
    if free < min_free_bytes:
        return Check("disk", "fail", detail)
    return Check("disk", "warn" if free < max(WARN_FREE_BYTES, min_free_bytes) else "ok", detail)
