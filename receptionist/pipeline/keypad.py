"""Keypad (DTMF) answers during a spoken conversation on the phone line — pure, no audio, no clock.

At the phone-number and date questions the bot adds "… or type it on your keypad and press hash"
(the language folder's replies.toml templates `keypad_phone` / `keypad_date`); digits typed then
become the caller's answer, as if said: "5123 4567#" -> "51234567", "15*12#" -> "15.12" (the star
separates day and month). Outside those questions a key is not ours (the line keeps its hand-off key).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from receptionist import lang as langdata

# The slot an AgentReply awaits -> the replies.toml template that offers the keypad for it.
KEYPAD_HINTS = {"phone": "keypad_phone", "start_date": "keypad_date", "end_date": "keypad_date",
                "date": "keypad_date"}
MAX_KEYS = 20


def keypad_hint(awaiting: str | None, language: str) -> str:
    """The sentence that offers the keypad for the awaited slot, "" when none applies."""
    key = KEYPAD_HINTS.get(awaiting or "")
    if key is None:
        return ""
    try:
        return str(langdata.section(language, "replies").get("templates", {}).get(key, ""))
    except langdata.UnknownLanguage:
        return ""


@dataclass(slots=True)
class KeypadAnswer:
    """Keys typed for one answer. `push` returns the finished answer text on `#` (None before)."""

    keys: list[str] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return bool(self.keys)

    def push(self, key: str) -> str | None:
        if key == "#":
            text = "".join(self.keys).strip(".")
            self.keys.clear()
            return text or None
        if key == "*":
            if self.keys and self.keys[-1] != ".":
                self.keys.append(".")
        elif key.isdigit() and len(self.keys) < MAX_KEYS:
            self.keys.append(key)
        return None
