"""`receptionist models list|install`: what is installed, for which role and language, and from where."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from receptionist.cli.context import console, json_option, print_json
from receptionist.modelpack.catalog import dropped_in
from receptionist.modelpack.install import file_state, install
from receptionist.modelpack.manifest import DEFAULT_MODELS_DIR, load_manifest


def _models_dir(path: str | None) -> Path:
    return Path(path) if path else DEFAULT_MODELS_DIR


@click.group()
def models() -> None:
    """Model files (assembled from registry packages, never from a model hub).

    \b
    Example:
      receptionist models list
    """


@models.command("list")
@click.option("--models-dir", default=None, help="Models folder (default: the bundled models/).")
@json_option
@click.pass_context
def list_models(ctx: click.Context, models_dir: str | None, as_json: bool) -> None:
    """Show every model: role, languages, state, size, where it comes from, and whether config uses it.

    Besides the packaged models, whatever an operator dropped into the folder is listed too: a larger
    Whisper (CTranslate2 folder), another GGUF language model, a Piper voice.

    \b
    Example:
      receptionist models list --json
    """
    folder = _models_dir(models_dir)
    used = _in_use(ctx)
    rows = []
    manifest = load_manifest(folder)
    for m in manifest:
        st = file_state(m, folder)
        rows.append({
            "id": m.id, "role": m.role, "languages": list(m.languages), "file": m.dest,
            "state": "verified" if st.verified else ("present" if st.present else "missing"),
            "bytes": st.path.stat().st_size if st.present else None,
            "source": list(m.packages), "licence": m.licence,
            "in_use": _selected(folder / m.dest, used),
        })
    for found in dropped_in(folder, known=[folder / m.dest for m in manifest]):
        rows.append({"id": found.path.stem if found.path.is_file() else found.path.name, "role": found.role,
                     "languages": [], "file": found.path.relative_to(folder).as_posix(),
                     "state": f"unusable: {found.problem}" if found.problem else "present", "bytes": found.bytes,
                     "source": ["dropped in by the operator"], "licence": "", "detail": found.detail,
                     "in_use": found.path.resolve() in used})
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Models in {folder}")
    for col in ("id", "role", "languages", "file", "state", "MB", "from", "in use"):
        table.add_column(col)
    for r in rows:
        mb = f"{r['bytes'] / 1e6:.1f}" if r["bytes"] else "-"
        source = r["source"][0] + (f" (+{len(r['source']) - 1} parts)" if len(r["source"]) > 1 else "")
        table.add_row(r["id"], r["role"], ",".join(r["languages"]) or "-", r["file"], r["state"], mb, source,
                      "yes" if r["in_use"] else "")
    console().print(table)
    if any(r["state"] == "missing" for r in rows):
        raise SystemExit(1)


@models.command("install")
@click.option("--models-dir", default=None, help="Models folder (default: the bundled models/).")
@click.option("--role", multiple=True, type=click.Choice(["vad", "turn", "stt", "tts", "llm"]), help="Only these roles.")
def install_models(models_dir: str | None, role: tuple[str, ...]) -> None:
    """Assemble missing model files from their registry packages and verify them (sha256).

    \b
    Example:
      receptionist models install --role llm
    """
    try:
        install(_models_dir(models_dir), roles=set(role) or None, progress=lambda s: click.echo(s))
    except RuntimeError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None


def _selected(path: Path, used: set[Path]) -> bool:
    """Whether config uses this file: itself, its Whisper folder, or the Piper voice its .onnx.json belongs to."""
    path = path.resolve()
    voice = path.with_name(path.name[:-len(".json")]) if path.name.endswith(".onnx.json") else path
    return path in used or path.parent in used or voice in used


def _in_use(ctx: click.Context) -> set[Path]:
    """The model files and folders the configuration selects (empty without a readable config file)."""
    from receptionist.config.app import load_config
    from receptionist.errors import ConfigError

    path = Path((ctx.find_root().obj or {}).get("config_path", "config.toml"))
    try:
        config = load_config(path)
    except (ConfigError, OSError):
        return set()
    used = {config.voice.stt.model_dir, config.voice.vad.model_path, config.voice.turn.model_path}
    if config.llm.enabled:
        used.add(config.llm.model_path)
    used |= {v.model for v in config.voice.tts.voices.values() if v.model is not None}
    return {p.resolve() for p in used}


COMMANDS = [models]
