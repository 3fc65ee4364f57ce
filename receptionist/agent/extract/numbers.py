"""Number words written as digits, in every language that has a data folder (receptionist/lang/).

`spell_numbers(text)` returns the text with cardinal and ordinal number words replaced by digits,
so that the date, duration and phone rules only ever see digits:

    "from the ninth to the eleventh"            -> "from the 9th to the 11th"
    "alates teisest kuni kuuenda detsembrini"   -> "alates 2-ndast kuni 6-nda detsembrini"
    "с третьего по шестое"                      -> "с 3-го по 6-го"
    "двадцать девятого декабря"                 -> "29-го декабря"
    "пять два, сорок пять, шестьдесят семь"     -> "5 2, 45, 67"

Ordinals keep a marker the date rules know: English "9th", Estonian "-nda" plus the case ending the
caller used ("-ndast" = from, "-ndani" = until), Russian "-го". Cardinals become bare digits. Tens
followed by a unit merge ("twenty nine", "kakskümmend üheksa", "двадцать девять" -> 29); units
after units stay apart (digits of a phone number: "five one two" -> "5 1 2").

Each language folder's `numbers.toml` names its engine:
- `text2num` (English): text2num's `alpha2digit` (MIT; https://github.com/allo-media/text2num);
- `pymorphy3` (Russian): pymorphy3 lemmas valued by num2words' Russian number tables;
- `vabamorf` (Estonian): the folder's lemmas in every case, made by EstNLTK's Vabamorf synthesizer
  (no library reads Estonian number words); "kaks nulli" (two zeros) repeats the digit.
Every engine whose script matches runs, so a misdetected language still parses. Pure and fast
(pymorphy3 ~60 µs a word); no I/O after the first call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping

from receptionist import lang as langdata
from receptionist.agent.extract.morphology import et_is_known, et_synthesize, ru_parses

_WORD = re.compile(r"[^\W\d_]+")  # "пятнадцатого-восемнадцатого": each part on its own
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Num:
    """One number word: its value, whether it is an ordinal, and the marker to write after it."""

    value: int
    ordinal: bool
    marker: str = ""


def spell_numbers(text: str, languages: tuple[str, ...] | None = None) -> str:
    """`text` with number words as digits (see the module docstring). `languages` limits the engines
    to those languages' folders; by default every installed language whose script fits is tried."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:  # "first thing", "esimese asjana": no number here
        kept.append(m[0])
        return f"\ue000{len(kept) - 1}\ue001"

    out = _idioms().sub(keep, text)
    for code in languages or tuple(langdata.folders()):
        engine = _engine(code)
        if engine is not None:
            repeats = _repeats(code)
            out = repeats.after(engine(repeats.before(out)))
    return re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m[1])], out) if kept else out


@lru_cache(maxsize=1)
def _idioms() -> re.Pattern[str]:
    """Phrases whose number word counts nothing (every folder's numbers.toml `idioms`: "first thing")."""
    phrases = sorted({p for code in langdata.folders() for p in langdata.section(code, "numbers").get("idioms", ())},
                     key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)" if phrases else r"(?!x)x",
                      re.IGNORECASE)


def number_words_only(text: str) -> bool:
    """Whether every word of `text` is a number word or a word for repeating digits ("Five Triple",
    "kaks korda", "double oh"): such words are the digits of a phone number, never a person's name."""
    found = _WORD.findall(text)
    return bool(found) and all(w.lower() in _repeat_words() or re.search(r"\d", spell_numbers(w)) for w in found)


@lru_cache(maxsize=1)
def _repeat_words() -> frozenset[str]:
    out: set[str] = set()
    for code in langdata.folders():
        spec = langdata.section(code, "numbers")
        for key in ("repeat", "repeat_counts", "repeat_nouns"):
            out.update(str(k).lower() for k in dict(spec.get(key, {})))
        for key in ("repeat_times", "zero_in_digits"):
            out.update(str(w).lower() for w in spec.get(key, ()))
    return frozenset(out)


def warm_up() -> None:
    """Build every language's number reader now (Vabamorf loads and synthesizes the Estonian forms,
    ~1 s), so that the first caller does not wait for it."""
    for code in langdata.folders():
        _engine(code)


