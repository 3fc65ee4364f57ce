"""The restaurant profile (examples/restaurant.toml, profile = "table"): its dialogues
(restaurant_*.yaml, en/et/ru) said by scripted callers to the real agent with the real packaged LLM
and a real SQLite calendar. Each must end in the calendar the caller meant (time, party size, name,
dietary notes, phone), every reply in the caller's language, no wrong booking, no question asked
three times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.dialogues.runner import DialogueRunner, load_model
from tests.dialogues.suite import Dialogue, load_file

HERE = Path(__file__).parent
DIALOGUES = [d for f in sorted(HERE.glob("restaurant_*.yaml")) for d in load_file(f, REPO)]
pytestmark = [pytest.mark.models, pytest.mark.slow]


def test_every_language_has_its_restaurant_dialogues():
    for lang in ("en", "et", "ru"):
        assert sum(d.lang == lang for d in DIALOGUES) >= 8, lang


@pytest.fixture(scope="module")
def runner():
    try:
        model = load_model(REPO, threads=2)
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    yield DialogueRunner(model)
    model.close()


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d.name for d in DIALOGUES])
def test_table_is_booked_as_meant(dialogue: Dialogue, runner: Any) -> None:
    result = runner.run(dialogue)
    transcript = result.transcript()
    assert not result.wrong_bookings, transcript
    assert not result.loops, transcript
    assert result.passed, transcript
