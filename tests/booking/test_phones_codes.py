from __future__ import annotations

import random

import pytest

from receptionist.booking.codes import new_code, normalize_code
from receptionist.booking.phones import format_phone, normalize_phone
from receptionist.errors import BookingError


@pytest.mark.parametrize("text, region, expected", [
    ("5123 4567", "EE", "+37251234567"),
    ("+372 5123 4567", "EE", "+37251234567"),
    ("00372 5123 4567", "EE", "+37251234567"),
    ("+7 912 345-67-89", "EE", "+79123456789"),
    ("040 1234567", "FI", "+358401234567"),
])
def test_normalize_phone(text, region, expected):
    assert normalize_phone(text, region) == expected


@pytest.mark.parametrize("text", ["", "  ", "12", "hello", "+372 1", "+44 7700 900123"])
def test_invalid_phone(text):
    with pytest.raises(BookingError) as info:
        normalize_phone(text, "EE")
    assert info.value.code == "invalid-phone"


def test_format_phone():
    assert format_phone("+37251234567") == "+372 5123 4567"


@pytest.mark.parametrize("text", ["BK-482913", "bk-482913", "bk 482 913", "BK482913", " 482913 ", "#482913",
                                  "BK-482-913", "БК 482913"])
def test_normalize_code(text):
    assert normalize_code(text) == "BK-482913"


@pytest.mark.parametrize("text", ["BK-4521", "bk 4521", "4521"])
def test_legacy_four_digit_codes_are_still_read(text):
    assert normalize_code(text) == "BK-4521"


@pytest.mark.parametrize("text", ["", "BK-12", "booking", "XX-482913", "BK-48291", "BK-4829131", "5123 4567"])
def test_bad_code_is_not_found(text):
    with pytest.raises(BookingError) as info:
        normalize_code(text)
    assert info.value.code == "not-found"


def test_new_code_shape():
    rng = random.Random(1)
    codes = {new_code(rng) for _ in range(500)}
    assert all(len(c) == 9 and c.startswith("BK-") and c[3:].isdigit() and c[3] != "0" for c in codes)
    assert len(codes) == 500  # random, not sequential
