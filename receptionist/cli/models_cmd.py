"""`receptionist models list|install`: what is installed, for which role and language, and from where."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from receptionist.cli.context import console, json_option, print_json
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
def list_models(models_dir: str | None, as_json: bool) -> None:
    """Show every model file: role, languages, state, size and the packages it comes from.

    \b
    Example:
      receptionist models list --json
    """
    folder = _models_dir(models_dir)
    rows = []
    for m in load_manifest(folder):
        st = file_state(m, folder)
        rows.append({
            "id": m.id, "role": m.role, "languages": list(m.languages), "file": m.dest,
            "state": "verified" if st.verified else ("present" if st.present else "missing"),
            "bytes": st.path.stat().st_size if st.present else None,
            "source": list(m.packages), "licence": m.licence,
        })
    extra = sorted(p.relative_to(folder).as_posix() for p in folder.glob("*/*.onnx")
                   if p.relative_to(folder).as_posix() not in {r["file"] for r in rows})
    for name in extra:  # operator-supplied voices (e.g. a ru_RU Piper voice dropped into models/piper/)
        rows.append({"id": Path(name).stem, "role": "tts", "languages": [], "file": name, "state": "present",
                     "bytes": (folder / name).stat().st_size, "source": ["dropped in by the operator"], "licence": ""})
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Models in {folder}")
    for col in ("id", "role", "languages", "file", "state", "MB", "from"):
        table.add_column(col)
    for r in rows:
        mb = f"{r['bytes'] / 1e6:.1f}" if r["bytes"] else "-"
        source = r["source"][0] + (f" (+{len(r['source']) - 1} parts)" if len(r["source"]) > 1 else "")
        table.add_row(r["id"], r["role"], ",".join(r["languages"]) or "-", r["file"], r["state"], mb, source)
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


COMMANDS = [models]
