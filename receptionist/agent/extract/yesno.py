"""Yes or no in en / et / ru: the first decisive word wins ("no, the 12th" -> False).

A negator before a yes-word makes it a no ("not correct", "ei sobi", "не подходит"); doubt
("not sure", "ei tea", "не знаю", "maybe") gives None, as does text with neither.
"""

from __future__ import annotations

from receptionist.agent.extract.lexicon import words

YES = frozenset(
    """yes yeah yea yep yup sure correct right exactly absolutely certainly definitely ok okay
    fine perfect great agreed affirmative confirm confirmed
    jah jaa jajah jep õige õigesti sobib sobiks täpselt muidugi kindlasti olgu hästi selge nõus
    okei oke kinnitan kinnita kinnitame
    да ага угу верно правильно конечно точно хорошо подходит давайте согласен согласна именно
    ладно годится устраивает подтверждаю подтверждаем подтвердить""".split()
)
NO = frozenset(
    """no nope nah nay wrong incorrect don't dont never
    ei ei-ei mitte pole vale
    нет неа неверно неправильно никак""".split()
)
NEGATORS = frozenset("not ei mitte не".split())
DOUBT = frozenset("maybe perhaps unsure võib-olla vist äkki может возможно наверное".split())
_DOUBT_AFTER_NEGATOR = frozenset("sure know tea tean знаю уверен уверена".split())
_PHRASES_YES = ("of course", "go ahead", "sounds good", "that's it", "just nii", "loomulikult")
_PHRASES_NO = ("not really", "no thanks", "не совсем", "не надо", "да нет", "mitte päris")


def yes_no(text: str, lang: str = "en") -> bool | None:
    """True for yes, False for no, None when the text says neither (or is unsure)."""
    tokens = [w.replace("’", "'") for w in words(text)]
    joined = " ".join(tokens)
    for phrase in _PHRASES_NO:
        if joined.startswith(phrase):
            return False
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in DOUBT or (tok in NEGATORS | {"don't", "dont"} and nxt in _DOUBT_AFTER_NEGATOR):
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
