"""Understanding real callers (issue 10): the tuning dialogues (understanding_*.yaml) said by
scripted new callers to the real agent with the real packaged LLM and a real SQLite calendar.
Each must end in the calendar the caller meant, with every reply in the caller's language, no
wrong booking and no question asked three times. (The held-out suite is only measured:
scripts/bench-dialogues.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.dialogues.runner import DialogueRunner, load_model
from tests.dialogues.suite import Dialogue, load_file

HERE = Path(__file__).parent
DIALOGUES = [d for f in sorted(HERE.glob("understanding*_*.yaml")) for d in load_file(f, REPO)]
pytestmark = [pytest.mark.models, pytest.mark.slow]


@pytest.fixture(scope="module")
def runner():
    try:
        model = load_model(REPO, threads=2)
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    yield DialogueRunner(model)
    model.close()


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d.name for d in DIALOGUES])
def test_caller_is_understood(dialogue: Dialogue, runner: Any) -> None:
    result = runner.run(dialogue)
    transcript = result.transcript()
    assert not result.wrong_bookings, transcript
    assert not result.loops, transcript
    assert result.passed, transcript
