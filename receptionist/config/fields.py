"""Typed, validated reads from a parsed TOML table; every error names the full key.

    s = Section(toml_dict, "vad")
    s.int("min_silence_ms", 500, lo=100, hi=3000)   # -> "vad.min_silence_ms must be 100..3000 (got 50)"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from receptionist.errors import ConfigError

_MISSING: Any = object()


class Section:
    def __init__(self, data: Mapping[str, Any] | None, path: str = "", base_dir: Path | None = None) -> None:
        if data is not None and not isinstance(data, Mapping):
            raise ConfigError(f"{path or 'config'} must be a table")
        self.data: Mapping[str, Any] = data or {}
        self.path = path
        self.base_dir = base_dir or Path(".")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = _MISSING) -> Any:
        if name in self.data:
            return self.data[name]
        if default is _MISSING:
            raise ConfigError(f"{self.key(name)} is required")
        return default

    def str(self, name: str, default: Any = _MISSING, *, choices: Sequence[str] | None = None,
            nonempty: bool = True) -> str:
        value = self.raw(name, default)
        if not isinstance(value, str):
            raise ConfigError(f"{self.key(name)} must be a string (got {value!r})")
        if nonempty and not value.strip():
            raise ConfigError(f"{self.key(name)} must not be empty")
        if choices is not None and value not in choices:
            raise ConfigError(f"{self.key(name)} must be one of {', '.join(choices)} (got {value!r})")
        return value

    def opt_str(self, name: str) -> str | None:
        return self.str(name) if name in self.data else None

    def int(self, name: str, default: Any = _MISSING, *, lo: int | None = None, hi: int | None = None) -> int:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{self.key(name)} must be an integer (got {value!r})")
        _check_range(self.key(name), value, lo, hi)
        return value

    def float(self, name: str, default: Any = _MISSING, *, lo: float | None = None,
              hi: float | None = None) -> float:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{self.key(name)} must be a number (got {value!r})")
        _check_range(self.key(name), value, lo, hi)
        return float(value)

    def bool(self, name: str, default: Any = _MISSING) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{self.key(name)} must be true or false (got {value!r})")
        return value

    def str_list(self, name: str, default: Any = _MISSING, *, choices: Sequence[str] | None = None,
                 nonempty: bool = False) -> tuple[str, ...]:
        value = self.raw(name, default)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{self.key(name)} must be a list of strings (got {value!r})")
        if nonempty and not value:
            raise ConfigError(f"{self.key(name)} must not be empty")
        if choices is not None:
            bad = [v for v in value if v not in choices]
            if bad:
                raise ConfigError(f"{self.key(name)} may only contain {', '.join(choices)} (got {bad[0]!r})")
        return tuple(value)

    def path_value(self, name: str, default: Any = _MISSING) -> Path | None:
        """A filesystem path; relative paths are taken from the config file's folder."""
        value = self.raw(name, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{self.key(name)} must be a path string (got {value!r})")
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    def secret(self, name: str) -> str | None:
        """A secret given inline as `name` or, preferably, in a file named by `name_file`."""
        file_key = f"{name}_file"
        if file_key in self.data:
            p = self.path_value(file_key)
            assert p is not None
            try:
                return p.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"{self.key(file_key)}: cannot read {p} ({exc.strerror})") from None
        return self.opt_str(name)

    def section(self, name: str) -> "Section":
        value = self.data.get(name, {})
        return Section(value, self.key(name), self.base_dir)

    def sections(self, name: str) -> list["Section"]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            raise ConfigError(f"{self.key(name)} must be an array of tables ([[{self.key(name)}]])")
        return [Section(v, f"{self.key(name)}[{i}]", self.base_dir) for i, v in enumerate(value)]

    def table(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, Mapping):
            raise ConfigError(f"{self.key(name)} must be a table")
        return dict(value)

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for k in self.data:
            if k not in allowed:
                raise ConfigError(f"{self.key(k)} is not a known setting (known: {', '.join(sorted(allowed))})")


def _check_range(key: str, value: float, lo: float | None, hi: float | None) -> None:
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        lo_s = "" if lo is None else lo
        hi_s = "" if hi is None else hi
        raise ConfigError(f"{key} must be {lo_s}..{hi_s} (got {value})")