@lru_cache(maxsize=None)
def _engine(code: str) -> Callable[[str], str] | None:
    spec = langdata.section(code, "numbers")
    kind = spec.get("engine")
    if kind == "text2num":
        return _Text2Num(spec)
    if kind == "pymorphy3":
        return _WordReader(_russian_lexicon(spec), cyrillic=True, marker=lambda word: "-го",
                           keep_after=spec.get("keep_after", ()))
    if kind == "vabamorf":
        return _Estonian(spec)
    return None


# ---------------------------------------------------------------- repeated digits ("three sevens", "kaks korda viis")


class _Repeats:
    """Digits said once with a count, as people give phone numbers: a count word before a digit noun
    ("three sevens", "две пятёрки") and a count, a "times" word and a digit ("kaks korda viis", "three
    times seven", "два раза пять"). numbers.toml `repeat_counts` / `repeat_nouns` (read before the
    number words) and `repeat_times` (read after them, on digits: a count of 2-4 and one digit)."""

    def __init__(self, spec: Mapping[str, object]) -> None:
        counts = {str(k).lower(): int(v) for k, v in dict(spec.get("repeat_counts", {})).items()}  # type: ignore[arg-type]
        nouns = {form: int(v) for k, v in dict(spec.get("repeat_nouns", {})).items()  # type: ignore[arg-type]
                 for form in (str(k).lower(), _fold_yo(str(k)))}  # "семёрки" typed "семерки" too
        self._counts, self._nouns = counts, nouns
        self._noun = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(counts, key=len, reverse=True))) + r")[\s-]+("
                                + "|".join(map(re.escape, sorted(nouns, key=len, reverse=True))) + r")(?!\w)",
                                re.IGNORECASE) if counts and nouns else None
        times = sorted((str(w) for w in spec.get("repeat_times", ())), key=len, reverse=True)  # type: ignore[attr-defined]
        self._times = re.compile(r"(?<![\w.,-])([2-4])\s+(?:" + "|".join(map(re.escape, times))
                                 + r")\s+(\d)(?![\w-]|[.,]\d)", re.IGNORECASE) if times else None

    def before(self, text: str) -> str:
        if self._noun is None:
            return text
        return self._noun.sub(lambda m: " ".join([str(self._nouns[_fold_yo(m[2])])] * self._counts[m[1].lower()]), text)

    def after(self, text: str) -> str:
        if self._times is None:
            return text
        return self._times.sub(lambda m: " ".join([m[2]] * int(m[1])), text)


def _fold_yo(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=None)
def _repeats(code: str) -> _Repeats:
    return _Repeats(langdata.section(code, "numbers"))


# ---------------------------------------------------------------- English: text2num


class _Text2Num:
    def __init__(self, spec: Mapping[str, object]) -> None:
        from text_to_num import alpha2digit

        self._convert = alpha2digit
        repeat = dict(spec.get("repeat", {}))  # type: ignore[arg-type]
        self._repeat = (re.compile(r"\b(" + "|".join(map(re.escape, repeat)) + r")[\s-]+([a-z]+|\d)\b", re.IGNORECASE), repeat) \
            if repeat else None
        zeros = list(spec.get("zero_in_digits", ()))  # type: ignore[arg-type]
        self._zero = re.compile(r"(?<=\d)([\s,.-]+)(?:" + "|".join(map(re.escape, zeros)) + r")\b(?=[\s,.-]*(?:\d|$))",
                                re.IGNORECASE) \
            if zeros else None
        keep = sorted(spec.get("keep", ()), key=len, reverse=True)  # type: ignore[arg-type]
        self._keep = re.compile(r"\b(" + "|".join(re.escape(k) for k in keep) + r")\b", re.IGNORECASE) if keep else None

    def __call__(self, text: str) -> str:
        if _CYRILLIC.search(text) and not re.search(r"[a-z]", text, re.IGNORECASE):
            return text
        kept: list[str] = []

        def hide(m: re.Match[str]) -> str:
            kept.append(m[0])
            return f"\u2063{len(kept) - 1}\u2063"

        hidden = self._keep.sub(hide, text) if self._keep else text
        if self._repeat is not None:
            pattern, counts = self._repeat
            hidden = pattern.sub(lambda m: " ".join([m[2]] * int(counts[m[1].lower()])), hidden)
        try:
            converted = self._convert(hidden, "en", threshold=0)
        except Exception:  # a library error must never lose the caller's words
            converted = hidden
        if self._zero is not None:  # "5 2 6 oh, 3 3": "oh" among digits is a zero
            converted = self._zero.sub(lambda m: m[1] + "0", converted)
        return re.sub("\u2063(\\d+)\u2063", lambda m: kept[int(m[1])], converted)


