"""Pet and person names from common phrasings, and a tolerant "did the caller say it" check.

Extraction is rule-based: a cue ("my dog", "called", "nimega", "зовут", "кличка", "my name is",
"minu nimi on", "меня зовут") followed by one name word (two for people when the second is
capitalised). Weak cues ("I'm", "ma olen", "это") need a capitalised name. Names come back as
written, with an all-lower-case word capitalised ("бобик" -> "Бобик").

`name_occurs_in` validates an LLM-proposed name against the caller's words, accepting Estonian
and Russian case endings ("Muki"/"Mukit", "Бобик"/"Бобика", "Мурка"/"Мурку") and Latin/Cyrillic
spellings of the same name ("Bobik"/"Бобик").
"""

from __future__ import annotations

import re
from functools import lru_cache

from receptionist import lang as langdata
from receptionist.agent.extract.choices import pet_type
from receptionist.agent.extract.lexicon import month_of, weekday_of
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.extract.morphology import (et_any_lemmas, et_is_dictionary_lemma, et_is_proper_noun, et_lemmas,
                                                  ru_parses)
from receptionist.agent.extract.name_words import (
    UNITS, a_count_or_day, pet_noun_case, et_cases as _et_cases, et_name_like, fold as _fold, is_plausible_name,
)

_W = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
_NAME1 = rf"(?P<n1>{_W})"
_NAME2 = rf"(?P<n1>{_W})(?:\s+(?P<n2>{_W}))?"


Cue = tuple[re.Pattern[str], bool, bool]  # pattern, needs a capitalised name, needs a name-like word


def _cues(kind: str, name: str, *, self_ok: bool = True) -> tuple[Cue, ...]:
    """(pattern, needs a capitalised name, needs a word Vabamorf reads as a name or a number) from
    every language folder's name_cues.toml `kind`, in `rank` order, with `{name}` standing for the
    name group (two words for a cue marked `two`: "nimi on Väike Kolmik"). `self_ok` False leaves
    out the cues marked `self` (the caller introducing themselves)."""
    cues = sorted((c for _, table in langdata.per_language("name_cues", kind) for c in table
                   if self_ok or not c.get("self", False)), key=lambda c: c["rank"])
    return tuple((re.compile(c["pattern"].replace("{name}", _NAME2 if c.get("two") else name), re.IGNORECASE),
                  c["weak"], c.get("name_like", False)) for c in cues)


_PET = _cues("pet", _NAME1)
_NAMING_WORDS = frozenset(langdata.merged_list("name_cues", "naming_words"))
_PERSON = _cues("person", _NAME2)
_OTHER_PERSON = _cues("person", _NAME2, self_ok=False)
_SELF = tuple(re.compile(c["pattern"].replace("{name}", _NAME2), re.IGNORECASE)
              for _, table in langdata.per_language("name_cues", "person") for c in table if c.get("self", False))
_SOMEONE_ELSE = re.compile("|".join(f"(?:{p})" for p in langdata.merged_list("name_cues", "someone_else")) or r"(?!x)x",
                           re.IGNORECASE)


def for_someone_else(text: str) -> bool:
    """Whether the caller books for another person ("for my son", "mu mehele", "записать маму"):
    then their own name, however introduced, is not the patient's."""
    return _SOMEONE_ELSE.search(text) is not None


def without_self_introduction(text: str) -> str:
    """The text with the caller's self-introduction blanked ("I'm Tom Hardy," -> "  ,")."""
    for pattern in _SELF:
        text = pattern.sub(lambda m: " " * len(m[0]), text)
    return text


def _shape(word: str) -> str:
    """A name as stored: a contraction or possessive ending dropped ("Toffee's my cat" -> Toffee),
    an all-lower-case word capitalised ("бобик" -> Бобик)."""
    word = re.sub(r"['’]s$", "", word)
    return word[:1].upper() + word[1:] if word.islower() else word


