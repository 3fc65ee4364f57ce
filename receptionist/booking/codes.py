"""Confirmation codes: "BK-4521" — short enough to read out on the phone, unique per tenant."""

from __future__ import annotations

import random
import re

from receptionist.errors import BookingError

PREFIX = "BK-"
_CODE = re.compile(r"^\s*(?:BK)?[\s\-#]*(\d{4,8})\s*$", re.IGNORECASE)


def new_code(rng: random.Random, digits: int = 4) -> str:
    """A random code with `digits` digits, never starting with 0 (so it reads naturally)."""
    return f"{PREFIX}{rng.randint(10 ** (digits - 1), 10 ** digits - 1)}"


def normalize_code(text: str) -> str:
    """"bk 4521", "BK-4521", "4521" → "BK-4521"; BookingError(code="not-found") for anything else."""
    m = _CODE.match(text) if isinstance(text, str) else None
    if not m:
        raise BookingError(f"not a booking code: {text!r} (expected e.g. BK-4521)", code="not-found")
    return PREFIX + m.group(1)
