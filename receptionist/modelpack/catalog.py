"""Models an operator dropped into models/ beside the packaged ones (models/manifest.json).

A larger Whisper (small, medium, large-v3-turbo) converted for CTranslate2 is a folder with `model.bin`,
`config.json` and `tokenizer.json` (+ `vocabulary.*`, `preprocessor_config.json`); another language model
is a `.gguf` file; another voice a Piper `.onnx` with its `.onnx.json`. They are found by shape, up to two
folders deep, and described without loading them (`models list`, `doctor`); config selects one
([stt] model_dir, [llm] model_path, [tts.<lang>] model).

    for m in dropped_in(Path("models")): print(m.role, m.path, m.detail, m.problem)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

WHISPER_FILES = ("model.bin", "config.json", "tokenizer.json")
_MAX_DEPTH = 2


@dataclass(frozen=True, slots=True)
class FoundModel:
    """One model outside the manifest. `path`: the folder (stt) or file (llm, tts); `detail`: what it is
    in words; `problem`: why it cannot work as it is ("" when none); `multilingual`: for Whisper, whether it
    knows languages other than English (None when not a Whisper model)."""

    role: str  # "stt" | "llm" | "tts"
    path: Path
    bytes: int
    detail: str
    problem: str = ""
    multilingual: bool | None = None


def whisper_model(folder: Path) -> FoundModel:
    """A CTranslate2 Whisper folder described from its files: multilingual or English only (config.json
    `lang_ids`), mel bins (preprocessor_config.json, else 80 and corrected at load), what is missing."""
    folder = Path(folder)
    missing = [name for name in WHISPER_FILES if not (folder / name).is_file()]
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0
    if "model.bin" in missing or "config.json" in missing:
        return FoundModel("stt", folder, size, "Whisper (CTranslate2)", f"missing {', '.join(missing)}")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return FoundModel("stt", folder, size, "Whisper (CTranslate2)", f"config.json unreadable: {exc}")
    multilingual = bool(config.get("lang_ids"))
    mels = _mel_bins(folder)
    detail = f"Whisper (CTranslate2), {'multilingual' if multilingual else 'English only'}" + (
        f", {mels} mel bins" if mels else "")
    problem = ""
    if missing:  # without tokenizer.json faster-whisper would try to fetch it from a model hub
        problem = f"missing {', '.join(missing)} (copy it from the model's original folder)"
    return FoundModel("stt", folder, size, detail, problem, multilingual)


def gguf_model(path: Path) -> FoundModel:
    """A GGUF language model file: checked by its magic bytes only."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            magic = f.read(4)
        size = path.stat().st_size
    except OSError as exc:
        return FoundModel("llm", path, 0, "GGUF", f"unreadable: {exc}")
    problem = "" if magic == b"GGUF" else "not a GGUF file (wrong magic bytes)"
    return FoundModel("llm", path, size, "GGUF language model (llama.cpp)", problem)


def piper_voice(path: Path) -> FoundModel:
    """A Piper voice: the .onnx file and its .onnx.json beside it."""
    path = Path(path)
    problem = "" if Path(f"{path}.json").is_file() else f"missing {path.name}.json beside it"
    size = path.stat().st_size if path.is_file() else 0
    return FoundModel("tts", path, size, "Piper voice", problem)


def dropped_in(models_dir: Path, known: Iterable[Path] = ()) -> list[FoundModel]:
    """Every model under `models_dir` (two folders deep at most) that is not one of `known` (the manifest's
    files, or their folders, as paths under `models_dir`), sorted by role and path. Paths are compared as
    written, not through symlinks: a linked copy under another name counts as dropped in."""
    root = Path(models_dir)
    skip = {Path(os.path.abspath(p)) for p in known}
    found: list[FoundModel] = []
    for path in sorted(_walk(root)):
        resolved = Path(os.path.abspath(path))
        if path.is_dir() and (path / "model.bin").exists() and resolved not in skip \
                and resolved / "model.bin" not in skip:
            found.append(whisper_model(path))
        elif path.is_file() and path.suffix == ".gguf" and resolved not in skip:
            found.append(gguf_model(path))
        elif path.is_file() and path.suffix == ".onnx" and Path(f"{path}.json").is_file() and resolved not in skip:
            found.append(piper_voice(path))
    return sorted(found, key=lambda m: (m.role, str(m.path)))


def _walk(root: Path, depth: int = 0) -> Iterable[Path]:
    if not root.is_dir() or depth > _MAX_DEPTH:
        return
    for child in root.iterdir():
        if child.name.startswith("."):
            continue
        yield child
        if child.is_dir():
            yield from _walk(child, depth + 1)


def _mel_bins(folder: Path) -> int | None:
    try:
        data = json.loads((folder / "preprocessor_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("feature_size")
    return int(value) if isinstance(value, int) else None
