"""The restaurant's words, read from each language folder (lang/<code>/profile_table.toml): the party
size said ("table for 4", "4 inimesele", "на 4 человек") and "nothing to add" at the dietary question."""

from __future__ import annotations

import re
from functools import lru_cache

from receptionist import lang as langdata


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    found = [p for code in langdata.folders() for p in langdata.section(code, "profile_table").get("party", {})
             .get("patterns", ())]
    return tuple(re.compile(p, re.IGNORECASE) for p in found)


def nothing_to_add(text: str) -> bool:
    """The caller has nothing to add ("nothing", "ei midagi", "ничего"): the words of the language folders."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
    nothing = {w for code in langdata.folders() for w in langdata.section(code, "profile_table").get("party", {})
               .get("nothing", ())}
    return bool(words) and words <= nothing


def party_size(text: str) -> int | None:
    """The number of guests said ("table for 4", "4 inimesele", "на 4 человек"), digits already spelled."""
    for pattern in _patterns():
        if m := pattern.search(text):
            size = int(m[1])
            if 1 <= size <= 99:
                return size
    return None
