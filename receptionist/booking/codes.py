"""Confirmation codes: "BK-482913" — "BK-" and six random digits, unique per tenant.

Why six digits and not six letters from a look-alike-free alphabet: callers read codes aloud over
the phone in English, Estonian and Russian, and Whisper writes down what they said. Digit names are
known to every caller in all three languages, Whisper transcribes them reliably (usually as digits),
and our digit-word tables (`agent/extract/lexicon.DIGIT_WORDS`) already parse them. Letter names
differ per language (B: "bee" / "bee" / "бэ"; Latin B and Cyrillic В look alike, as do K/К, C/С),
get misheard in pairs (B/D/P/T/V/E, M/N, S/F) and Whisper spells them inconsistently. Six digits with
a non-zero first digit give 900,000 values per tenant (100x the old 9,000), drawn at random from
`SystemRandom` — never sequential, so one code says nothing about the next. The length is fixed:
on a collision generation draws again, it never silently grows.

Codes made before this format ("BK-4521", four digits) are still accepted wherever a code is read.

`find_code(text)` is the one parser used everywhere a caller's words may hold a code: typed
("BK-482913", "bk 482 913", "БК482913", "482913" when the message is essentially just the code),
spoken digit by digit ("four eight two nine one three", "neli kaheksa kaks üheksa üks kolm",
"четыре восемь два девять один три"), with or without the prefix, with Whisper's separators
("482,913", "4-8-2-9-1-3"). Seven or more digits in a row are a phone number, never a code.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import DIGIT_WORDS
from receptionist.errors import BookingError

PREFIX = "BK-"
DIGITS = 6
LEGACY_DIGITS = 4  # codes issued before the six-digit format; still read and looked up

# How the "BK" prefix gets written: typed (Latin, or the Cyrillic look-alikes БК / ВК) and as Whisper
# writes the letter names the bot says (pipeline/speech_text spells them: "B, K" / "bee, kaa" / "би, кей").
# Each language folder's lexicon.toml `code_prefix_forms` (lower case, one entry per word).
_PREFIX_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form) for _, forms in langdata.per_language("lexicon", "code_prefix_forms") for form in forms
)
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_GAP = re.compile(r"[\s,.\-–—/:#]*")  # what may stand between the digits of one code (and after the prefix)
_STRONG_GAP = re.compile(r"[,;]\s")  # "…913, 5123 4567": a list separator splits digit groups
_OTHER_WORDS_WHEN_ALONE = 3  # "it's 482913", "my code is 482 913", "see on 482913"
_NORMALIZE = re.compile(  # a typed prefix is one word: "BK", "БК"
    r"^\s*(?:" + "|".join(re.escape(f[0]) for f in _PREFIX_FORMS if len(f) == 1) + r")?[\s\-#:]*(\d(?:[\s\-]?\d)*)\s*$",
    re.IGNORECASE,
)


def new_code(rng: random.Random) -> str:
    """A random code: "BK-" + 6 digits, never starting with 0 (so it reads naturally)."""
    return f"{PREFIX}{rng.randint(10 ** (DIGITS - 1), 10 ** DIGITS - 1)}"


def normalize_code(text: str) -> str:
    """A code as staff or an API client types it → "BK-482913".

    "bk 482913", "BK-482 913", "482913", "#482913" and the old "BK-4521" are accepted;
    anything else raises BookingError(code="not-found")."""
    m = _NORMALIZE.match(text) if isinstance(text, str) else None
    digits = re.sub(r"\D", "", m.group(1)) if m else ""
    if len(digits) not in (DIGITS, LEGACY_DIGITS):
        raise BookingError(f"not a booking code: {text!r} (expected e.g. BK-482913)", code="not-found")
    return PREFIX + digits


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # lower-cased, "ё" folded
    start: int
    end: int
    digits: str | None  # "482" for a typed group, "4" for a digit word, None for any other word


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        word = m.group().lower().replace("ё", "е")
        digits = word if word.isdigit() else DIGIT_WORDS.get(word)
        out.append(_Token(word, m.start(), m.end(), digits))
    return out


def _prefix_before(tokens: list[_Token], i: int, text: str) -> bool:
    """Whether tokens[..i) end with a prefix form, joined to the digits by separators only."""
    for form in _PREFIX_FORMS:
        n = len(form)
        if i < n or tuple(t.text for t in tokens[i - n:i]) != form:
            continue
        pieces = [*tokens[i - n:i], tokens[i]]
        if all(_GAP.fullmatch(text[a.end:b.start]) for a, b in zip(pieces, pieces[1:])):
            return True
    return False


def _runs(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """[start, end) index ranges of digit tokens joined by separators only."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if tokens[i].digits is None:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].digits is not None:
            gap = text[tokens[j - 1].end:tokens[j].start]
            singles = len(tokens[j - 1].digits or "") == 1 and len(tokens[j].digits or "") == 1
            if not _GAP.fullmatch(gap) or (_STRONG_GAP.search(gap) and not singles):
                break
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _plain_grouping(groups: list[str]) -> bool:
    """Typed without a prefix, a code is written "482913", "482 913" / "482,913" or digit by digit —
    not "10 2026" or "10.12.26" (dates)."""
    sizes = [len(g) for g in groups]
    return sizes in ([DIGITS], [3, 3], [1] * DIGITS)


def find_code(text: str, *, expected: bool = False) -> str | None:
    """The booking code in a caller's words, as "BK-482913" (or a legacy "BK-4521"), else None.

    Without the prefix, six digits count when they were spoken as digit words, when the message is
    essentially just the code (at most three other words), or when `expected` (the bot has just asked
    for the code). Four-digit legacy codes need the prefix, or `expected`. A digit run of seven or
    more digits (a phone number) is never a code, nor any part of it.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    tokens = _tokens(text)
    runs = _runs(tokens, text)
    in_runs = {k for a, b in runs for k in range(a, b)}
    other_words = sum(1 for k, t in enumerate(tokens) if k not in in_runs and t.digits is None)
    for a, b in runs:
        if b - a == DIGITS + 1 and tokens[a].digits == "0" and not tokens[a].text.isdigit():
            a += 1  # "oh, four eight two nine one three": the "oh" is a hesitation, not a digit
        groups = [t.digits or "" for t in tokens[a:b]]
        digits = "".join(groups)
        if len(digits) not in (DIGITS, LEGACY_DIGITS) or digits[0] == "0":
            continue
        prefixed = _prefix_before(tokens, a, text)
        if prefixed or expected:
            return PREFIX + digits
        if len(digits) != DIGITS:
            continue
        spoken = all(not t.text.isdigit() for t in tokens[a:b])
        alone = len(runs) == 1 and other_words <= _OTHER_WORDS_WHEN_ALONE
        if spoken or (alone and _plain_grouping(groups)):
            return PREFIX + digits
    return None

