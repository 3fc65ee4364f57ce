"""Typed errors with stable codes. One table (agent/replies) maps each code to what the caller hears."""

from __future__ import annotations


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
