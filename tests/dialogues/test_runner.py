"""The runner drives the real agent (rules only here, no LLM) through a scripted caller: scripted
lines, then answers to whatever is asked, then the calendar verdict; loops are caught."""

from __future__ import annotations

import pytest

from tests.dialogues.runner import LOOP_REPEATS, DialogueRunner
from tests.dialogues.suite import Dialogue

BOOKED = {"bookings": [{"status": "confirmed", "resource": "dog", "start": "2026-12-10", "end": "2026-12-12",
                        "pet_name": "Rex", "phone": "+37251234567"}]}


@pytest.fixture(scope="module")
def runner() -> DialogueRunner:
    return DialogueRunner(None)


def dialogue(**fields) -> Dialogue:
    return Dialogue.from_dict({"name": "t", "lang": "en", "turns": ["A room for my dog Rex from December 10 to 12"],
                               "expect": BOOKED, **fields}, "test")


def test_answers_the_asked_slot_then_confirms(runner: DialogueRunner) -> None:
    result = runner.run(dialogue(answers={"phone": "+372 5123 4567"}))
    assert result.passed, result.transcript()
    assert [t.scripted for t in result.turns] == [True, False, False]
    assert result.turns[-1].mode == "idle" and not result.loops and not result.wrong_bookings


def test_an_unanswerable_question_ends_the_dialogue_unbooked(runner: DialogueRunner) -> None:
    result = runner.run(dialogue())
    assert not result.passed and len(result.turns) == 1
    assert result.calendar_misses and not result.wrong_bookings


def test_the_same_question_three_times_is_a_loop() -> None:
    from tests.dialogues.runner import TurnRecord, _LoopWatch

    watch = _LoopWatch()
    for turn in range(1, LOOP_REPEATS + 1):
        watch.see(turn, TurnRecord("no idea", f"What phone number? ({turn})", "en", 1.0, False, "booking", "phone", True),
                  None)
    assert watch.loops and "'phone' 3 times" in watch.loops[0]


def test_the_number_for_a_call_back_is_the_way_out_not_a_loop(runner: DialogueRunner) -> None:
    result = runner.run(dialogue(answers={"phone": "no idea, sorry"}))
    assert not result.loops, result.transcript()
    assert any(t.mode == "callback" and "call you back" in t.bot for t in result.turns)


def test_a_wrong_date_is_a_wrong_booking(runner: DialogueRunner) -> None:
    want = {"bookings": [{**BOOKED["bookings"][0], "start": "2026-12-11"}]}
    result = runner.run(dialogue(answers={"phone": "+372 5123 4567"}, expect=want))
    assert not result.passed and len(result.wrong_bookings) == 1


def test_a_crash_is_a_failed_result(runner: DialogueRunner) -> None:
    result = runner.run(dialogue(config="no/such/config.toml"))
    assert not result.passed and result.error
