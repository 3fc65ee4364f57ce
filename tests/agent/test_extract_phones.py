"""Phone numbers said or typed, returned as E.164."""

from __future__ import annotations

import pytest

from receptionist.agent.extract import extract_phone, is_valid_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5123 4567", "+37251234567"),
        ("+372 5123 4567", "+37251234567"),
        ("my number is +372 5123 4567, thanks", "+37251234567"),
        ("+7 916 123-45-67", "+79161234567"),
        ("5 1 2 3 4 5 6 7", "+37251234567"),
        ("five one two three four five six seven", "+37251234567"),
        ("viis üks kaks kolm neli viis kuus seitse", "+37251234567"),
        ("пять один два три четыре пять шесть семь", "+37251234567"),
        ("плюс семь девять один шесть один два три четыре пять шесть семь", "+79161234567"),
        ("oh, five one two three four five six seven", "+37251234567"),
    ],
)
def test_phone_numbers_in_every_form(text, expected):
    assert extract_phone(text) == expected


@pytest.mark.parametrize("text", ["December 10th", "10.12–15.12", "123", "two dogs", ""])
def test_no_phone_number_when_there_is_none(text):
    assert extract_phone(text) is None


def test_region_decides_numbers_without_country_code():
    assert extract_phone("916 123-45-67", region="RU") == "+79161234567"


def test_validating_an_llm_proposed_number():
    assert is_valid_phone("+37251234567")
    assert not is_valid_phone("+3725")
    assert not is_valid_phone("51234567")


@pytest.mark.parametrize("heard", ["My number is 5,123,4,567.", "51,234,567", "5123.4567"])
def test_digit_groups_written_by_speech_recognition(heard):
    assert extract_phone(heard) == "+37251234567"
