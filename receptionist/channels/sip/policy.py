"""Pure decisions of the line: who may call, how many at once, what a caller's number is, and the
keypad entry of a callback number. No pjsua2 here: unit-tested with plain values."""

from __future__ import annotations

import re
from dataclasses import dataclass

BUSY_HERE = 486
FORBIDDEN = 403

_URI_USER = re.compile(r"<?\s*(?:sips?|tel):([^@;>]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Admission:
    status: int  # 200 = answer
    reason: str

    @property
    def accepted(self) -> bool:
        return self.status == 200


def admit(source_ip: str, active_calls: int, *, max_calls: int, allowed_sources: tuple[str, ...],
          registered: bool) -> Admission:
    """Answer, or refuse with 486 beyond the cap / 403 from a source that may not call us.
    With a registrar, calls come through it and any source is accepted (the PBX does the policing)."""
    if not registered and source_ip not in allowed_sources:
        return Admission(FORBIDDEN, "source-not-allowed")
    if active_calls >= max_calls:
        return Admission(BUSY_HERE, "busy")
    return Admission(200, "ok")


def source_ip(src: str) -> str:
    """ "127.0.0.1:5061" / "[::1]:5061" -> the IP part."""
    src = src.strip()
    if src.startswith("["):
        return src[1:src.index("]")]
    return src.rsplit(":", 1)[0] if src.count(":") == 1 else src


def caller_number(remote_uri: str) -> str | None:
    """The user part of the caller's URI when it looks like a phone number ("+372 5551 2345"),
    else None (anonymous, names, extensions shorter than 3 digits)."""
    m = _URI_USER.search(remote_uri or "")
    if not m:
        return None
    user = m.group(1).strip()
    digits = re.sub(r"[\s\-().]", "", user)
    if not re.fullmatch(r"\+?\d{3,16}", digits):
        return None
    return digits


class KeypadEntry:
    """Collects a phone number typed on the keypad: digits, `#` ends, `*` starts over.
    `push` returns the finished number when `#` arrives (None otherwise)."""

    def __init__(self, max_digits: int = 16) -> None:
        self.max_digits = max_digits
        self._digits: list[str] = []

    @property
    def digits(self) -> str:
        return "".join(self._digits)

    def push(self, key: str) -> str | None:
        if key == "*":
            self._digits.clear()
        elif key == "#":
            number = self.digits
            self._digits.clear()
            return number
        elif key.isdigit() and len(self._digits) < self.max_digits:
            self._digits.append(key)
        return None


class MediaWatch:
    """Notices callers whose RTP stopped: a phone that lost its network (or a peer killed without a BYE)
    leaves the call open forever, holding one of `max_calls`. Fed each call's received-packet count with
    the time it was read (seconds, any monotonic clock); `silent` says the count has not grown for
    `timeout_s` (0 = never). The count only starts to matter once media is up (the first observation)."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._last: dict[str, tuple[int, float]] = {}  # call key -> (packets, when they last grew)

    def silent(self, key: str, packets: int, now: float) -> bool:
        seen = self._last.get(key)
        if seen is None or packets != seen[0]:
            self._last[key] = (packets, now)
            return False
        return self.timeout_s > 0 and now - seen[1] >= self.timeout_s

    def forget(self, key: str) -> None:
        self._last.pop(key, None)
