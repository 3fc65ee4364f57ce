"""Language data: one folder per language (`receptionist/lang/<code>/*.toml`), read by one loader.

A folder holds the words code must never spell: number words, name cues, words that are never
names, and so on. Each file is a TOML table; `data(lang)` merges the folder's files into one
mapping keyed by file stem (`data("et")["numbers"]["engine"]`). Adding a language means adding a
folder (here, or under a directory named in `[agent] language_dirs`) and naming it in a tenant's
`languages`; `folders()` lists what is installed.

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
    """Also look for language folders under `path` (an operator's or a test's own languages; the
    config key `[agent] language_dirs` calls this at load). A folder there overrides a built-in one
    of the same code. Tables that modules build at import (the extractors') see only the folders
    installed at that moment; reply templates, the language detector and config validation read
    the folders when they are used."""
    path = Path(path)
    if path not in _extra_roots:
        _extra_roots.insert(0, path)
        data.cache_clear()


def remove_root(path: Path) -> None:
    """Forget a root added with `add_root` (a test cleaning up after itself)."""
    path = Path(path)
    if path in _extra_roots:
        _extra_roots.remove(path)
        data.cache_clear()


def _folder(lang: str) -> Path:
    for root in (*_extra_roots, ROOT):
        folder = root / lang
        if folder.is_dir() and any(folder.glob("*.toml")):
            return folder
    raise UnknownLanguage(f"no language data for {lang!r} (expected a folder receptionist/lang/{lang}/)")


def folders(*, builtin: bool = False) -> list[str]:
    """The language codes that have a data folder (only the ones shipped in receptionist/lang/ when
    `builtin`), sorted."""
    roots = (ROOT,) if builtin else (*_extra_roots, ROOT)
    found = {p.name for root in roots if root.is_dir()
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
