"""Which of a few options the caller mentions, tolerant of inflection ("koerale", "кошку", "кота").

An alias matches a word that equals it, or that starts with it (or with its stem: the alias less
a final vowel) followed by a short case ending. Aliases of three letters or fewer accept only a
known ending ("cats", "кота"), so "cat" never matches "catch". Multi-word aliases match as phrases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import words

# Data from every language folder's choices.toml (stem vowels: lexicon.toml), merged (see receptionist/lang).
_SHORT_ENDINGS = frozenset(langdata.merged_list("choices", "short_endings")) | {""}
_STEM_VOWELS = "".join(dict.fromkeys("".join(v for _, v in langdata.per_language("lexicon", "stem_vowels"))))
# Words that merely start like an alias ("kassa" is a till, not a cat).
FALSE_FRIENDS = frozenset(langdata.merged_list("choices", "false_friends"))

PET_ALIASES: Mapping[str, tuple[str, ...]] = {
    option: tuple(dict.fromkeys(alias for _, table in langdata.per_language("choices", "pet_aliases")
                                for alias in table.get(option, ())))
    for option in dict.fromkeys(o for _, table in langdata.per_language("choices", "pet_aliases") for o in table)
}


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def _word_matches(alias: str, token: str) -> bool:
    if token == alias:
        return True
    if token in FALSE_FRIENDS:
        return False
    if len(alias) <= 3:
        return token.startswith(alias) and token[len(alias):] in _SHORT_ENDINGS
    stems = {alias, alias.rstrip(_STEM_VOWELS)}
    if len(alias) >= 7:  # Estonian -mine/-mise/-mist, Russian -ция/-ции/-цию: drop two letters
        stems.add(alias[:-2])
    return any(len(s) >= 3 and token.startswith(s) and len(token) - len(s) <= 4 for s in stems)


def _mentions(alias: str, tokens: list[str]) -> bool:
    parts = [_fold(p) for p in alias.split()]
    if len(parts) == 1:
        return any(_word_matches(parts[0], t) for t in tokens)
    n = len(parts)
    return any(
        all(_word_matches(p, t) for p, t in zip(parts, tokens[i : i + n])) for i in range(len(tokens) - n + 1)
    )


_NEGATIONS = tuple(tuple(_fold(w) for w in words(n)) for n in langdata.merged_list("choices", "negations"))


def _negated(tokens: list[str], i: int) -> bool:
    """Whether a negation ends within the two words before tokens[i] ("not a dog", "mitte koer")."""
    for negation in _NEGATIONS:
        n = len(negation)
        if any(tuple(tokens[j - n:j]) == negation for j in range(max(n, i - 1), i + 1)):
            return True
    return False


def _affirmed(alias: str, tokens: list[str]) -> bool:
    """`alias` occurs at least once without a negation right before it."""
    parts = [_fold(p) for p in alias.split()]
    n = len(parts)
    if n > 1 and any(_word_matches("".join(parts), t) and not _negated(tokens, i) for i, t in enumerate(tokens)):
        return True  # written as one word: "catroom", "flushot" (speech recognition, hasty typing)
    return any(all(_word_matches(p, t) for p, t in zip(parts, tokens[i:i + n])) and not _negated(tokens, i)
               for i in range(len(tokens) - n + 1))


def match_choice(text: str, lang: str, options: Mapping[str, Sequence[str]]) -> str | None:
    """The one option id whose aliases (or id) occur in `text`; None when none or several do. An
    option only named negated ("a cat, not a dog", "kass, mitte koer", "а не собака") does not count."""
    tokens = [_fold(w) for w in words(text)]
    hits = [
        option
        for option, aliases in options.items()
        if any(_affirmed(alias, tokens) for alias in (*aliases, option))
    ]
    return hits[0] if len(hits) == 1 else None


def pet_type(text: str, lang: str = "en") -> str | None:
    """"dog", "cat" or None (absent, or both mentioned)."""
    return match_choice(text, lang, PET_ALIASES)
