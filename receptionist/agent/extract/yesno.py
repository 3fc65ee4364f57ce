"""Yes or no (words from every language folder's yesno.toml): the first decisive word wins
("no, the 12th" -> False); a yes-phrase with a no-word in it decides first ("no problem, go ahead").

A negator before a yes-word makes it a no ("not correct", "ei sobi", "не подходит"); doubt
("not sure", "ei tea", "не знаю", "maybe") gives None, as does text with neither.
"""

from __future__ import annotations

import re

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import words

# The words are data: every language folder's yesno.toml, merged (see receptionist/lang).
YES = frozenset(langdata.merged_list("yesno", "yes"))
NO = frozenset(langdata.merged_list("yesno", "no"))
NEGATORS = frozenset(langdata.merged_list("yesno", "negators"))
DOUBT = frozenset(langdata.merged_list("yesno", "doubt"))
_DOUBT_NEGATORS = NEGATORS | frozenset(langdata.merged_list("yesno", "doubt_negators"))
_DOUBT_AFTER_NEGATOR = frozenset(langdata.merged_list("yesno", "doubt_after_negator"))
_PHRASES_YES = langdata.merged_list("yesno", "phrases_yes")
_PHRASES_NO = langdata.merged_list("yesno", "phrases_no")
# Yes said with a no-word in it ("no problem, go ahead", "да нет, всё верно"): decides before any word.
_PHRASES_YES_FIRST = langdata.merged_list("yesno", "phrases_yes_first")


def yes_no(text: str, lang: str = "en") -> bool | None:
    """True for yes, False for no, None when the text says neither (or is unsure)."""
    tokens = [w.replace("’", "'") for w in words(text)]
    joined = " ".join(tokens)
    said = text.lower().replace("’", "'")
    for phrase in _PHRASES_YES_FIRST:
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", said):
            before = re.search(r"([\w']+)\s+$", said[: m.start()])  # the word right before, no comma between
            if not (before and before[1] in _DOUBT_NEGATORS):
                return True  # ... unless negated right before it: "не бронируйте", "don't go ahead"
    for phrase in _PHRASES_NO:
        if joined.startswith(phrase):
            return False
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in DOUBT or (tok in _DOUBT_NEGATORS and nxt in _DOUBT_AFTER_NEGATOR):
            return None
        if tok in NEGATORS:
            return False
        if tok in NO:
            return False
        if tok in YES:
            return True
    for phrase in _PHRASES_YES:
        if phrase in joined:
            return True
    return None