def _mid_sentence(text: str, at: int) -> bool:
    """Whether position `at` is inside a sentence, where a capital letter marks a name (not its start)."""
    before = text[:at].rstrip()
    return bool(before) and not before.endswith((".", "!", "?"))


def _match(patterns: tuple[Cue, ...], text: str, two_words: bool) -> str | None:
    found = _match_readings(patterns, text, two_words)
    return found[0] if found else None


def _match_readings(patterns: tuple[Cue, ...], text: str, two_words: bool) -> tuple[str, ...]:
    """The name found by the first matching cue, as all its possible base forms (likeliest first):
    more than one when the case ending hides the base form ("Reksile": Reks or Reksi)."""
    typed_lower = text == text.lower()  # a caller who types everything in lower case ("my dog rex")
    for pattern, weak, name_like in patterns:
        for m in pattern.finditer(text):
            first = m["n1"]
            if name_like and not et_name_like(first):
                continue  # "Liisu jääb kolmeks ööks" names Liisu; "Homme jääb ..." names nobody
            cue = text[: m.start("n1")].split()
            cue_word = cue[-1] if cue else ""
            if len(cue) > 1 and _fold(" ".join(cue[-2:])) in _ru_cue_cases():
                cue_word = " ".join(cue[-2:])  # "на имя Ирины" (genitive), but "Имя Лайма" as said
            after_pet_word = pet_type(_fold(cue_word)) is not None  # "kassile Kõutsile": the animal is named already
            naming = _fold(cue_word) in _NAMING_WORDS  # "Nimi Kutsu": a word for a pet is the name here
            if not is_plausible_name(first, pet_word_ok=not weak or after_pet_word or naming):  # "Kassi nimi on Kõuts"
                continue
            second = m.groupdict().get("n2")
            if weak and not _mid_sentence(text, m.start("n1")) and not is_plausible_name(first.lower(), pet_word_ok=True) \
                    and not (two_words and second and second[:1].isupper() and is_plausible_name(second)):
                continue  # capitalised only as the first word: "Vajan tuba koerale" (I need a room) names nobody;
                # "Toomas Kask siin" (toomas is also a verb form) is a first name and a surname
            if weak and not first[:1].isupper() and not typed_lower:
                continue
            if _fold(first) in UNITS or (
                    after_pet_word and a_count_or_day(first, cue_word, text[m.end("n1"):])):
                continue  # "koerale viieks ööks", "kassile kahekümnendast", "koer kolm ööd": no name said
            if cue_word.lower() == "for" and (month_of(first) is not None or weekday_of(first) is not None):
                continue  # "a room for December" is a date; "my dog June" and "called June" are names
            last = _fold(m[0]).split()[-1]
            if last in _ET_GENITIVE_CUES or (last in _ET_BENEFICIARY_CUES and m.end("n1") < m.end()):
                cue_word = last  # the cue follows the name: "Liisa Metsa nimele", "Miisule kohta"
            readings = [_shape(b) for b in base_forms(first, cue_word, first_name=two_words)]
            same_case = second is not None and second[:1].islower() == first[:1].islower()
            if not two_words and second and first[:1].isupper() and second[:1].isupper() and not typed_lower \
                    and is_plausible_name(second) and month_of(second) is None and weekday_of(second) is None:
                return (f"{readings[0]} {_shape(second)}",)  # a pet's two-word name: "nimi on Väike Kolmik"
            if two_words and second and (second[:1].isupper() or typed_lower or same_case) and is_plausible_name(second) \
                    and month_of(second) is None and weekday_of(second) is None:
                return (" ".join([readings[0], _shape(base_form(second, cue_word))]),)
            return tuple(readings)
    return ()


def extract_pet_name(text: str, lang: str = "en") -> str | None:
    """The pet's name in "my dog Max", "koer nimega Muki", "собаку зовут Бобик", ... or None."""
    return _match(_PET, text, two_words=False)


