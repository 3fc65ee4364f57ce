"""Word tables shared by the extractors, read from every language folder's lexicon.toml (see
receptionist/lang), plus two tiny helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from receptionist import lang as langdata

WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words, 'ё' folded to 'е'."""
    return [w.lower().replace("ё", "е").replace("’", "'") for w in WORD_RE.findall(text)]


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation, longest first so that prefixes do not shadow longer forms (then in
    alphabetical order, so that the pattern is the same whatever order the forms came in)."""
    return "|".join(sorted({re.escape(f) for f in forms}, key=lambda f: (-len(f), f)))


# Month stems (lexicon.toml `month_stems`): a month word matches when it *starts with* one of these
# (stem + case ending), except the short forms in MONTH_EXACT (`month_exact`) which must match whole.
MONTH_STEMS: Mapping[int, tuple[str, ...]] = {
    month: tuple(dict.fromkeys(s for _, stems in langdata.per_language("lexicon", "month_stems") for s in stems[month - 1]))
    for month in range(1, 13)
}
MONTH_EXACT: Mapping[str, int] = langdata.merged_table("lexicon", "month_exact")


def month_of(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if w in MONTH_EXACT:
        return MONTH_EXACT[w]
    for month, stems in MONTH_STEMS.items():
        if any(w.startswith(s) for s in stems):
            return month
    return None


# A regex fragment matching one month word (validated again with month_of()).
MONTH_RE = (
    r"(?:" + alternation(s for stems in MONTH_STEMS.values() for s in stems) + r")[^\W\d_]*\.?"
    r"|(?:" + alternation(MONTH_EXACT) + r")\b\.?"
)

# Weekday word stems, Monday = 0 (lexicon.toml `weekday_stems`).
WEEKDAY_STEMS: Mapping[int, tuple[str, ...]] = {
    day: tuple(dict.fromkeys(s for _, stems in langdata.per_language("lexicon", "weekday_stems") for s in stems[day]))
    for day in range(7)
}


def weekday_of(word: str) -> int | None:
    w = word.lower()
    for day, stems in WEEKDAY_STEMS.items():
        for s in stems:
            if (len(s) <= 3 and w == s) or (len(s) > 3 and w.startswith(s)):
                return day
    return None


# Cardinal numbers as words (lexicon.toml `number_words`, with the case forms that follow "for"/"-ks"/"на").
NUMBER_WORDS: Mapping[str, int] = langdata.merged_table("lexicon", "number_words")

# Digits only, for spelled-out phone numbers ("five one two ..."), less the articles (`not_digit_words`).
DIGIT_WORDS: Mapping[str, str] = {
    w: str(n) for w, n in NUMBER_WORDS.items() if n <= 9 and w not in langdata.merged_list("lexicon", "not_digit_words")
}

# Genitive ordinals naming the coming hour, for "в половине третьего" (= 2:30) (times.toml `hour_ordinals`).
RU_ORDINAL_GEN: Mapping[str, int] = langdata.merged_table("times", "hour_ordinals")


def number_of(token: str) -> int | None:
    t = token.lower().replace("ё", "е")
    if t.isdigit():
        return int(t)
    return NUMBER_WORDS.get(t)
