"""Dialogue files: every suite loads, and malformed dialogues are refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.dialogues.suite import Dialogue, expand, load_file

SUITES = expand([REPO / "tests/heldout", *sorted((REPO / "tests/conversations").glob("understanding_*.yaml"))])
GOOD = {"name": "a", "lang": "en", "turns": ["Room for my dog Rex from December 10 to 12"],
        "expect": {"bookings": []}}


@pytest.mark.parametrize("path", SUITES, ids=[p.name for p in SUITES])
def test_suite_file_loads(path: Path) -> None:
    dialogues = load_file(path, REPO)
    assert dialogues and all(d.lang in path.stem for d in dialogues)


def test_heldout_has_forty_dialogues_per_language_mostly_of_the_failure_kinds() -> None:
    for path in expand([REPO / "tests/heldout"]):
        dialogues = load_file(path, REPO)
        tagged = [d for d in dialogues if set(d.kinds) - {"caller-id"}]
        assert len(dialogues) >= 40 and 2 * len(tagged) >= len(dialogues), path.name
        assert {d.config for d in dialogues} == {"config.toml", "examples/clinic.toml"}, path.name


def test_defaults() -> None:
    d = Dialogue.from_dict(GOOD, "x.yaml")
    assert (d.channel, d.config, d.today.isoformat(), d.confirm_word) == \
        ("web", "config.toml", "2026-11-24T11:00:00", "yes")


@pytest.mark.parametrize("bad, why", [
    ({"lang": "de"}, "lang"),
    ({"channel": "fax"}, "channel"),
    ({"kind": ["typo"]}, "kind"),
    ({"turns": []}, "turns"),
    ({"answers": {"colour": "red"}}, "answers"),
    ({"expect": {"callbacks": []}}, "expect"),
    ({"today": "2026-11-24T11:00+02:00"}, "today"),
    ({"extra": 1}, "unknown keys"),
])
def test_malformed_dialogue_is_refused(bad: dict, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Dialogue.from_dict({**GOOD, **bad}, "x.yaml")