def pet_name_readings(text: str) -> tuple[str, ...]:
    """Every base form the pet's name may have, likeliest first (one when it is clear)."""
    return _match_readings(_PET, text, two_words=False)


def extract_person_name(text: str, lang: str = "en") -> str | None:
    """The person's name in "my name is John Smith", "minu nimi on Mari Tamm", "for my son, Leo
    Hardy", ... or None. When the caller books for someone else, their own introduction ("I'm Tom")
    names nobody."""
    return _match(_OTHER_PERSON if for_someone_else(text) else _PERSON, text, two_words=True)


_SURNAME = re.compile(rf"(?<!\w)(?:surname|last name|family name|perekonnanimi|perenimi|perekonnanimega|фамили\w*)"
                      rf"(?:\s+(?:is|on|—|-))?(?:\s+(?:not|mitte|не)\s+{_W},?\s+(?:but|vaid|а))?\s+(?P<n1>{_W})", re.IGNORECASE)


def surname_said(text: str) -> str | None:
    """A surname given on its own, as a correction: "нет, на фамилию Петрова", "the surname is Hill",
    "фамилия не Соколова, а Соколовская"."""
    m = _SURNAME.search(text)
    return _shape(m["n1"]) if m and is_plausible_name(m["n1"]) else None


# The first word may carry the name when a request follows it: "Mustile oleks vaja tuba", "Päikesega tuleme".
_FIRST_CASE_MARKED = re.compile(r"^\s*(?:tere,?\s+)?([A-ZÕÄÖÜŠŽ][a-zõäöüšž]+(?:le|ga))\s+(?=(?:oleks|on|tuleks)\s+vaja\b"
                                r"|tuleme\b|tulen\b|tuleb\b|tooksin\b|toome\b|jääks\b)")


def case_marked_pet_name(text: str) -> tuple[str, ...]:
    """An Estonian pet name carrying its case with no pet word before it ("Kassituba Nalale",
    "Tobiga tulla"): a capitalised word, not the first, that Vabamorf reads as a name in the
    allative or comitative; its possible base forms, likeliest first (Tob or Tobi: asked back)."""
    for m in [*re.finditer(r"(?<=\s)([A-ZÕÄÖÜŠŽ][a-zõäöüšž]+(?:le|ga))\b", text), *_FIRST_CASE_MARKED.finditer(text)]:
        word = m[1]
        if not is_plausible_name(word) or (not word.endswith("ga") and not _mid_sentence(text, m.start(1)) and (
                month_of(word) is not None or weekday_of(word) is not None)):
            continue  # "tuleme Reedega", "Kas Pühapäevale oleks ...": Estonian writes its days in lower case
        for form in ("sg all", "sg kom"):
            def read(kinds: tuple[str, ...]) -> list[str]:
                return [lemma for lemma in et_lemmas(word, form, kinds) if lemma != word and is_plausible_name(_shape(lemma))]
            number_said = bool(re.search(r"\d", spell_numbers(_fold(word))))  # "Kuuele" is Kuus, not a guessed Kuub
            lemmas = (number_said and read(("N", "O"))) or read(("H", "S"))
            number = not lemmas or number_said
            lemmas = lemmas or read(("N", "O"))  # "Tuhandele", "Esimesele": Tuhat, Esimene
            lemmas.sort(key=lambda lemma: not et_is_proper_noun(lemma))  # "Mustile": Musti before must (black)
            if lemmas and (et_is_proper_noun(lemmas[0]) or number):
                return tuple(_shape(lemma) for lemma in lemmas[:3])  # "Koeratuba Kuuele": a dog called Kuus
    return ()


