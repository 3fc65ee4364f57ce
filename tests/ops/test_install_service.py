"""scripts/install-service: a hardened notify unit, the user, the data folder and /etc config with absolute
paths — tried in a temporary root (no systemd needed)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from receptionist.config.app import load_config
from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "install-service"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def _unit(path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def test_the_unit_is_a_hardened_notify_service_that_cannot_reach_the_internet():
    u = _unit(REPO / "systemd" / "receptionist.service")
    assert u["Type"] == ["notify"] and u["Restart"] == ["on-failure"] and int(u["WatchdogSec"][0]) >= 10
    assert u["User"] == ["receptionist"] and "dialout" in u["SupplementaryGroups"][0]
    for key, value in (("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                       ("NoNewPrivileges", "yes"), ("IPAddressDeny", "any"), ("IPAddressAllow", "localhost"),
                       ("ReadWritePaths", "/var/lib/receptionist")):
        assert u[key] == [value], key
    assert "serve" in u["ExecStart"][0] and "/etc/receptionist/config.toml" in u["ExecStart"][0]


def test_dry_run_prints_every_step_and_changes_nothing(tmp_path):
    result = _run("--dry-run", "--allow", "192.168.1.0/24")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "useradd --system" in out or "create system user" in out
    for needle in ("/var/lib/receptionist", "/etc/receptionist/config.toml", "receptionist.service",
                   "192.168.1.0/24", "multi-user.target.wants"):
        assert needle in out
    assert all(line.startswith("would:") for line in out.splitlines())


def test_install_into_a_temporary_root(tmp_path):
    result = _run("--root", str(tmp_path), "--allow", "10.0.0.0/8", "--allow", "192.168.1.7")
    assert result.returncode == 0, result.stderr
    unit = tmp_path / "etc/systemd/system/receptionist.service"
    assert _unit(unit)["ExecStart"][0].startswith(f"{REPO}/.venv/bin/receptionist ")
    dropin = (tmp_path / "etc/systemd/system/receptionist.service.d/network.conf").read_text()
    assert "IPAddressAllow=10.0.0.0/8 192.168.1.7/32" in dropin
    wants = tmp_path / "etc/systemd/system/multi-user.target.wants/receptionist.service"
    assert wants.is_symlink() and str(wants.readlink()) == "/etc/systemd/system/receptionist.service"
    assert (tmp_path / "var/lib/receptionist").is_dir()
    etc = tmp_path / "etc/receptionist/config.toml"
    assert etc.stat().st_mode & 0o777 == 0o640
    config = load_config(etc)
    assert str(config.app.database) == "/var/lib/receptionist/receptionist.db"
    assert config.llm.model_path == REPO / "models/llm" / config.llm.model_path.name
    assert config.voice.vad.model_path == REPO / "models/silero/silero_vad.onnx"
    assert config.voice.tts.voices["en"].model == REPO / "models/piper/en_US-joe-medium.onnx"
    assert config.tenants[0].knowledge_dir == REPO / "knowledge/pawsome"
    assert "skip:" in result.stdout and "useradd" in result.stdout  # commands are for the real target

    etc.write_text(etc.read_text() + "\n# edited by the operator\n")
    again = _run("--root", str(tmp_path))  # an upgrade keeps the operator's config
    assert again.returncode == 0 and "edited by the operator" in etc.read_text()
    assert (etc.parent / "config.toml.new").exists()


def test_bad_arguments_are_refused_cleanly():
    result = _run("--dry-run", "--allow", "not-a-network")
    assert result.returncode == 2 and "--allow" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_the_installed_unit_passes_systemd_analyze_verify(tmp_path):
    assert _run("--root", str(tmp_path)).returncode == 0
    unit = tmp_path / "etc/systemd/system/receptionist.service"
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    problems = [line for line in result.stderr.splitlines() if "receptionist.service" in line
                and "is not executable" not in line]
    assert not problems, result.stderr
