"""Sentence splitting for streaming TTS: the first sentence can be spoken while the rest is synthesized.

- `split_sentences(text)` for a complete text.
- `SentenceStream` for text that arrives in pieces (LLM tokens): `feed()` returns the sentences that are
  complete so far, `flush()` the rest.
A full stop ends a sentence only when followed by space and an upper-case letter, a digit or a quote
(or the end of the text), and not after an abbreviation ("Dr.", "nt.", "т.е.") — so "35.50 €",
"1. detsembril" and "01.12.2026" stay whole. Long sentences are cut at commas/semicolons so that the
first audio is not delayed by a 40-word sentence.
"""

from __future__ import annotations

import re

from receptionist import lang as langdata

# Abbreviations whose full stop does not end a sentence: every language folder's speech.toml.
ABBREVIATIONS = frozenset(langdata.merged_list("speech", "abbreviations"))

_END = re.compile(r"([.!?…]+)([\"'»”)]*)(\s+|$)")
_NEXT_START = re.compile(r"[\"'«“(]*(\w)")  # then an upper-case letter (any script) or a digit
MAX_CHARS = 160
_SOFT_BREAK = re.compile(r"(?<=[,;:—–])\s+")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    before = text[:match.start()].rsplit(None, 1)
    word = before[-1].lower() if before else ""
    rest = text[match.end():]
    if match.group(1).startswith(".") and len(match.group(1)) == 1:
        if word.rstrip(".") in ABBREVIATIONS or word in ABBREVIATIONS:
            return False
        if len(word) == 1 and word.isalpha():  # initials: "J. Smith"
            return False
    if not rest:
        return True
    m = _NEXT_START.match(rest)
    return bool(m) and (m.group(1).isupper() or m.group(1).isdigit())


def _split_long(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    parts, current = [], ""
    for piece in _SOFT_BREAK.split(sentence):
        if current and len(current) + 1 + len(piece) > max_chars:
            parts.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    stream = SentenceStream(max_chars)
    return stream.feed(text) + stream.flush()


class SentenceStream:
    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self.max_chars = max_chars
        self._buf = ""

    def feed(self, piece: str) -> list[str]:
        self._buf += piece
        out: list[str] = []
        pos = 0
        for m in _END.finditer(self._buf):
            if m.end() == len(self._buf) and not m.group(3):
                break  # the text may continue ("35." then "50 €"): wait for more
            if _is_boundary(self._buf, m):
                sentence = self._buf[pos:m.end()].strip()
                if sentence:
                    out.extend(_split_long(sentence, self.max_chars))
                pos = m.end()
        self._buf = self._buf[pos:]
        return out

    def flush(self) -> list[str]:
        rest, self._buf = self._buf.strip(), ""
        return _split_long(rest, self.max_chars) if rest else []