_ET_GENITIVE_CUES = frozenset(langdata.merged_list("name_cues", "genitive_cues"))  # "Liisa Metsa nimele"
_ET_TRANSLATIVE_CUES = frozenset(langdata.merged_list("name_cues", "translative_cues"))  # "kutsume teda Seitsmeks"
_ET_BENEFICIARY_CUES = frozenset({"kohta", "koht", "tuba", "toa", "hoidu", "hoiukohta",  # "Miisule kohta"
                                  "sooviks", "soovin", "sooviksin", "tahaks", "tahaksin", "vaja"})  # "koha sooviks Tuksile"


def base_form(name: str, cue: str) -> str:
    """The likeliest base form of a name (see `base_forms`)."""
    return base_forms(name, cue)[0]


def base_forms(name: str, cue: str, *, first_name: bool = False) -> list[str]:
    """The name's possible base forms, likeliest first, using the case the cue shows: Russian via
    pymorphy3 ("пса Тузика" -> Тузик, "у кошки Ночки" -> Ночка), Estonian via Vabamorf in the case of
    the pet noun before it ("koerale Reksile" -> Reks or Reksi, "koeraga Lotaga" -> Lota), or the name
    unchanged when the cue shows no case. `first_name`: a person's first name keeps to the readings
    Vabamorf knows as names when it has one ("Neeme Kümmeli nimele" is Neeme, not neem, a cape)."""
    c = _fold(cue)
    if re.search(r"[а-я]", c) and re.search(r"[а-яА-Я]", name):
        return [name] if c in _NAMING_WORDS else _ru_bases(name, c)  # "Имя Лайма", "кличка Ночка": as said
    forms = _et_cases()[2]
    form = None
    if case := pet_noun_case(c):  # "kutsikas Kolmas" is no inessive
        ending = case[1]
        form = forms.get(ending or "g")
        if not form and ending and name.lower().endswith(ending) and len(name) - len(ending) >= 2:
            return [name[: len(name) - len(ending)]]
    if c in _ET_GENITIVE_CUES:  # "Liisa Metsa nimele": the name is in the genitive
        form = "sg g"
    elif c in _ET_BENEFICIARY_CUES:  # "Miisule kohta": the name in the allative
        form = "sg all"
    elif c in _ET_TRANSLATIVE_CUES and name.lower().endswith("ks") and len(name) > 4:
        lemmas = et_lemmas(name, "sg tr", ("H", "S", "N", "O", "A"))  # "kutsume teda Seitsmeks": Seitse
        lemmas.sort(key=lambda lemma: not et_is_dictionary_lemma(lemma.lower()))  # "Esimene", not a guessed "Esimes"
        return [lemma[:1].upper() + lemma[1:] if name[:1].isupper() else lemma for lemma in lemmas] or [name]
    number = bool(re.search(r"\d", spell_numbers(_fold(name))))  # "koerale Seitsmele": Seitse, not a guessed name
    said = name[:1].upper() + name[1:]  # "koerale mõmmile" typed in lower case is still a name: Mõmm or Mõmmi
    lemmas = ((number and et_lemmas(said, form, ("N", "O"))) or et_lemmas(said, form)
              or et_lemmas(said, form, ("N", "O"))) if form else []  # "koera Tuhande": Tuhat
    if first_name and name[:1].isupper() and any(lemma[:1].isupper() for lemma in lemmas):
        lemmas = [lemma for lemma in lemmas if lemma[:1].isupper()]
    if any(lemma.lower() == name.lower() for lemma in lemmas):  # "Pontu jaoks": Pontu, not a participle "Pontud"
        lemmas = [lemma for lemma in lemmas if lemma.lower() != name.lower() + "d"]
    shaped = [lemma[:1].upper() + lemma[1:] if name[:1].isupper() else lemma for lemma in lemmas]
    return shaped or [name]


# Endings that mark a case on a name said alone without being part of many names (-l, -s, -na, -ta are).
_ANSWER_ENDINGS = ("le", "ga", "ks", "lt")


