"""Typed errors with stable codes. One table maps each code to what the caller hears, per language:
`[errors]` in receptionist/lang/<code>/errors.toml, read by `caller_message` on every channel (voice,
web chat, SMS, `receptionist chat`) and by the agent."""

from __future__ import annotations

import string
from typing import Any

# Every code a caller can meet, by stage. Each has a message in every language's errors.toml.
CALLER_CODES: tuple[str, ...] = (
    # any stage
    "internal", "config-invalid", "unknown-tenant",
    # voice pipeline and models
    "stt-failed", "tts-failed", "llm-timeout", "model-failed", "sip-media-lost",
    # the booking backend (BackendUnavailable) and the calendar (BookingError)
    "tool-timeout", "backend-unavailable", "backend-unreachable", "backend-invalid",
    "booking-failed", "invalid-request", "idempotency-conflict", "past-date", "invalid-date", "closed",
    "outside-hours", "too-long", "too-far", "not-open", "full", "slot-taken", "invalid-phone", "not-found",
    "unknown-session",
    # text channels (web chat)
    "rate-limited", "message-too-long", "invalid-session", "invalid-language", "invalid-json",
    "invalid-frame", "origin-not-allowed",
)
FALLBACK_LANGUAGE = "en"


def caller_message(code: str, language: str, **values: Any) -> str:
    """What the caller hears for error `code` in `language` (receptionist/lang/<language>/errors.toml).
    A code without a message is said as `internal`; a language without the table is said in English;
    a message whose `{placeholders}` are not all in `values` is said as `booking-failed` (so a channel
    that knows only the code still says something true). Never raises for an unknown code or language."""
    from receptionist import lang as langdata

    table: dict[str, str] = {}
    for lang in (language, FALLBACK_LANGUAGE):
        try:
            table = dict(langdata.section(lang, "errors").get("errors", {}))
        except langdata.UnknownLanguage:
            continue
        if table:
            break
    text = table.get(code) or table.get("internal", "")
    if not placeholders(text) <= values.keys():
        return table.get("booking-failed", "")
    return text.format(**values)


def placeholders(text: str) -> set[str]:
    """The `{names}` a message needs filled in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class ReceptionistError(Exception):
    """Base error: `code` is stable and machine-readable, the message is for staff/logs."""

    code: str = "internal"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.code)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class ConfigError(ReceptionistError):
    code = "config-invalid"


class BookingError(ReceptionistError):
    """Calendar errors: invalid-date, past-date, closed, full, invalid-phone, not-found,
    invalid-request, slot-taken, unknown-tenant."""

    code = "booking-failed"


class BackendUnavailable(ReceptionistError):
    """A booking backend timed out or failed transiently (retries exhausted)."""

    code = "tool-timeout"


class ModelError(ReceptionistError):
    code = "model-failed"
