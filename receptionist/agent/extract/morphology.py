"""Morphology libraries, loaded once and lazily, behind two small functions.

- Russian: pymorphy3 (MIT; OpenCorpora dictionaries, https://github.com/no-plagiarism/pymorphy3):
  `ru_parses(word)` gives its analyses (lemma, tags, inflection).
- Estonian: EstNLTK's Vabamorf (GPL-2.0; https://github.com/estnltk/estnltk), called directly
  because `Text.tag_layer` wants NLTK data from the internet: `et_lemma(word, form)` gives the
  lemma of a word analysed in one case ("Metsa" as genitive "sg g" -> "mets", "Kase" -> "Kask").
  Unknown names are guessed as proper nouns; None when nothing fits. `et_synthesize(lemma, form)`
  inflects a lemma ("kolmas", "sg el" -> ["kolmandast"]): the Estonian number words are built with it.

Both load on first use (~0.05 s / ~1.2 s) and stay for the life of the process.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _pymorphy() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def ru_parses(word: str) -> list[Any]:
    """pymorphy3 `Parse` objects for a Russian word, likeliest first."""
    return _pymorphy().parse(word)


@lru_cache(maxsize=1)
def _vabamorf() -> Any:
    from estnltk.vabamorf.morf import Vabamorf

    return Vabamorf.instance()


def et_lemmas(word: str, form: str, kinds: tuple[str, ...] = ("H", "S")) -> list[str]:
    """The lemmas of an Estonian word read in the case `form` (Vabamorf's code, e.g. "sg g"),
    likeliest first and without repeats ("Reksile" as "sg all" -> ["Reks", "Reksi"]); [] if none.
    `kinds`: the parts of speech read (proper and common nouns; add "N" for a pet called Miljon)."""
    with _lock:  # the Vabamorf instance is not documented as thread-safe
        result = _vabamorf().analyze([word], guess=True, propername=True, disambiguate=False)
    found: list[str] = []
    analyses = [a for a in (result[0]["analysis"] if result else []) if a.get("form") == form]
    nouns = {str(a["lemma"]).replace("=", "").lower() for a in analyses if a.get("partofspeech") == "S"}
    for analysis in analyses:
        if analysis.get("partofspeech") in kinds:
            lemma = str(analysis["lemma"]).replace("=", "")
            if lemma.lower() not in (f.lower() for f in found):
                found.append(lemma)
    # Estonian surnames are mostly common nouns (Kuusk, Tamm, Kask): the name reading that is also a
    # noun goes first ("Kuusel" -> Kuusk, not the guessed Kuune).
    return sorted(found, key=lambda lemma: lemma.lower() not in nouns)


def et_synthesize(lemma: str, form: str, pos: str = "") -> list[str]:
    """Vabamorf's forms of an Estonian `lemma` in the case `form` ("sg el"), for the part of speech
    `pos` ("N" cardinal, "O" ordinal, "S" noun, "" any): ("kolmas", "sg p", "O") -> ["kolmat",
    "kolmandat"]; [] when it cannot inflect the word."""
    with _lock:
        return list(dict.fromkeys(_vabamorf().synthesize(lemma, form, pos, "", True, False)))


def et_lemma(word: str, form: str) -> str | None:
    """The likeliest of `et_lemmas`, or None."""
    lemmas = et_lemmas(word, form)
    return lemmas[0] if lemmas else None


def et_is_proper_noun(word: str) -> bool:
    """True when Vabamorf reads a capitalised Estonian word first as a name ("Muki", "Mari") and
    never as an adverb, interjection, conjunction, adposition or pronoun ("Homme", "Tere", "Jah")."""
    with _lock:
        result = _vabamorf().analyze([word], guess=True, propername=True, disambiguate=False)
    analyses = result[0]["analysis"] if result else []
    kinds = [a.get("partofspeech") for a in analyses]
    return bool(kinds) and kinds[0] == "H" and not any(k in ("D", "I", "J", "K", "P") for k in kinds)


def et_has_pos(word: str, kinds: frozenset[str]) -> bool:
    """True when Vabamorf's dictionary (no guessing) gives the Estonian word a reading of one of
    these parts of speech ("jaoks" is a postposition, "K"); False for words it does not know."""
    if not kinds:
        return False
    with _lock:
        result = _vabamorf().analyze([word], guess=False, propername=False, disambiguate=False)
    return any(a.get("partofspeech") in kinds for a in (result[0]["analysis"] if result else []))


def et_any_lemmas(word: str) -> frozenset[str]:
    """Every lemma Vabamorf reads in an Estonian word, lower-cased, in any form or part of speech
    ("Mustikale" -> {"mustikas", ...}): to recognise a name said in a case."""
    with _lock:
        result = _vabamorf().analyze([word], guess=True, propername=True, disambiguate=False)
    return frozenset(str(a["lemma"]).replace("=", "").lower() for a in (result[0]["analysis"] if result else []))


def et_readings(word: str) -> list[tuple[str, str]]:
    """Vabamorf's readings (guessing, names included) of an Estonian word as (part of speech, form),
    likeliest first: "Muri" -> [("H", "sg g"), ("V", "o"), ("H", "sg n")]."""
    with _lock:
        result = _vabamorf().analyze([word], guess=True, propername=True, disambiguate=False)
    return [(str(a.get("partofspeech")), str(a.get("form"))) for a in (result[0]["analysis"] if result else [])]


def et_has_form(word: str, form: str) -> bool:
    """True when Vabamorf (guessing, names included) reads the Estonian word in the form `form` ("sg n")."""
    return any(f == form for _, f in et_readings(word))


def et_only_verb_forms(word: str, forms: frozenset[str]) -> bool:
    """True when every reading Vabamorf's dictionary (no guessing) gives the Estonian word is a verb
    in one of these forms ("oleks" = olema "ks", "tuleb" = tulema "b"); False for a word it does not
    know or that has another reading ("muri" is also murima's imperative "o": not in a usual `forms`)."""
    if not forms:
        return False
    with _lock:
        result = _vabamorf().analyze([word], guess=False, propername=False, disambiguate=False)
    analyses = result[0]["analysis"] if result else []
    return bool(analyses) and all(a.get("partofspeech") == "V" and a.get("form") in forms for a in analyses)


def et_is_nominative_ordinal(word: str) -> bool:
    """True when every reading Vabamorf's dictionary gives the Estonian word is an ordinal (or the
    pronoun it doubles as) in the nominative: "teine", "kolmas", "esimene"; not "teisel", "kolmandast"."""
    with _lock:
        result = _vabamorf().analyze([word.lower()], guess=False, propername=False, disambiguate=False)
    analyses = result[0]["analysis"] if result else []
    return any(a.get("partofspeech") == "O" for a in analyses) and \
        all(a.get("partofspeech") in ("O", "P") and a.get("form") == "sg n" for a in analyses)


def et_is_known(word: str) -> bool:
    """True when the word is in Vabamorf's Estonian dictionary (no guessing): "uks" (a door) is,
    "uheksa" (üheksa typed without diacritics) is not."""
    with _lock:
        result = _vabamorf().analyze([word], guess=False, propername=False, disambiguate=False)
    return bool(result and result[0]["analysis"])


def et_is_base_noun(word: str) -> bool:
    """True when the word is itself an Estonian common noun in the nominative ("Ilves" = lynx, so the
    surname Ilves is not "Ilve" in the inessive; "Tamm", "Kask")."""
    with _lock:
        result = _vabamorf().analyze([word], guess=True, propername=True, disambiguate=False)
    return any(a.get("partofspeech") == "S" and a.get("form") == "sg n"
               and str(a.get("lemma", "")).replace("=", "") == word.lower()
               for a in (result[0]["analysis"] if result else []))


def et_is_dictionary_lemma(word: str) -> bool:
    """True when the word is the base form (nominative) of an entry in Vabamorf's dictionary, no
    guessing: "pipar" and "roosa" are; "pipra" (pipar's genitive) and "roosk" are not."""
    with _lock:
        result = _vabamorf().analyze([word], guess=False, propername=False, disambiguate=False)
    return any(a.get("form") in ("sg n", "") and str(a.get("lemma", "")).replace("=", "").lower() == word.lower()
               for a in (result[0]["analysis"] if result else []))
