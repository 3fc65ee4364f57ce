"""On the phone the summary is one breath (room, name, dates with weekdays, nights, price, phone);
the check-in and check-out times follow the booking. Text channels keep the full summary."""

from __future__ import annotations

import asyncio

import pytest

LINES = ["I need a dog room for Rex from the 10th to the 15th of December"]  # the phone: the caller id


def run(conv, lines):
    return [asyncio.run(conv.say(line)) for line in lines]


@pytest.mark.parametrize("channel", ["voice", "sms"])
def test_the_summary_is_short_on_the_phone_and_full_in_text(convo, channel: str) -> None:
    conv = convo(channel=channel, caller_id="+37251234567")
    summary = run(conv, LINES)[-1].text
    for fact in ("Rex", "Thursday 10 December", "Tuesday 15 December", "5 nights", "€175", "5123 4567"):
        assert fact in summary, summary
    assert ("Check-in" in summary) is (channel != "voice"), summary
    assert len(summary) < 120 if channel == "voice" else len(summary) > 150, summary


def test_on_the_phone_the_check_times_follow_the_booking(convo) -> None:
    conv = convo(channel="voice", caller_id="+37251234567")
    booked = run(conv, [*LINES, "yes"])[-1]
    assert "confirmation number" in booked.text and "Check-in is from 14:00" in booked.text, booked.text
    assert booked.text.index("confirmation number") < booked.text.index("Check-in"), booked.text
