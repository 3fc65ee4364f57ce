"""Text as it should be *spoken*, per language: numbers, prices, dates, times, phone numbers and
confirmation codes are written out in words so every TTS engine reads them the same, correct way.

    normalize_for_speech("35 €", "et")      -> "kolmkümmend viis eurot"
    normalize_for_speech("BK-4521", "en")   -> "B, K, four, five, two, one"  (letters, then single digits)
"""

from __future__ import annotations

import re
from typing import Callable

from receptionist.pipeline.numbers import (en_cardinal, en_ordinal, en_year, et_cardinal, et_ordinal,
                                           ru_cardinal, ru_ordinal, ru_plural, ru_year_genitive)

LANGUAGES = ("en", "et", "ru")

_CARDINAL: dict[str, Callable[[int], str]] = {"en": en_cardinal, "et": et_cardinal, "ru": ru_cardinal}

LETTERS = {
    "en": dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z".split())),
    "et": dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   ("aa bee tsee dee ee eff gee haa ii jott kaa ell emm enn oo pee kuu err ess tee uu vee "
                    "kaksisvee iks igrek zett").split())),
    "ru": dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   ("эй би си ди и эф джи эйч ай джей кей эл эм эн оу пи кью ар эс ти ю ви дабл-ю экс уай "
                    "зед").split())),
}

MONTHS = {
    "en": "january february march april may june july august september october november december".split(),
    "et": "jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember".split(),
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
}
# Estonian genitive stems: inflected forms are stem + "" / "l" / "ni" / "st" (detsembri, detsembril, ...)
_ET_MONTH_STEMS = ("jaanuari veebruari märtsi aprilli mai juuni juuli augusti septembri oktoobri novembri "
                   "detsembri").split()

_CODE = re.compile(r"\b([A-Z]{1,4})-?(\d{3,8})\b")
_PHONE = re.compile(r"(?<![\w.,])(\+?\d{1,4}(?:[ -]\d{2,4}){2,5})(?![\w])")
_AMOUNT = r"(\d{1,9}(?:[.,]\d{1,2})?)"
_PRICE_AFTER = re.compile(_AMOUNT + r"\s*(?:€|EUR\b|eur\b|euros?\b|eurot?\b|евро\b)", re.IGNORECASE)
_PRICE_BEFORE = re.compile(r"(?:€|EUR)\s?" + _AMOUNT)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOT_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_TIME = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_PERCENT = re.compile(r"(\d+)\s?%")
_EN_ORD = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")
_DECIMAL = re.compile(r"\b(\d+)[.,](\d+)\b")
_INT = re.compile(r"\d+")


def spell_code(letters: str, digits: str, lang: str) -> str:
    names = [LETTERS[lang].get(ch, ch) for ch in letters]
    return ", ".join(names + [_CARDINAL[lang](int(d)) for d in digits])


def _digits(group: str, lang: str) -> str:
    return " ".join(_CARDINAL[lang](int(d)) for d in group if d.isdigit())


def phone_to_words(number: str, lang: str) -> str:
    plus = {"en": "plus", "et": "pluss", "ru": "плюс"}[lang]
    groups = [g for g in re.split(r"[ -]", number.lstrip("+")) if g]
    words = ", ".join(_digits(g, lang) for g in groups)
    return f"{plus} {words}" if number.startswith("+") else words


def price_to_words(amount: str, lang: str) -> str:
    whole_s, _, cents_s = amount.replace(",", ".").partition(".")
    whole, cents = int(whole_s), int(cents_s.ljust(2, "0")) if cents_s else 0
    if lang == "en":
        text = f"{en_cardinal(whole)} {'euro' if whole == 1 else 'euros'}"
        return text + (f" {en_cardinal(cents)} {'cent' if cents == 1 else 'cents'}" if cents else "")
    if lang == "et":
        text = f"{et_cardinal(whole)} {'euro' if whole == 1 else 'eurot'}"
        return text + (f" {et_cardinal(cents)} {'sent' if cents == 1 else 'senti'}" if cents else "")
    text = f"{ru_cardinal(whole)} евро"
    return text + (f" {ru_cardinal(cents)} {ru_plural(cents, 'цент', 'цента', 'центов')}" if cents else "")


def date_to_words(year: int | None, month: int, day: int, lang: str, case: str = "nom") -> str:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError("not a date")
    if lang == "en":
        text = f"{MONTHS['en'][month - 1].capitalize()} {en_ordinal(day)}"
        return text + (f", {en_year(year)}" if year else "")
    if lang == "et":
        month_name = MONTHS["et"][month - 1] if case == "nom" else (
            _ET_MONTH_STEMS[month - 1] + {"gen": "", "ade": "l", "ter": "ni", "ela": "st"}[case])
        text = f"{et_ordinal(day, case)} {month_name}"
        return text + (f" {et_cardinal(year)}" if year else "")
    text = f"{ru_ordinal(day, 'gen' if case == 'gen' else 'nom_n')} {MONTHS['ru'][month - 1]}"
    return text + (f" {ru_year_genitive(year)} года" if year else "")


