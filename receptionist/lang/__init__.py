"""Language data: one folder per language (`receptionist/lang/<code>/*.toml`), read by one loader.

A folder holds the words code must never spell: number words, name cues, words that are never
names, and so on. Each file is a TOML table; `data(lang)` merges the folder's files into one
mapping keyed by file stem (`data("et")["numbers"]["engine"]`). Adding a language means adding a
folder (and its reply templates); `folders()` lists what is installed.

Errors: `UnknownLanguage` (a `ValueError`) when the folder does not exist.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent
_extra_roots: list[Path] = []


class UnknownLanguage(ValueError):
    """No data folder for this language code."""


def add_root(path: Path) -> None:
    """Also look for language folders under `path` (an operator's or a test's own languages)."""
    if path not in _extra_roots:
        _extra_roots.insert(0, path)
        data.cache_clear()


def _folder(lang: str) -> Path:
    for root in (*_extra_roots, ROOT):
        folder = root / lang
        if folder.is_dir() and any(folder.glob("*.toml")):
            return folder
    raise UnknownLanguage(f"no language data for {lang!r} (expected a folder receptionist/lang/{lang}/)")


def folders() -> list[str]:
    """The language codes that have a data folder."""
    found = {p.name for root in (*_extra_roots, ROOT) if root.is_dir()
             for p in root.iterdir() if p.is_dir() and any(p.glob("*.toml"))}
    return sorted(found)


@lru_cache(maxsize=None)
def data(lang: str) -> Mapping[str, Any]:
    """All TOML files of one language folder, by file stem (read once, then cached)."""
    folder = _folder(lang)
    merged: dict[str, Any] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            merged[path.stem] = tomllib.load(fh)
    return MappingProxyType(merged)


def section(lang: str, name: str) -> Mapping[str, Any]:
    """One file of a language folder (empty when the language has no such file)."""
    return data(lang).get(name, {})


# ---------------------------------------------------------------- readers that merge all installed languages
# The extractors run every language's words together (a misdetected language still parses), so most
# readers below merge one key of one file over `folders()`, in folder order (en, et, ru, then others).


def merged_list(name: str, key: str) -> tuple[Any, ...]:
    """One list key of file `name` from every installed folder, concatenated in folder order, each
    item once (first occurrence kept). Folders without the file or key add nothing."""
    out: dict[Any, None] = {}
    for code in folders():
        for item in section(code, name).get(key, ()):
            out.setdefault(item, None)
    return tuple(out)


def merged_table(name: str, key: str) -> dict[str, Any]:
    """One table key of file `name` from every installed folder, merged in folder order (an entry
    already given by an earlier folder is kept)."""
    out: dict[str, Any] = {}
    for code in folders():
        for k, v in section(code, name).get(key, {}).items():
            out.setdefault(k, v)
    return out


def per_language(name: str, key: str) -> list[tuple[str, Any]]:
    """(language code, value) of one key of file `name`, for each installed folder that has it."""
    return [(code, section(code, name)[key]) for code in folders() if key in section(code, name)]