def answer_name_readings(word: str, after: str = "") -> tuple[str, ...]:
    """The base forms of a pet's name given as the answer to the name question in an Estonian case
    ("Piprale, ja number on ..." -> Pipar or Pipra; "Sõbra nime peale" -> Sõber or Sõbra); ()
    when the word shows no case. When one reading is a word Vabamorf knows and the others are only
    its guesses ("Pipar" vs "Pipra") it comes first; more than one reading is asked back ("Pipar või
    Pipra?", "Must või Musti?": a dog called Musti is as likely as one called Must). At most three."""
    endings, _, forms = _et_cases()
    following = re.findall(r"[^\W\d_]+", _fold(after))
    if following and (following[0] in _ET_GENITIVE_CUES or following[0] == "nime"):
        form = "sg g"  # "Sõbra nime peale", "Miisu nimele"
    else:
        ending = next((e for e in _ANSWER_ENDINGS if word.lower().endswith(e) and len(word) - len(e) >= 3), None)
        form = forms.get(ending) if ending and ending in endings else None
    if form is None:
        return ()
    lemmas = [lemma for lemma in et_lemmas(word, form, ("H", "S", "N", "O", "A"))  # a pet called Miljon, Kolmas
              if is_plausible_name(_shape(lemma), pet_word_ok=True)]  # "Kõutsile": a cat called Kõuts (tomcat)
    if any(lemma.lower() == word.lower() for lemma in lemmas):  # "Pontu jaoks": Pontu, not a participle "Pontud"
        lemmas = [lemma for lemma in lemmas if lemma.lower() != word.lower() + "d"]
    if [lemma.lower() for lemma in lemmas] in ([], [word.lower()]):
        return ()  # "Miisu nimele": the name as said
    lemmas.sort(key=lambda lemma: not et_is_dictionary_lemma(lemma.lower()))  # "Pipar" before the guess "Pipra"
    return tuple(_shape(lemma) if word[:1].isupper() else lemma for lemma in lemmas[:3])


@lru_cache(maxsize=1)
def _ru_cue_cases() -> dict[str, str]:
    return dict(langdata.section("ru", "names").get("cue_cases", {})) if "ru" in langdata.folders() else {}


def _ru_bases(name: str, cue: str) -> list[str]:
    cue_case = _ru_cue_cases().get(cue)
    if cue_case:  # "на имя Ирины Соколовой", "запишите Марию", "для Мурки"
        cases = {cue_case}
    else:
        cases = {p.tag.case for p in ru_parses(cue) if p.tag.number == "sing" and "NOUN" in p.tag}
    cases.discard("nomn")
    if not cases:
        return [name]
    low = _fold(name)
    parses = [p for p in ru_parses(low) if "NOUN" in p.tag and (p.tag.case in cases or (
        "accs" in cases and p.tag.case == "gent" and "masc" in p.tag))]  # an animate he: "записать Тузика"
    # (pymorphy reads тузик as a thing; "собаку Марли" is no gauze, марля: a she's accusative ends in -у)
    if any("Fixd" in p.tag for p in parses):
        return [name]  # indeclinable ("Джеки", "Чарли")
    # A singular reading; not a mass noun ("Арчи" is not the genitive of "арча", juniper) unless a name.
    candidates = [p for p in parses if p.tag.number == "sing"
                  and ("Sgtm" not in p.tag or "Name" in p.tag or "Surn" in p.tag or "Patr" in p.tag)]
    if not candidates:
        return [name]
    ranked = sorted(candidates, key=lambda p: ("Name" in p.tag or "Surn" in p.tag, _common_prefix(p.normal_form, low),
                                               p.score), reverse=True)
    out: list[str] = []
    for parse in ranked:
        nominative = parse.inflect({"nomn", "sing"})  # keeps the gender: "Соколовой" -> "Соколова"
        word = nominative.word if nominative else parse.normal_form
        word = word[:1].upper() + word[1:]
        if word not in out:
            out.append(word)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def leading_name(text: str) -> str | None:
    """A name said first and set off by a comma or a full stop, before other answers: "Max, and I'll
    pick him up on the 12th", "Pixie. Oh, and the mobile is ...", "Muki, 10.-12. detsember". One capitalised word that can be a name, not a month or
    weekday, and not a filler ("Well, ...", "Sure, ...": names.toml)."""
    m = re.match(rf"\s*({_W})\s*[,.!–—-]", text)  # "Rosie - oh, and ...", "Muki, 10.-12."
    if not m or not m[1][:1].isupper():
        return None
    word = m[1]
    if not is_plausible_name(word) or month_of(word) is not None or weekday_of(word) is not None:
        return None
    if re.search(r"[а-яА-Я]", word):
        return word if ru_parses(_fold(word))[0].tag.POS == "NOUN" else None
    return word


