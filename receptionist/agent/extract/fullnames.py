"""A person's first name and surname found by morphology, put into the nominative (the patient of an
appointment): Russian pairs read by pymorphy3 ("Ольге Михайловой" -> Ольга Михайлова), Estonian pairs
read by Vabamorf ("Liisa Männile" -> Liisa Mänd, "Andresele Lepale" / "Andrese Lepa jaoks" ->
Andres Lepp), and two capitalised words standing as a clause of their own ("..., Tom Baker, ...")."""

from __future__ import annotations

import re

from receptionist.agent.extract.lexicon import month_of, weekday_of
from receptionist.agent.extract.morphology import et_is_base_noun, et_is_proper_noun, et_lemmas, ru_parses
from receptionist.agent.extract.names import _ET_GENITIVE_CUES, _W, _et_cases, _fold, is_plausible_name

_RU_PAIR = re.compile(r"(?<![\w-])(?=([А-ЯЁ][а-яё]+)\s+([А-ЯЁ][а-яё]+))")
_ET_PAIR = re.compile(r"(?<![\w-])(?=([A-ZÕÄÖÜŠŽ][a-zõäöüšž]+)\s+([A-ZÕÄÖÜŠŽ][a-zõäöüšž]+)(?:\s+([^\W\d_]+))?)")


def nominative_full_name(name: str, lang: str = "et") -> str:
    """A first name and surname taken after a case-governing cue, put into the nominative when
    morphology reads them as a name in a case ("Галину Иванову" -> Галина Иванова, "Andres Lepale"
    -> Andres Lepp); anything else unchanged (and English names always: "August Hale" is no
    Estonian allative)."""
    found = full_name_by_morphology(f"- {name}", lang) if len(name.split()) == 2 else None
    return found or name


def full_name_by_morphology(text: str, lang: str = "et") -> str | None:
    """A first name and surname recognised by morphology alone, in the nominative, or None: Russian
    pairs that pymorphy3 reads as a first name and a surname in one case ("Андрея Соколова"),
    Estonian pairs whose surname Vabamorf reads as a name in a case ("Liisa Männile" -> Liisa Mänd),
    the first name too when it carries the same case ("Andresele Lepale"), and a pair in the
    genitive before "nimele" / "jaoks" ("Kadri Tamme jaoks" -> Kadri Tamm)."""
    if lang == "en":
        return None  # Estonian case endings read into English names: "Hale" -> "Ha", "Frost" -> "Fro"
    found = full_name_readings(text, lang)
    return found[0] if found else None


def full_name_readings(text: str, lang: str = "et") -> tuple[str, ...]:
    """Every reading of the Estonian pair `full_name_by_morphology` finds, likeliest first: more than
    one when the first name in the genitive may also be a name as said ("Jaani Saare jaoks": Jaan
    Saar or Jaani Saar; "Õnne Saarepuu jaoks": Õnn or Õnne) — to be asked back, never guessed."""
    for m in _RU_PAIR.finditer(text):
        first, last = _ru_person_pair(m[1], m[2])
        if first:
            return (f"{first} {last}",)
    if lang == "en":
        return ()
    for m in _ET_PAIR.finditer(text):
        if is_plausible_name(m[1]) and is_plausible_name(m[2]) and (found := _et_pair(m[1], m[2], m[3], m.start())):
            return found
    return ()


def _et_pair(first: str, last: str, after: str | None, at: int) -> tuple[str, ...]:
    """The nominative of an Estonian first name + surname in a case (see full_name_by_morphology);
    `at` 0 (the first word of the text, capitalised anyway) needs the case on both words or a cue."""
    genitive = after is not None and _fold(after) in _ET_GENITIVE_CUES
    if genitive:
        forms = [("g", "sg g")]  # ("g" is the genitive's mark here, not an ending)
    elif et_is_base_noun(last):
        return ()  # "Marko Ilves": already the nominative, not "Ilve" in the inessive
    else:
        forms = [(ending, form) for ending, form in _et_cases()[2].items()
                 if ending != "g" and last.lower().endswith(ending)]
    for ending, form in forms:
        lemmas = et_lemmas(last, form)
        if not lemmas or (lemmas[0] == last and not genitive):
            continue
        first_lemmas = et_lemmas(first, form)
        if first[:1].isupper() and any(b[:1].isupper() for b in first_lemmas):
            first_lemmas = [b for b in first_lemmas if b[:1].isupper()]  # "Neeme": the name, not neem (a cape)
        if genitive and first in first_lemmas and len(first_lemmas) > 1:  # "Jaani": Jaan's genitive, or Jaani
            return tuple(f"{_capital(base)} {_capital(lemmas[0])}" for base in first_lemmas[:2])
        if first_lemmas and (first_lemmas[0] != first or genitive):
            base = first_lemmas[0]  # "Andresele Lepale": the first name carries the case too
        elif (at > 0 or _needs_follow(form, after)) and ending != "s" and (
                et_is_proper_noun(first) or (first[:1].isupper() and form in ("sg all", "sg kom"))):
            base = first  # "Andres Lepale", "Neli Lepale", "Ülle Kolgale": only the surname inflected
        else:
            continue
        return (f"{_capital(base)} {_capital(lemmas[0])}",)
    return ()


def _needs_follow(form: str, after: str | None) -> bool:
    """A pair opening the sentence in the allative with a need after it: "Kaie Rebasele oleks vaja ..."."""
    return form == "sg all" and after is not None and _fold(after) in ("oleks", "on", "tuleks", "vaja", "sooviksin")


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def clause_full_name(text: str) -> str | None:
    """A first name and surname standing as a clause of their own among other answers ("Monday at
    1:30 pm, Tom Baker, 5216 4409"): two capitalised words that can be names, not days or months."""
    for clause in re.split(r"[,;:.!?]|\s[-–—]\s", text):
        found = re.findall(_W, clause)
        if len(found) == 2 and len(clause.split()) == 2 and all(
                w[:1].isupper() and is_plausible_name(w) and month_of(w) is None and weekday_of(w) is None
                for w in found):
            return " ".join(found)
    return None


def _ru_person_pair(first: str, last: str) -> tuple[str | None, str | None]:
    # a declined reading of the first name before an indeclinable one ("Анне": Анна in the dative, not Анне)
    for p in sorted(ru_parses(first.lower()), key=lambda p: "Fixd" in p.tag):
        if "Name" not in p.tag or p.tag.number != "sing":
            continue
        for q in ru_parses(last.lower()):
            if "Surn" in q.tag and q.tag.case == p.tag.case and q.tag.gender == p.tag.gender:
                a, b = p.inflect({"nomn", "sing"}), q.inflect({"nomn", "sing"})
                if a and b:
                    return a.word.capitalize(), b.word.capitalize()
    return None, None
