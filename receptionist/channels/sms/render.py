"""Replies as text messages (pure): options as "1) … 2) …", a length budget in SMS segments, numbered
answers back to option values. (Long incoming messages are put together from the inbox: inbox.assemble.)"""

from __future__ import annotations

import re
from typing import Sequence

from receptionist.events import AgentReply, QuickReply

# GSM 03.38 default alphabet; the extension characters cost two septets. Anything else → UCS2.
_GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
                 "¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXT = set("^{}\\[~]|€")
ELLIPSIS = "..."


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXT for ch in text)


def units(text: str) -> tuple[int, bool]:
    """(length in the encoding's units, whether GSM-7 fits): septets for GSM-7, UTF-16 code units for UCS2."""
    if is_gsm7(text):
        return sum(2 if ch in _GSM_EXT else 1 for ch in text), True
    return len(text.encode("utf-16-le")) // 2, False


def segments(text: str) -> int:
    n, gsm = units(text)
    single, multi = (160, 153) if gsm else (70, 67)
    return 1 if n <= single else -(-n // multi)


def fit(text: str, max_parts: int) -> str:
    """`text`, shortened at a word boundary (with "...") so that it fits in `max_parts` segments."""
    if segments(text) <= max_parts:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that still fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if segments(text[:mid].rstrip() + ELLIPSIS) <= max_parts:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + ELLIPSIS


def render(reply: AgentReply) -> str:
    text = reply.text
    if reply.options:
        text += "\n" + " ".join(f"{i}) {o.label}" for i, o in enumerate(reply.options, 1))
    return text


def chosen(text: str, options: Sequence[QuickReply]) -> str | None:
    """"2" (or "2)") after options were offered → that option's value."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*[).]?\s*", text)
    if m and options and 1 <= int(m.group(1)) <= len(options):
        return options[int(m.group(1)) - 1].value
    return None