def out_of_turn_name(text: str, lang: str, *, person: bool = False) -> str | None:
    """A lone capitalised word given where another answer was expected ("Max" to "which day?"),
    taken as a name only when morphology vouches for it: Russian nouns (pymorphy3), Estonian proper
    nouns (Vabamorf). English has no dictionary here, so a lone English word out of turn is not read
    as a name (the name question comes later anyway). With `person`, two capitalised words that can
    be names ("Anna Smirnova", "Tom Smith") are a patient's full name in any language."""
    words = re.findall(_W, text)
    if len(words) == 2 and person and not re.sub(_W, "", text).strip(" .,!?") \
            and all(w[:1].isupper() and is_plausible_name(w) and month_of(w) is None and weekday_of(w) is None
                    for w in words):
        return " ".join(words)  # a first name and a surname ("Anna Smirnova") for the patient question
    if len(words) != 1 or re.sub(_W, "", text).strip(" .,!?") or not words[0][:1].isupper():
        return None
    word = words[0]
    if not is_plausible_name(word) or month_of(word) is not None or weekday_of(word) is not None:
        return None
    if lang == "ru" and re.search(r"[а-яА-Я]", word):
        first = ru_parses(_fold(word))[0]
        return word if first.tag.POS == "NOUN" else None
    if lang == "et" and not re.search(r"[а-яА-Я]", word):
        return word if et_is_proper_noun(word) else None
    return None


# ---------------------------------------------------------------- validation

# Case endings a name may carry, letters folded across scripts (name_cues.toml), stem vowels (lexicon.toml).
_ENDINGS = frozenset(langdata.merged_list("name_cues", "endings"))
_STRIP = "".join(dict.fromkeys("".join(v for _, v in langdata.per_language("lexicon", "stem_vowels"))))
_TRANSLIT = str.maketrans(langdata.merged_table("name_cues", "romanize"))



def _inflects(name: str, token: str) -> bool:
    if token == name:
        return True
    stems = {name, name.rstrip(_STRIP)} if len(name) >= 4 else {name}
    return any(s and token.startswith(s) and token[len(s):] in _ENDINGS for s in stems)


def name_occurs_in(name: str, text: str) -> bool:
    """True when every word of `name` occurs in `text`, allowing case endings and script."""
    name_words = [_fold(w) for w in re.findall(_W, name)]
    tokens = [_fold(w) for w in re.findall(_W, text)]
    if not name_words or not tokens:
        return False
    latin = [t.translate(_TRANSLIT) for t in tokens]
    for word in name_words:
        roman = word.translate(_TRANSLIT)
        if not any(_inflects(word, t) for t in tokens) and not any(_inflects(roman, t) for t in latin) \
                and not (_ESTONIAN_WORD.fullmatch(word) and any(word in et_any_lemmas(t) for t in tokens
                                                               if _ESTONIAN_WORD.fullmatch(t))):
            return False  # (Vabamorf: "Mustikale" is Mustikas said in a case, "Kõutsi" Kõuts)
    return True


_ESTONIAN_WORD = re.compile(r"[a-zõäöüšž]+")
