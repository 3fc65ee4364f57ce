"""Corrections in the same breath: "kassi nimi on Mona, ei, vabandust, Moona", "one nine oh two, no
wait, one nine two oh", "девятнадцать ноль два, ой, нет, девятнадцать двадцать", "neljandal, ei,
mitte neljandal, vaid viiendal".

A self-repair has three parts (Levelt 1983, "Monitoring and self-repair in speech", Cognition 14):
the reparandum (what is taken back), an editing term (the marker: "no wait", "ei, vabandust",
"ой, нет") and the repair. The repair's first chunk shows what kind of thing is replaced; the same
amount of that kind is taken out just before the marker:

- digits replace as many digits ("1902, no wait, 1920" -> "1920"; "5 3 7 7 1 9 0 2, oot, ei, 1 9 2 0"
  -> "5 3 7 7 1 9 2 0"), so a phone number is corrected digit group by digit group;
- a negation ("mitte", "not", "не") that names the last word before the marker again takes it back
  ("neljandal, ei, mitte neljandal, vaid viiendal" -> "mitte neljandal, vaid viiendal", which the
  date rules read as the fifth);
- a capitalised word replaces a capitalised last word ("Mona, ei, vabandust, Moona" -> "Moona");
- anything else is no repair we can read, and the text stays as said ("see on kallim. Ei, jätame").

Only the last marker counts, and only when something comes before it (an utterance that starts with
"no, ..." answers a question; that is yes/no, not a repair). Markers and negations: every language
folder's repairs.toml.
"""

from __future__ import annotations

import re

from receptionist import lang as langdata
from receptionist.agent.extract.numbers import spell_numbers

_MARKER = re.compile("|".join(f"(?:{p})" for p in langdata.merged_list("repairs", "markers")) or r"(?!x)x")
_NEGATIONS = frozenset(langdata.merged_list("repairs", "negations"))
_DIGIT_CHUNK = re.compile(r"\+?\d[\d\s\-]*")
_LAST_WORD = re.compile(r"[^\s,]+[\s,.;:!?–—-]*$")


def repaired(text: str) -> str:
    """`text` with the words a same-breath correction takes back left out, and its marker too; the
    text unchanged when it holds no repair. Works on raw text and on text whose number words are
    already digits (see the module docstring)."""
    last = None
    for m in _MARKER.finditer(text.lower()):
        last = m
    if last is None:
        return text
    before, after = text[: last.start()], text[last.end():].lstrip(" ,")
    if not re.search(r"\w", before) or not re.search(r"\w", after):
        return text
    if (chunk := _DIGIT_CHUNK.match(after)) and re.search(r"\d[\s,.\-]*$", before):
        before = _without_last_digits(before, len(re.sub(r"\D", "", chunk[0])))
    elif chunk:  # "alates 10. detsembrist, ei, vabandust, 11. detsembrist kuni ...": as many words as match
        before = _without_aligned(before, after)
    elif _DIGIT_CHUNK.match(spell_numbers(after)):
        return text  # digits still as words: repaired once they are digits (the text with words keeps them)
    elif _replaces_last_word(before, after):
        before = _LAST_WORD.sub("", before.rstrip())
    else:
        return text  # "see on kallim, kui arvasin. Ei, jätame praegu": a "no", not a repair
    return f"{before.rstrip(' ,')} {after}".strip()


def _replaces_last_word(before: str, after: str) -> bool:
    """Whether the repair replaces the last word before the marker: a capitalised word another one
    ("Mona, ei, vabandust, Moona"), or a negation naming that word again ("neljandal, ei, mitte
    neljandal, vaid viiendal")."""
    old = before.split()[-1].strip(",.;:!?") if before.split() else ""
    new = after.split()
    if not old or not new:
        return False
    if new[0].lower().strip(",.") in _NEGATIONS:
        return len(new) > 1 and new[1].strip(",.").lower() == old.lower()
    return old[:1].isupper() and new[0][:1].isupper() and old[:1].isalpha() and new[0][:1].isalpha()


def _without_aligned(before: str, after: str) -> str:
    """`before` less its last k words, k the most (up to 4) that line up with the first words of
    `after`: a number with a number, any other word only with the same word ("10. detsembrist" is
    taken back by "11. detsembrist")."""
    old, new = before.split(), after.split()
    best = 0
    for k in range(1, min(4, len(old), len(new)) + 1):
        pairs = zip(old[-k:], new[:k])
        if all(bool(re.search(r"\d", a)) == bool(re.search(r"\d", b)) and (re.search(r"\d", a)
               or a.lower().strip(",.") == b.lower().strip(",.")) for a, b in pairs):
            best = k
    return " ".join(old[:-best]) if best else before


def _without_last_digits(text: str, n: int) -> str:
    """`text` less its last `n` digits and the separators between them (never reaching a letter)."""
    i = len(text)
    while n > 0 and i > 0:
        i -= 1
        ch = text[i]
        if ch.isdigit():
            n -= 1
        elif not (ch.isspace() or ch in ",.-"):
            return text  # a word in between: not the same run of digits, take nothing back
    return text[:i]
