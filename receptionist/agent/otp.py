"""One-time codes: 6 random digits texted to a booking's phone. Only a salted hash is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from receptionist.agent.extract.lexicon import DIGIT_WORDS

DIGITS = 6
_TOKEN = re.compile(r"\d|[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A fresh code: `code` goes into the text message and nowhere else; the rest goes into the session."""

    code: str
    salt: str
    digest: str
    expires_at: datetime


def digest(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def issue(now: datetime, valid: timedelta, rng: random.Random | None = None) -> IssuedCode:
    """A new random code valid until `now + valid` (`rng` is injectable for tests; default: the OS's CSPRNG)."""
    rng = rng or secrets.SystemRandom()
    code = f"{rng.randrange(10 ** DIGITS):0{DIGITS}d}"
    salt = secrets.token_hex(8)
    return IssuedCode(code, salt, digest(code, salt), now + valid)


def matches(code: str, salt: str, hashed: str) -> bool:
    """Constant-time comparison of a code the caller gave with the stored hash."""
    return hmac.compare_digest(digest(code, salt), hashed)


def parse_code(text: str) -> str | None:
    """The 6-digit code in what the caller typed or said: "482 913", "4-8-2-9-1-3", "four eight two nine one
    three" (digit words of en / et / ru). None unless exactly six digits were given."""
    digits = []
    for token in _TOKEN.findall(text.lower().replace("ё", "е")):
        digit = token if token.isdigit() else DIGIT_WORDS.get(token)
        if digit is not None:
            digits.append(digit)
    return "".join(digits) if len(digits) == DIGITS else None
