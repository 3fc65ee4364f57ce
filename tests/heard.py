"""Whether a booking code can be read in a Whisper transcript of the bot's speech (shared by the
voice, SIP and softphone tests and scripts/bench-sip)."""

from __future__ import annotations

import re

# How Whisper base writes a digit the bot spoke on its own ("8" read out alone comes back as "A", "3" as "Free").
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "won": "1", "two": "2", "to": "2", "too": "2",
               "three": "3", "free": "3", "four": "4", "for": "4", "five": "5", "six": "6", "seven": "7",
               "eight": "8", "a": "8", "nine": "9"}


def code_heard(transcript: str, code: str, slips: int = 1) -> bool:
    """Whether a booking code ("BK-482913") can be read in a Whisper transcript of the bot's English speech:
    its six digits in a row (as digits, digit words or the sound-alikes in DIGIT_WORDS), allowing `slips`
    digits misheard, dropped or doubled. Whisper base slips on line audio ("four, four" -> "4."); a reply
    cut short loses its whole code sentence, or more."""
    digits = code.split("-")[-1]
    heard = "".join(tok if tok.isdigit() else DIGIT_WORDS.get(tok, "")
                    for tok in re.findall(r"\d|[^\W\d_]+", transcript.lower()))
    n = len(digits)
    windows = {heard[i:i + k] for k in range(n - slips, n + slips + 1) for i in range(max(1, len(heard) - k + 1))}
    return any(_edits(digits, w) <= slips for w in windows if len(w) >= n - slips)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


