"""What a word in a caller's sentence can be as a name: never a yes/no, greeting, filler or word for
the animal; in Estonian never a finite verb, adverb, age or count ("oleks", "kolmeaastane", "koerale
viieks ööks"); the Estonian case table names.toml gives (receptionist/agent/extract/names.py uses it
for base forms). Word lists are data in every language folder's names.toml."""

from __future__ import annotations

import re
from functools import lru_cache

from receptionist import lang as langdata
from receptionist.agent.extract.choices import pet_type
from receptionist.agent.extract.lexicon import month_of
from receptionist.agent.extract.morphology import (
    et_has_form, et_has_pos, et_is_known, et_is_nominative_ordinal, et_only_verb_forms, et_readings, ru_parses,
)
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.yesno import NO, YES


def fold(word: str) -> str:
    """A word lower-cased with ё as е and a typographic apostrophe as a plain one."""
    return word.lower().replace("ё", "е").replace("’", "'")



@lru_cache(maxsize=1)
def _not_names() -> tuple[frozenset[str], frozenset[str]]:
    words_: set[str] = set()
    pos: set[str] = set()
    for code in langdata.folders():
        section = langdata.section(code, "names")
        words_.update(w.lower() for w in section.get("not_names", ()))
        pos.update(section.get("not_name_pos", ()))
    return frozenset(words_), frozenset(pos)


def is_plausible_name(word: str, *, pet_word_ok: bool = False) -> bool:
    """False for words that are never names: single letters, yes/no and confirmation words,
    greetings, thanks, fillers (every language folder's names.toml), and — when written in lower
    case — Russian words read first as verbs, prepositions, adverbs and the like ("будет", "с"),
    Estonian words Vabamorf knows as postpositions, conjunctions, adverbs or pronouns ("jaoks",
    "vaja", "selle") or only as finite verbs ("oleks").
    A capitalised word is not second-guessed by its part of speech ("Немо" after "для собаки")."""
    w = fold(word)
    banned, bad_pos = _not_names()
    if len(w) < 2 or w in banned or w in YES or w in NO or w.isdigit() or (not pet_word_ok and pet_type(w) is not None):
        return False  # ... and never a word for the animal itself ("собаки", "koerale"), unless a strong cue says so
    if re.search(r"[а-я]", w) and bad_pos and not word[:1].isupper():
        parses = ru_parses(w)
        if parses and parses[0].tag.POS in bad_pos:
            return False
    if not word[:1].isupper() and not re.search(r"[а-я]", w) and (et_has_pos(w, _et_not_name_pos()) or is_finite_verb(w)):
        return False  # an Estonian postposition, conjunction, adverb or finite verb in lower case ("jaoks", "oleks")
    return True


@lru_cache(maxsize=1)
def _et_not_name_pos() -> frozenset[str]:
    return frozenset(langdata.section("et", "names").get("vabamorf_not_name_pos", ())) if "et" in langdata.folders() else frozenset()


def is_finite_verb(word: str) -> bool:
    """Whether the Estonian word is only a verb in a form that is never a name ("oleks", "broneerige";
    not "muri", murima's imperative and a dog's name): names.toml `vabamorf_not_name_verb_forms`."""
    return et_only_verb_forms(fold(word), _et_not_name_verb_forms())


def said_about_pet(word: str, lang: str) -> bool:
    """Whether a word next to a pet's name says something about the pet, never its name: an age or
    size ("kolmeaastane", "viiene", "kahekilone"; names.toml `age_suffixes`) and, in Estonian lower
    case, a finite verb, adverb, conjunction or postposition ("oleks", "broneerige", "vaja")."""
    w = fold(word)
    if lang != "et" or word[:1].isupper():
        return False
    suffixes = tuple(langdata.section("et", "names").get("age_suffixes", ()))
    if w.endswith(suffixes) or (w.endswith("ne") and re.fullmatch(r"\d+", spell_numbers(w[:-2]).strip() or "x")):
        return True  # "kolmeaastane"; "kolmene" = kolme + ne, three years old
    return is_finite_verb(w) or et_has_pos(w, _et_not_name_pos())


UNITS = frozenset(langdata.merged_list("names", "answer_units"))
TIME_WORDS = frozenset(langdata.merged_list("names", "time_words"))


