"""Benchmark numbers: held-out dialogues are counted, never named; rates and percentiles add up."""

from __future__ import annotations

from tests.dialogues import report
from tests.dialogues.runner import DialogueResult, TurnRecord


def result(source: str, passed: bool, *, wrong: int = 0, ms: tuple[float, ...] = (10.0,)) -> DialogueResult:
    turns = tuple(TurnRecord("secret caller words", "reply", "en", m, m > 100, "idle", None, True) for m in ms)
    return DialogueResult("secret name", source, "en", ("names",), passed,
                          wrong_bookings=tuple(f"wrong {i}" for i in range(wrong)), turns=turns)


def test_heldout_records_carry_numbers_only() -> None:
    rec = report.record(result("tests/heldout/en.yaml", False, wrong=1), 3)
    assert rec["id"] == "tests/heldout/en.yaml#3" and rec["wrong"] == 1
    assert "secret" not in repr(rec)


def test_tuning_records_are_named_with_their_problems() -> None:
    rec = report.record(result("tests/conversations/understanding_en.yaml", False, wrong=1), 1)
    assert rec["name"] == "secret name" and rec["problems"] == ["wrong 0"]


def test_summary_counts_rates_and_percentiles() -> None:
    recs = [report.record(result("a.yaml", True, ms=(10, 20)), 1),
            report.record(result("a.yaml", False, wrong=2, ms=(30, 400)), 2)]
    row = report.summarise("x", recs)
    assert (row["dialogues"], row["passed"], row["pass_rate"], row["wrong_bookings"]) == (2, 1, 0.5, 2)
    assert (row["p50_ms"], round(row["p95_ms"], 1), row["llm_share"]) == (25, 344.5, 0.25)


def test_compare_lists_changed_dialogues_by_id() -> None:
    old = [report.record(result("tests/heldout/en.yaml", False), 1), report.record(result("tests/heldout/en.yaml", True), 2)]
    new = [report.record(result("tests/heldout/en.yaml", True), 1), report.record(result("tests/heldout/en.yaml", True), 2)]
    text = report.compare(old, new)
    assert "now passing (1): tests/heldout/en.yaml#1" in text and "now failing (0)" in text
    assert "50% ->   100%" in text