# ---------------------------------------------------------------- Russian: pymorphy3 + num2words


_RU_NOUN_NUMBERS = frozenset({"ноль", "нуль"})


class _RussianLexicon:
    """Value of a Russian word through its pymorphy3 lemma; None for words that are not numbers."""

    def __init__(self, values: Mapping[str, tuple[int, bool]]) -> None:
        self._values = values

    def __call__(self, word: str) -> _Num | None:
        w = word.lower().replace("ё", "е")
        if w in self._values and w in _RU_NOUN_NUMBERS:  # "ноль" is a noun to pymorphy3
            value, ordinal = self._values[w]
            return _Num(value, ordinal)
        for parse in ru_parses(w)[:3]:
            tag = parse.tag
            if "NUMR" not in tag and "Anum" not in tag:
                continue
            found = self._values.get(parse.normal_form.replace("ё", "е"))
            if found is not None:
                return _Num(found[0], found[1])
        return None


def _russian_lexicon(spec: Mapping[str, object]) -> _RussianLexicon:
    from num2words import num2words

    values: dict[str, tuple[int, bool]] = {}
    for n in [*range(0, 20), *range(20, 100, 10), *range(100, 1000, 100)]:
        values[num2words(n, lang="ru").replace("ё", "е")] = (n, False)
    for n in [*range(1, 20), *range(20, 100, 10)]:
        values[num2words(n, lang="ru", to="ordinal").replace("ё", "е")] = (n, True)
    for word, n in dict(spec.get("extra", {})).items():  # type: ignore[arg-type]
        values[word] = (int(n), False)
    return _RussianLexicon(values)


# ---------------------------------------------------------------- Estonian: Vabamorf's case forms


class _SynthLexicon:
    """Every singular case form of the folder's number lemmas, made by Vabamorf's synthesizer, plus
    the colloquial stems the folder lists, and each form typed without diacritics ("kumnendal")
    unless that is another word. An ordinal's marker keeps its case ("-ndast")."""

    def __init__(self, spec: Mapping[str, object]) -> None:
        cases: dict[str, str] = dict(spec.get("cases", {}))  # type: ignore[arg-type]
        self._words: dict[str, _Num] = {}
        for stem, n in dict(spec.get("cardinal_stems", {})).items():  # type: ignore[arg-type]
            for ending in cases.values():
                self._words[stem + ending] = _Num(int(n), False)
        for table, pos, ordinal in (("cardinals", "N", False), ("ordinals", "O", True)):
            for lemma, n in dict(spec.get(table, {})).items():  # type: ignore[arg-type]
                for case, ending in cases.items():
                    for form in et_synthesize(lemma, case, pos):
                        # an ordinal wins a shared form: "viies" is the 5th, not "in five"
                        self._words[form.lower()] = _Num(int(n), ordinal, "-nda" + ending if ordinal else "")
        fold = str.maketrans(dict(spec.get("ascii_fold", {})))  # type: ignore[arg-type]
        for form, num in list(self._words.items()):  # "uheksa" typed without diacritics, unless a word ("uks")
            folded = form.translate(fold)
            if folded not in self._words and not et_is_known(folded):
                self._words[folded] = num
        # "kaks nulli", "kolm seitset"; said loosely also in the plural ("kaks viite", "kolm kuute")
        self._partitive_digits = {form.lower(): lemma for lemma, n in dict(spec.get("cardinals", {})).items()  # type: ignore[arg-type]
                                  if int(n) <= 9 for case in ("sg p", "pl p", "pl g")
                                  for form in et_synthesize(lemma, case, "N") if form != lemma}

    def __call__(self, word: str) -> _Num | None:
        return self._words.get(word.lower())

    def repeats(self, counts: Mapping[str, int]) -> Callable[[str], str]:
        """A rewrite of "kaks nulli" (a count before a digit in the partitive) to "null null"."""
        if not counts or not self._partitive_digits:
            return lambda text: text
        pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, counts)) + r")\s+("
                             + "|".join(map(re.escape, sorted(self._partitive_digits, key=len, reverse=True)))
                             + r")(?!\w)", re.IGNORECASE)
        return lambda text: pattern.sub(
            lambda m: " ".join([self._partitive_digits[m[2].lower()]] * int(counts[m[1].lower()])), text)


