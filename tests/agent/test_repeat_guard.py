"""No reply a third time: the same words twice, then a colleague's call back is offered instead."""

from __future__ import annotations

import pytest

from tests.agent.harness import talk

BOOKED = "Dog room 10 to 12 December for Rex, 5123 4567"


@pytest.mark.parametrize("lines,lang", [
    (["Hi", "blah blah", "blah blah", "blah blah"], "en"),
    (["Tere", "noh see asi seal", "noh see asi seal", "noh see asi seal"], "et"),
])
def test_a_reply_not_understood_three_times_offers_a_call_back(lines: list[str], lang: str) -> None:
    replies = talk("config.toml", lines, channel="chat")
    assert replies[1] == replies[2]
    assert replies[3] != replies[2]
    assert ("colleague" if lang == "en" else "Kolleeg") in replies[3]


def test_the_call_back_number_is_then_taken() -> None:
    replies = talk("config.toml", ["Hi", "blah blah", "blah blah", "blah blah", "5123 4567"], channel="chat")
    assert "+372 5123 4567" in replies[4] and "call you back" in replies[4]


def test_the_summary_question_is_not_asked_a_third_time() -> None:
    """The summary asks "Shall I book it?", "hmm" gets "Please say yes…" - the second time the question
    is asked; the third would be a loop, so the known number is offered for a call back."""
    replies = talk("config.toml", [BOOKED, "hmm well", "hmm well the thing"], channel="chat")
    assert "Shall I book it?" in replies[0] and "say yes" in replies[1]
    assert "Shall a colleague call you back on +372 5123 4567?" in replies[2]


def test_questions_at_the_summary_are_no_loop() -> None:
    replies = talk("config.toml", [BOOKED, "Do you have food?", "What time is check-in?", "Do you have food?", "yes"],
                   channel="chat")
    assert "colleague" not in " ".join(replies[:4]) and "confirmed" in replies[4]


def test_different_replies_are_not_counted_together() -> None:
    replies = talk("config.toml", ["Hi", "blah blah", "How much is a dog room?", "blah blah", "Thanks, bye"],
                   channel="chat")
    assert replies[3] == replies[1] and "colleague" not in replies[3]


@pytest.mark.parametrize("lines,words", [
    ([BOOKED, "no", "no"], "haven't booked anything"),
    (["Koeratuba 10.-12. detsembrini Muri jaoks, 5123 4567", "ei", "ei"], "ei broneerinud midagi"),
])
def test_no_to_what_to_change_books_nothing(lines: list[str], words: str) -> None:
    replies = talk("config.toml", lines, channel="chat")
    assert words in replies[2], replies
