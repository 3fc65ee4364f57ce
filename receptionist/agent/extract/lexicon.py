"""Word tables shared by the extractors (en / et / ru). Data only, plus two tiny helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words, 'ё' folded to 'е'."""
    return [w.lower().replace("ё", "е").replace("’", "'") for w in WORD_RE.findall(text)]


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation, longest first so that prefixes do not shadow longer forms."""
    return "|".join(sorted({re.escape(f) for f in forms}, key=len, reverse=True))


# Month stems: a month word matches when it *starts with* one of these (stem + case ending),
# except the short forms in MONTH_EXACT which must match whole.
MONTH_STEMS: Mapping[int, tuple[str, ...]] = {
    1: ("january", "jaanuar", "январ", "янв"),
    2: ("february", "veebruar", "феврал", "фев"),
    3: ("march", "märts", "март"),
    4: ("april", "aprill", "апрел", "апр"),
    5: ("maini", "мая", "мае"),
    6: ("june", "juuni", "июн"),
    7: ("july", "juuli", "июл"),
    8: ("august", "август", "авг"),
    9: ("september", "septemb", "сентябр", "сен"),
    10: ("october", "oktoob", "октябр", "окт"),
    11: ("november", "novemb", "ноябр", "ноя"),
    12: ("december", "detsemb", "декабр", "дек"),
}
MONTH_EXACT: Mapping[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "mai": 5, "mail": 5, "май": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}


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

# Weekday word stems, Monday = 0.
WEEKDAY_STEMS: Mapping[int, tuple[str, ...]] = {
    0: ("monday", "mon", "esmaspäe", "понедельн"),
    1: ("tuesday", "tue", "teisipäe", "вторник"),
    2: ("wednesday", "wed", "kolmapäe", "среда", "среду", "среды", "среде"),
    3: ("thursday", "thu", "neljapäe", "четверг"),
    4: ("friday", "fri", "reede", "пятниц"),
    5: ("saturday", "sat", "laupäe", "суббот"),
    6: ("sunday", "sun", "pühapäe", "воскресен"),
}


def weekday_of(word: str) -> int | None:
    w = word.lower()
    for day, stems in WEEKDAY_STEMS.items():
        for s in stems:
            if (len(s) <= 3 and w == s) or (len(s) > 3 and w.startswith(s)):
                return day
    return None


# Cardinal numbers as words (with the case forms that follow "for"/"-ks"/"на").
NUMBER_WORDS: Mapping[str, int] = {
    # en
    "zero": 0, "oh": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fourteen": 14, "twenty": 20, "thirty": 30,
    # et
    "null": 0, "üks": 1, "ühe": 1, "üheks": 1, "kaks": 2, "kahe": 2, "kaheks": 2, "kolm": 3,
    "kolme": 3, "kolmeks": 3, "neli": 4, "nelja": 4, "neljaks": 4, "viis": 5, "viie": 5,
    "viieks": 5, "kuus": 6, "kuue": 6, "kuueks": 6, "seitse": 7, "seitsme": 7, "seitsmeks": 7,
    "kaheksa": 8, "kaheksaks": 8, "üheksa": 9, "üheksaks": 9, "kümme": 10, "kümne": 10,
    "kümneks": 10, "kakskümmend": 20,
    # ru
    "ноль": 0, "один": 1, "одна": 1, "одну": 1, "одного": 1, "одной": 1, "два": 2, "две": 2,
    "двое": 2, "двух": 2, "три": 3, "трое": 3, "трех": 3, "четыре": 4, "четырех": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8,
    "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11,
    "двенадцать": 12, "четырнадцать": 14,
}

# Digits only, for spelled-out phone numbers ("five one two ...").
DIGIT_WORDS: Mapping[str, str] = {
    w: str(n) for w, n in NUMBER_WORDS.items() if n <= 9 and w not in {"a", "an"}
}

# Russian genitive ordinals, for "в половине третьего" (= 2:30).
RU_ORDINAL_GEN: Mapping[str, int] = {
    "первого": 1, "второго": 2, "третьего": 3, "четвертого": 4, "пятого": 5, "шестого": 6,
    "седьмого": 7, "восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11,
    "двенадцатого": 12,
}


def number_of(token: str) -> int | None:
    t = token.lower().replace("ё", "е")
    if t.isdigit():
        return int(t)
    return NUMBER_WORDS.get(t)