def a_count_or_day(word: str, pet_noun: str, following: str) -> bool:
    """Whether the word after a pet noun counts nights or gives a day rather than naming the pet: a
    number or time word with its unit after it ("koer kolm ööd", "dog three nights") or, in Estonian,
    a number, time or lower-case word in another case than the pet noun ("koerale viieks ööks",
    "kassile kahekümnendast", "kassile paariks ööks", "koer järgmisel nädalal"; a name agrees with
    it: "koerale Seitsmele", "koer muri"). A capitalised word that is no number is not second-guessed."""
    w = fold(word)
    counted = bool(re.search(r"\d", spell_numbers(w))) or w in TIME_WORDS
    after = re.match(r"\s+([^\W\d_]+)", fold(following))  # the next word, nothing between
    noun = fold(pet_noun)
    case = pet_noun_case(noun)
    stem = case[0] if case else None
    if (counted or word.islower()) and et_is_known(noun) and case and case[1]:
        return not w.endswith(case[1])  # "koerale" -> the name ends in -le too ("koerale Seitsmele tuba")
    if counted and after and (after[1] in UNITS or month_of(after[1]) is not None):
        return True  # "koer kolm ööd", "koer kaks detsembrist" (not "Kass Kolmas, 9.-12. detsember")
    if not (counted or word.islower()) or not et_is_known(noun):
        return False  # "koer Järgmisel": the caller wrote a name; "dog next": not Estonian
    if w in TIME_WORDS or (word.islower() and et_has_pos(w, frozenset({"P", "D", "K", "J"}))):
        return True  # "koer selle nädala", "kass ka"
    cases = {"sg n", "sg g"} if stem is not None else {"sg n"}  # "koera Muri jaoks" / "koer Muri"
    return bool(re.search(r"[a-zõäöüšž]", w)) and not any(et_has_form(w, case) for case in cases)


def et_name_like(word: str) -> bool:
    """Whether Vabamorf reads the Estonian word first as a name or a number word in the nominative
    ("Liisu", "Kuku", "Neli", "Miljon"), never as an adverb, pronoun, conjunction or postposition
    ("Homme", "Siis", "Mul"), nor in another case ("tuleb Tallinnast")."""
    readings = et_readings(word)
    return bool(readings) and readings[0][0] in ("H", "N", "O") and any(form == "sg n" for _, form in readings) \
        and not any(pos in ("D", "J", "K", "P") for pos, _ in readings)


@lru_cache(maxsize=1)
def _et_not_name_verb_forms() -> frozenset[str]:
    section = langdata.section("et", "names") if "et" in langdata.folders() else {}
    return frozenset(section.get("vabamorf_not_name_verb_forms", ()))


@lru_cache(maxsize=1)
def et_cases() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """Estonian case endings (longest first), pet-noun stems and Vabamorf form codes (names.toml)."""
    section = langdata.section("et", "names") if "et" in langdata.folders() else {}
    endings = tuple(sorted(section.get("case_endings", ()), key=len, reverse=True))
    return endings, tuple(section.get("pet_stems", ())), dict(section.get("case_forms", {}))


@lru_cache(maxsize=1)
def _pet_nominatives() -> frozenset[str]:
    section = langdata.section("et", "names") if "et" in langdata.folders() else {}
    return frozenset(section.get("pet_nominatives", ()))


def pet_noun_case(noun: str) -> tuple[str, str] | None:
    """(stem, ending) of an Estonian pet noun in a case ("koerale" -> ("koera", "le"), "koera" ->
    ("koera", "")), or None for a nominative or another word ("koer", "kutsikas" - not kutsika + s)."""
    noun = fold(noun)
    if noun in _pet_nominatives():
        return None
    endings, stems, _ = et_cases()
    stem = next((s for s in stems if noun.startswith(s) and (noun[len(s):] in endings or noun == s)), None)
    return (stem, noun[len(stem):]) if stem is not None else None


def without_word_ordinals(text: str, lang: str) -> str:
    """`text` with the Estonian ordinals in the nominative blanked out unless a month follows them: in
    an answer to the name question "ta on meil teine kass" (our second cat) says nothing of a day,
    while "teisest", "teisel" and "teine detsember" would. Other languages: `text` unchanged."""
    if lang != "et":
        return text
    found = list(re.finditer(r"[^\W\d_]+", text))
    for i, m in enumerate(found):
        follows = found[i + 1][0] if i + 1 < len(found) else ""
        if month_of(follows) is None and et_is_nominative_ordinal(m[0]):
            text = text[: m.start()] + " " * len(m[0]) + text[m.end():]
    return text
