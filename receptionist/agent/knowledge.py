"""Per-tenant knowledge base: FAQ entries in data files, found by multilingual keyword stems.

A file `knowledge/<tenant>/*.toml` holds entries:

    [[entry]]
    id = "vaccinations"
    title = "Vaccinations required for a stay"         # English, shown to the LLM as the topic list
    keywords.en = ["vaccin", "shots", "rabies"]         # stems: "vaccin" matches vaccine, vaccinated
    keywords.et = ["vaktsin", "marutaud"]
    keywords.ru = ["прививк", "вакцин"]
    answer.en = "…"                                     # the reply, in as many languages as written
    answer.et = "…"

An entry may instead say `fact = "prices"`: its answer is rendered by code from the configuration,
so a price can never drift from the calendar's.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from receptionist.errors import ConfigError

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
FACTS = ("prices", "hours")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    keywords: Mapping[str, tuple[str, ...]]
    answers: Mapping[str, str]
    fact: str | None = None

    def answer(self, lang: str, fallback: str) -> tuple[str | None, str | None]:
        """The answer text in `lang` if written, else in `fallback`, and which language it is in."""
        for candidate in (lang, fallback, *self.answers):
            if candidate in self.answers:
                return self.answers[candidate], candidate
        return None, None


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    entries: tuple[Entry, ...] = ()

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    def search(self, text: str) -> Entry | None:
        """The entry whose keyword stems best cover the text (any language), or None."""
        lowered = text.lower().replace("ё", "е")
        words = _WORD.findall(lowered)
        best: tuple[float, Entry] | None = None
        for entry in self.entries:
            score = 0.0
            for stems in entry.keywords.values():
                for stem in stems:
                    if " " in stem:
                        hit = stem in lowered
                    else:
                        hit = any(w.startswith(stem) for w in words)
                    if hit:
                        score += 1.0 + len(stem) / 100  # longer stems are more specific
            if score > 0 and (best is None or score > best[0]):
                best = (score, entry)
        return best[1] if best else None


def load_knowledge(folder: Path | None) -> KnowledgeBase:
    if folder is None:
        return KnowledgeBase()
    if not folder.is_dir():
        raise ConfigError(f"knowledge folder {folder} does not exist")
    entries: list[Entry] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        for i, raw in enumerate(data.get("entry", [])):
            where = f"{path.name} entry[{i}]"
            if not isinstance(raw.get("id"), str):
                raise ConfigError(f"{where}: id is required")
            fact = raw.get("fact")
            if fact is not None and fact not in FACTS:
                raise ConfigError(f"{where}: fact must be one of {', '.join(FACTS)}")
            answers = {k: str(v).strip() for k, v in (raw.get("answer") or {}).items()}
            if not answers and fact is None:
                raise ConfigError(f"{where}: an answer in at least one language is required")
            keywords = {k: tuple(s.lower().replace("ё", "е") for s in v)
                        for k, v in (raw.get("keywords") or {}).items()}
            entries.append(Entry(raw["id"], str(raw.get("title", raw["id"])), keywords, answers, fact))
    ids = [e.id for e in entries]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ConfigError(f"knowledge folder {folder}: duplicate entry ids {sorted(dupes)}")
    return KnowledgeBase(tuple(entries))
