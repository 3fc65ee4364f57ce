"""Install the appliance as a systemd service (scripts/install-service is a thin wrapper).

    scripts/install-service --dry-run            # print every step, change nothing
    scripts/install-service                      # as root: user, data folder, /etc config, unit, enable
    scripts/install-service --root /tmp/img      # write the files into an image folder (no user, no systemctl)
    scripts/install-service --allow 192.168.1.0/24 --start

Idempotent: an existing /etc/receptionist/config.toml is kept (the new one is written beside it as
config.toml.new), the user and folders are created only when missing. Works without a running
systemd (a build chroot or container): enabling is a symlink, reload/start are skipped with a note.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

REPO = Path(__file__).resolve().parents[2]
UNIT_NAME = "receptionist.service"
TEMPLATE_APP_DIR = "/opt/receptionist"

# (table, key) → path settings; "tenants" stands for every [[tenants]] table.
PATH_KEYS = {
    ("tenants", "knowledge_dir"), ("llm", "model_path"), ("vad", "model_path"), ("stt", "model_dir"),
    ("sip", "password_file"), ("sms", "pin_file"), ("agent", "backend_token_file"),
    ("tts.en", "model"), ("tts.et", "model"), ("tts.ru", "model"),
}
# Path settings whose defaults are relative to the config file: written out explicitly.
DEFAULT_PATHS = {("vad", "model_path"): "models/silero/silero_vad.onnx", ("stt", "model_dir"): "models/whisper-base"}


@dataclass(frozen=True, slots=True)
class Options:
    app_dir: Path
    source_config: Path
    root: Path | None = None  # write into this folder instead of /, run no commands
    dry_run: bool = False
    user: str = "receptionist"
    data_dir: Path = Path("/var/lib/receptionist")
    etc_dir: Path = Path("/etc/receptionist")
    unit_dir: Path = Path("/etc/systemd/system")
    allow: tuple[str, ...] = ()  # LAN ranges the service may talk to, besides loopback
    start: bool = False
    force_config: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    description: str
    action: Callable[[], None] | None = None  # None: a command, run only on a real install
    command: tuple[str, ...] = ()


def absolute_config(text: str, source_dir: Path, data_dir: Path) -> str:
    """The config with every path made absolute: data in `data_dir`, models and knowledge where they are."""
    parsed = tomllib.loads(text)  # a broken bundled config fails here, before anything is written
    lines = text.splitlines()
    out: list[str] = []
    table = ""
    headers: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for line in lines:
        header = re.match(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?", line)
        if header:
            table = header.group(1)
            table = "tenants" if table == "tenants" else table
            headers.setdefault(table, len(out))
            out.append(line)
            continue
        kv = re.match(r'^(\s*)([A-Za-z0-9_]+)(\s*=\s*)"([^"]*)"(.*)$', line)
        if kv:
            indent, key, eq, value, rest = kv.groups()
            if table == "app" and key in ("data_dir", "database"):
                value = str(data_dir if key == "data_dir" else data_dir / "receptionist.db")
                line = f'{indent}{key}{eq}"{value}"{rest}'
                seen.add((table, key))
            elif (table, key) in PATH_KEYS and value and not Path(value).expanduser().is_absolute():
                line = f'{indent}{key}{eq}"{(source_dir / value).resolve()}"{rest}'
                seen.add((table, key))
            elif (table, key) in PATH_KEYS:
                seen.add((table, key))
        out.append(line)
    inserts: dict[int, list[str]] = {}
    appended: list[str] = []
    wanted = dict(DEFAULT_PATHS)
    en = parsed.get("tts", {}).get("en")
    if en is None:  # the built-in English voice is a Piper model next to the config
        wanted[("tts.en", "model")] = "models/piper/en_US-joe-medium.onnx"
    for (tbl, key), default in wanted.items():
        if (tbl, key) in seen:
            continue
        line = f'{key} = "{(source_dir / default).resolve()}"'
        if tbl == "tts.en":
            line = f'engine = "piper"\n{line}'
        if tbl in headers:
            inserts.setdefault(headers[tbl], []).append(line)
        else:
            appended += ["", f"[{tbl}]", line]
    if "app" not in headers:
        appended = ["", "[app]", f'data_dir = "{data_dir}"', f'database = "{data_dir / "receptionist.db"}"'] + appended
    result: list[str] = []
    for i, line in enumerate(out):
        result.append(line)
        result += inserts.get(i, [])
    return "\n".join(result + appended) + "\n"


def render_unit(template: str, app_dir: Path, opts: Options) -> str:
    unit = template.replace(TEMPLATE_APP_DIR, str(app_dir))
    unit = unit.replace("/etc/receptionist/", f"{opts.etc_dir}/")
    unit = unit.replace("/var/lib/receptionist", str(opts.data_dir))
    return re.sub(r"(?m)^(User|Group)=receptionist$", lambda m: f"{m.group(1)}={opts.user}", unit)


def network_dropin(allow: Sequence[str]) -> str:
    ranges = " ".join(str(ipaddress.ip_network(a, strict=False)) for a in allow)
    return ("# LAN ranges the receptionist may talk to (SIP PBX, staff browsers); everything else stays denied.\n"
            f"[Service]\nIPAddressAllow={ranges}\n")


def _target(opts: Options, path: Path) -> Path:
    return opts.root / path.relative_to("/") if opts.root else path


def _systemd_running() -> bool:
    return Path("/run/systemd/system").is_dir()


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def plan(opts: Options) -> list[Step]:
    steps: list[Step] = []
    t = lambda p: _target(opts, p)  # noqa: E731
    if opts.root is not None or not _user_exists(opts.user):
        steps.append(Step(f"create system user {opts.user}", None,
                          ("useradd", "--system", "--user-group", "--home-dir", str(opts.data_dir), "--no-create-home",
                           "--shell", "/usr/sbin/nologin", opts.user)))
    steps.append(Step(f"create data folder {t(opts.data_dir)} (0750)", lambda: _mkdir(t(opts.data_dir), 0o750)))
    steps.append(Step(f"give {opts.data_dir} to {opts.user}", None,
                      ("chown", "-R", f"{opts.user}:{opts.user}", str(opts.data_dir))))
    config_text = absolute_config(opts.source_config.read_text(encoding="utf-8"),
                                  opts.source_config.resolve().parent, opts.data_dir)
    config_path = t(opts.etc_dir / "config.toml")
    if config_path.exists() and not opts.force_config:
        new = config_path.with_name("config.toml.new")
        steps.append(Step(f"keep {config_path}; write the bundled one with absolute paths to {new}",
                          lambda: _write(new, config_text, 0o640)))
    else:
        steps.append(Step(f"write {config_path} (0640) from {opts.source_config} with absolute paths",
                          lambda: _write(config_path, config_text, 0o640)))
    steps.append(Step(f"let group {opts.user} read {opts.etc_dir}", None,
                      ("chown", "-R", f"root:{opts.user}", str(opts.etc_dir))))
    unit = render_unit((REPO / "systemd" / UNIT_NAME).read_text(encoding="utf-8"), opts.app_dir, opts)
    unit_path = t(opts.unit_dir / UNIT_NAME)
    steps.append(Step(f"install {unit_path}", lambda: _write(unit_path, unit, 0o644)))
    dropin = t(opts.unit_dir / f"{UNIT_NAME}.d" / "network.conf")
    if opts.allow:
        steps.append(Step(f"allow LAN ranges {', '.join(opts.allow)} in {dropin}",
                          lambda: _write(dropin, network_dropin(opts.allow), 0o644)))
    wants = t(opts.unit_dir / "multi-user.target.wants" / UNIT_NAME)
    steps.append(Step(f"enable: {wants} -> {opts.unit_dir / UNIT_NAME}",
                      lambda: _symlink(wants, opts.unit_dir / UNIT_NAME)))
    if opts.root is None and not _systemd_running():
        steps.append(Step("systemd is not running here: skip daemon-reload/start (it starts at next boot)"))
    else:
        steps.append(Step("reload systemd units", None, ("systemctl", "daemon-reload")))
        if opts.start:
            steps.append(Step("(re)start the service", None, ("systemctl", "restart", UNIT_NAME)))
    return steps


def _mkdir(path: Path, mode: int) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)


def _write(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(mode)
    tmp.replace(path)


def _symlink(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def warnings(opts: Options) -> list[str]:
    notes = []
    app = opts.app_dir.resolve()
    if app.parts[:2] in (("/", "home"), ("/", "root")):
        notes.append(f"{app} is under /home or /root, which ProtectHome=yes hides from the service: "
                     "move the appliance (e.g. to /opt/receptionist) or use --app-dir")
    if not (app / ".venv" / "bin" / "receptionist").exists():
        notes.append(f"{app}/.venv/bin/receptionist is missing: run scripts/setup first")
    return notes


def execute(steps: list[Step], opts: Options, echo: Callable[[str], None] = print) -> None:
    for step in steps:
        if opts.dry_run:
            echo(f"would: {step.description}" + (f"  [{' '.join(step.command)}]" if step.command else ""))
        elif step.action is not None:
            step.action()
            echo(f"done:  {step.description}")
        elif not step.command:
            echo(f"note:  {step.description}")
        elif opts.root is not None:
            echo(f"skip:  {step.description} (--root: run `{' '.join(step.command)}` on the target)")
        elif shutil.which(step.command[0]) is None:
            echo(f"skip:  {step.description} ({step.command[0]} not found)")
        else:
            subprocess.run(step.command, check=True)
            echo(f"done:  {step.description}")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="install-service", description=__doc__.split("\n\n")[0],
                                epilog="Example: scripts/install-service --allow 192.168.1.0/24 --start",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dry-run", action="store_true", help="print what would be done; change nothing")
    p.add_argument("--root", type=Path, help="install into this folder (an image or test root); no commands run")
    p.add_argument("--app-dir", type=Path, default=REPO, help="where the appliance lives (default: this checkout)")
    p.add_argument("--config", type=Path, default=REPO / "config.toml", help="bundled config to start from")
    p.add_argument("--user", default="receptionist", help="service user (default: receptionist)")
    p.add_argument("--data-dir", type=Path, default=Path("/var/lib/receptionist"))
    p.add_argument("--allow", action="append", default=[], metavar="CIDR",
                   help="a LAN range the service may reach besides loopback (repeatable)")
    p.add_argument("--start", action="store_true", help="(re)start the service after installing")
    p.add_argument("--force-config", action="store_true", help="overwrite an existing /etc/receptionist/config.toml")
    args = p.parse_args(argv)
    try:
        allow = tuple(str(ipaddress.ip_network(a, strict=False)) for a in args.allow)
    except ValueError as exc:
        p.error(f"--allow: {exc}")
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", args.user):
        p.error(f"--user: not a valid user name: {args.user!r}")
    opts = Options(app_dir=args.app_dir.resolve(), source_config=args.config, root=args.root, dry_run=args.dry_run,
                   user=args.user, data_dir=args.data_dir, allow=allow, start=args.start,
                   force_config=args.force_config)
    if not opts.dry_run and opts.root is None and os.geteuid() != 0:
        print("install-service: run as root (or try --dry-run, or --root DIR)", file=sys.stderr)
        return 2
    try:
        steps = plan(opts)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        print(f"install-service: {exc}", file=sys.stderr)
        return 1
    for note in warnings(opts):
        print(f"warning: {note}", file=sys.stderr)
    try:
        execute(steps, opts)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"install-service: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
