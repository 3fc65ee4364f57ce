"""Phone numbers said or typed by a caller, returned as E.164 ("+37251234567") or None.

Handles grouped digits ("5123 4567"), international forms ("+7 916 123-45-67"), digits spoken
one by one ("5 1 2 3 4 5 6 7") and digits spelled as words in en / et / ru ("five one two ...",
"viis üks kaks ...", "пять один два ..."; "plus"/"pluss"/"плюс" for "+").
Only numbers that phonenumbers considers valid are returned.
"""

from __future__ import annotations

import re

import phonenumbers

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import DIGIT_WORDS

_PLUS_WORDS = frozenset(langdata.merged_list("lexicon", "plus_words"))  # "plus" said for "+"
_TOKEN = re.compile(r"\+|\d+|[^\W\d_]+|[^\s\w]", re.UNICODE)
_RUN = re.compile(r"\+?\d[\d\s\-().]{4,}\d")


def _spell_out(text: str) -> str:
    """Replace digit words with digits so that "five one two" reads "5 1 2"."""
    out = []
    for token in _TOKEN.findall(text.lower().replace("ё", "е")):
        if token in _PLUS_WORDS:
            out.append("+")
        else:
            out.append(DIGIT_WORDS.get(token, token))
    return " ".join(out).replace("+ ", "+")


def _valid(candidate: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def extract_phone(text: str, region: str = "EE") -> str | None:
    """The first valid phone number in `text`, E.164-formatted; `region` is the default country."""
    sources: list[str] = []
    for base in (text, _spell_out(text)):  # digits as written, and digit words ("three oh oh one") as digits
        # Speech recognition writes spoken digit groups with thousands separators: "5,123,4,567".
        joined = re.sub(r"(?<=\d)[,.](?=\d)", "", base)
        grouped = re.sub(r"(?<=\d)\s*[,;]\s*(?=\+?\d)", " ", joined)  # "5 2, 45, 67" said in groups
        sources += [base, joined, grouped, _sentences(base)]  # "number 5123 4567. 10. to 14. December"
    for source in dict.fromkeys(sources):
        for m in _RUN.finditer(source):
            groups = m[0].split()
            for i in range(len(groups)):  # "oh, five one ..." -> drop the stray leading "0"
                if found := _valid(" ".join(groups[i:]), region):
                    return found
    return None


def is_valid_phone(e164: str) -> bool:
    """True when an E.164 string (e.g. proposed by the LLM) is a valid number."""
    return _valid(e164, "ZZ") is not None if e164.startswith("+") else False


_SPAN = re.compile(r"\+?\d[\d\s,;.\-()]*\d")  # digits with the separators people and Whisper put between groups


def _sentences(text: str) -> str:
    """`text` with a full stop after a digit and before a space made a hard break (same length), so
    that a number ends with its sentence: "5123 4567. 10. kuni 14." holds 5123 4567, then a day."""
    return re.sub(r"(?<=\d)[.!?](?=\s)", "|", text)


def without_phone(text: str, region: str = "EE") -> str:
    """`text` (number words already as digits) with the digits of a phone number blanked out, so
    that "5 5 3, 9 0 1, 7 4" or "558, 602, 19" said for the phone never becomes a day or a number
    of nights. Only a run that holds a valid number is blanked (from the first group that makes it
    valid: "from 10 to 12, 5123 4567" keeps the 10 and the 12)."""
    out = text
    spans = [*_SPAN.finditer(text), *_SPAN.finditer(_sentences(text))]  # "5123. 4-5-6-7" is one number, too
    for m in spans:
        groups = list(re.finditer(r"\+?\d+", m[0]))
        for i in range(len(groups)):
            start = m.start() + groups[i].start()
            candidate = re.sub(r"[^\d+]", "", text[start:m.end()])
            if len(candidate.lstrip("+")) >= 7 and _valid(candidate, region):
                out = out[:start] + " " * (m.end() - start) + out[m.end():]
                break
    return out


_LAST_DIGITS = tuple(re.compile(p) for p in langdata.merged_list("phone_words", "last_digits"))


def phone_tail(digits: str) -> tuple[str, tuple[int, int]] | None:
    """A fix of the end of a number already given ("the last digit is a 7, not a 6", "viimane on 7",
    "последняя цифра 7"): the new last digits and the (start, end) of the phrase in `digits` (the
    text with number words as digits, lower case or not), or None. A stated count of digits that
    disagrees with the digits said gives None (phone_words.toml `last_digits`)."""
    low = digits.lower()
    for pattern in _LAST_DIGITS:
        if m := pattern.search(low):
            tail = re.sub(r"\D", "", m["tail"])
            count = m.groupdict().get("count")
            if count and int(count) != len(tail):
                return None
            return tail, m.span()
    return None


def with_tail(e164: str, tail: str) -> str | None:
    """`e164` with its last len(tail) digits replaced by `tail`, when the result is a valid number."""
    if not tail or len(tail) >= len(e164) - 4:
        return None
    fixed = e164[: -len(tail)] + tail
    return fixed if is_valid_phone(fixed) else None


_PHONE_CUE = re.compile("|".join(f"(?:{p})" for p in langdata.merged_list("phone_words", "phone_cue")) or r"(?!x)x")
_CONTINUATION = frozenset(langdata.merged_list("phone_words", "continuation"))


def starts_a_number(text: str) -> bool:
    """Whether the caller starts giving a phone number ("my number is ...", "mu telefon on ...",
    "мой номер ..."): phone_words.toml `phone_cue` of every language folder."""
    return _PHONE_CUE.search(text.lower()) is not None


def only_digits(digits: str) -> bool:
    """Whether an utterance (number words already as digits) is nothing but digits and the little
    words that come with the rest of a number ("and 91 23", "ja siis 9042"): `continuation`."""
    rest = [w for w in re.findall(r"[^\W\d_]+", digits.lower()) if w not in _CONTINUATION]
    return not rest and re.search(r"\d", digits) is not None
