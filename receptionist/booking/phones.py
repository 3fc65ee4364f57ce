"""Phone numbers: whatever a caller typed or said → E.164, validated by the phonenumbers library."""

from __future__ import annotations

import phonenumbers

from receptionist.errors import BookingError


def normalize_phone(text: str, region: str = "EE") -> str:
    """"5123 4567" (region EE) → "+37251234567"; BookingError(code="invalid-phone") if not a real number."""
    if not isinstance(text, str) or not text.strip():
        raise BookingError("phone number is missing", code="invalid-phone")
    try:
        number = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException:
        raise BookingError(f"not a phone number: {text!r}", code="invalid-phone") from None
    if not phonenumbers.is_valid_number(number):
        raise BookingError(f"not a valid phone number: {text!r}", code="invalid-phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """For people: "+37251234567" → "+372 5123 4567" (unchanged if it does not parse)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