def time_to_words(hour: int, minute: int, lang: str) -> str:
    card = _CARDINAL[lang]
    if minute == 0:
        return {"en": f"{card(hour)} o'clock", "et": card(hour), "ru": f"{card(hour)} ноль-ноль"}[lang]
    if minute < 10:
        zero = {"en": "oh", "et": "null", "ru": "ноль"}[lang]
        return f"{card(hour)} {zero} {card(minute)}"
    return f"{card(hour)} {card(minute)}"


def _decimal(m: re.Match[str], lang: str) -> str:
    card = _CARDINAL[lang]
    point = {"en": "point", "et": "koma", "ru": "запятая"}[lang]
    return f"{card(int(m.group(1)))} {point} {' '.join(card(int(d)) for d in m.group(2))}"


_ET_DATE = re.compile(r"\b(\d{1,2})\.\s?(?:(" + "|".join(MONTHS["et"]) + r")|(" + "|".join(_ET_MONTH_STEMS)
                      + r")(l|ni|st)?)\b", re.IGNORECASE)
_EN_DATE = re.compile(r"\b(" + "|".join(m.capitalize() for m in MONTHS["en"]) + r")\s(\d{1,2})(?:st|nd|rd|th)?\b"
                      r"(?:,?\s(\d{4}))?")
_EN_DATE2 = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s(" + "|".join(m.capitalize() for m in MONTHS["en"]) + r")\b")
_RU_DATE = re.compile(r"(?:\b(с|со|до|от|после|около|к)\s)?\b(\d{1,2})\s(" + "|".join(MONTHS["ru"]) + r")\b",
                      re.IGNORECASE)
_RU_GEN_PREP = {"с", "со", "до", "от", "после", "около"}
_ET_SUFFIX_CASE = {"": "gen", "l": "ade", "ni": "ter", "st": "ela"}


def _dates(text: str, lang: str) -> str:
    def iso(m: re.Match[str]) -> str:
        try:
            return date_to_words(int(m.group(1)), int(m.group(2)), int(m.group(3)), lang)
        except ValueError:
            return m.group(0)

    def dotted(m: re.Match[str]) -> str:
        try:
            return date_to_words(int(m.group(3)), int(m.group(2)), int(m.group(1)), lang)
        except ValueError:
            return m.group(0)

    text = _ISO_DATE.sub(iso, text)
    text = _DOT_DATE.sub(dotted, text)
    if lang == "et":
        def et(m: re.Match[str]) -> str:
            if m.group(2):
                return date_to_words(None, MONTHS["et"].index(m.group(2).lower()) + 1, int(m.group(1)), "et")
            month = _ET_MONTH_STEMS.index(m.group(3).lower()) + 1
            return date_to_words(None, month, int(m.group(1)), "et", _ET_SUFFIX_CASE[(m.group(4) or "").lower()])
        text = _ET_DATE.sub(et, text)
    elif lang == "en":
        text = _EN_DATE.sub(lambda m: date_to_words(int(m.group(3)) if m.group(3) else None,
                                                    MONTHS["en"].index(m.group(1).lower()) + 1,
                                                    int(m.group(2)), "en"), text)
        text = _EN_DATE2.sub(lambda m: f"the {en_ordinal(int(m.group(1)))} of {m.group(2)}", text)
    elif lang == "ru":
        def ru(m: re.Match[str]) -> str:
            prep = m.group(1)
            case = "gen" if prep and prep.lower() in _RU_GEN_PREP else "nom"
            words = date_to_words(None, MONTHS["ru"].index(m.group(3).lower()) + 1, int(m.group(2)), "ru", case)
            if prep and prep.lower() == "к" and int(m.group(2)) == 2:
                prep = "ко"
            if prep and prep.lower() in ("к", "ко"):
                words = words.replace("ого ", "ому ", 1).replace("ьего ", "ьему ", 1) \
                    if case == "gen" else ru_ordinal(int(m.group(2)), "dat") + " " + m.group(3)
            return f"{prep} {words}" if prep else words
        text = _RU_DATE.sub(ru, text)
    return text


def normalize_for_speech(text: str, lang: str) -> str:
    if lang not in LANGUAGES:
        lang = "en"
    card = _CARDINAL[lang]
    text = _CODE.sub(lambda m: spell_code(m.group(1), m.group(2), lang), text)
    text = _dates(text, lang)
    text = _PHONE.sub(lambda m: phone_to_words(m.group(1), lang), text)
    text = _PRICE_AFTER.sub(lambda m: price_to_words(m.group(1), lang), text)
    text = _PRICE_BEFORE.sub(lambda m: price_to_words(m.group(1), lang), text)
    text = _TIME.sub(lambda m: time_to_words(int(m.group(1)), int(m.group(2)), lang), text)
    percent = {"en": "percent", "et": "protsenti", "ru": None}[lang]
    text = _PERCENT.sub(lambda m: f"{card(int(m.group(1)))} "
                        + (percent or ru_plural(int(m.group(1)), "процент", "процента", "процентов")), text)
    if lang == "en":
        text = _EN_ORD.sub(lambda m: en_ordinal(int(m.group(1))), text)
    text = _DECIMAL.sub(lambda m: _decimal(m, lang), text)
    text = _INT.sub(lambda m: card(int(m.group(0))) if len(m.group(0)) <= 4 else _digits(m.group(0), lang), text)
    return re.sub(r"\s{2,}", " ", text).strip()