class _Estonian:
    def __init__(self, spec: Mapping[str, object]) -> None:
        lexicon = _SynthLexicon(spec)
        self._repeat = lexicon.repeats({k.lower(): int(v) for k, v in dict(spec.get("repeat", {})).items()})  # type: ignore[arg-type]
        self._read = _WordReader(lexicon, cyrillic=False, marker=None, keep_after=spec.get("keep_after", ()),
                                 cardinal_apart_from_dot=bool(spec.get("cardinal_apart_from_dot", False)))

    def __call__(self, text: str) -> str:
        return self._read(self._repeat(text))


# ---------------------------------------------------------------- one reader for word lexicons


class _WordReader:
    """Replaces runs of number words with digits using a word -> _Num lexicon."""

    def __init__(self, lexicon: Callable[[str], _Num | None], *, cyrillic: bool,
                 marker: Callable[[str], str] | None, keep_after: object = (),
                 cardinal_apart_from_dot: bool = False) -> None:
        self._lexicon = lexicon
        self._apart = cardinal_apart_from_dot  # "kaks." -> "2 .": a cardinal is never the ordinal "2."
        self._cyrillic = cyrillic
        self._marker = marker
        self._keep_after = frozenset(str(w).lower() for w in keep_after)  # type: ignore[attr-defined]

    def __call__(self, text: str) -> str:
        if self._cyrillic and not _CYRILLIC.search(text):
            return text
        pieces: list[str] = []
        pos = 0
        run: list[tuple[re.Match[str], _Num]] = []

        def flush() -> None:
            nonlocal pos
            for start, end, rendered in _merge(run, self._marker):
                pieces.append(text[pos:start])
                pieces.append(rendered + (" " if self._apart and rendered.isdigit() and text[end:end + 1] == "." else ""))
                pos = end
            run.clear()

        previous = ""
        for m in _WORD.finditer(text):
            word = m[0]
            num = None if (not run and previous.lower() in self._keep_after) else self._lexicon(word)
            previous = word
            if num is None:
                flush()
                continue
            if run and not _only_space(text[run[-1][0].end(): m.start()]):
                flush()
            run.append((m, num))
        flush()
        pieces.append(text[pos:])
        return "".join(pieces)


def _only_space(gap: str) -> bool:
    return gap.strip() == "" or gap.strip() == "-"


def _merge(run: list[tuple[re.Match[str], _Num]], marker: Callable[[str], str] | None) -> list[tuple[int, int, str]]:
    """Group a run of number words into numbers: hundreds + tens + units merge; units stay apart. An
    ordinal ends a number, except an ordinal ten before an ordinal unit, both inflected ("kahekümnendal
    esimesel" = on the 21st)."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(run):
        m, num = run[i]
        start, end, value, last_word, last = m.start(), m.end(), num.value, m[0], num
        j = i + 1
        while j < len(run) and (not last.ordinal or run[j][1].ordinal) and _joins(value, run[j][1].value):
            m2, num2 = run[j]
            value += num2.value
            end, last_word, last = m2.end(), m2[0], num2
            j += 1
        if last.ordinal:
            suffix = marker(last_word) if marker else last.marker
        else:
            suffix = ""
        out.append((start, end, f"{value}{suffix}"))
        i = j
    return out


def _joins(value: int, nxt: int) -> bool:
    """Whether `nxt` continues the number `value` ("twenty" + "nine", "сто" + "двадцать")."""
    if value % 100 == 0 and value >= 100:
        return nxt < 100
    if value % 10 == 0 and value % 100 >= 20:  # "twenty" + "nine", "пятьсот пятьдесят" + "восемь"
        return 1 <= nxt <= 9
    return False
