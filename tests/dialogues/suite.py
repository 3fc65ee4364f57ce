"""Dialogue files: load, validate and describe the scripted callers (format: tests/heldout/en.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

DEFAULT_TODAY = "2026-11-24T11:00"  # a Tuesday, local time of the business
CHANNELS = ("web", "sms", "voice")
KINDS = frozenset({
    "numbers-words", "next-weekday", "end-weekday", "end-before-start", "past-day", "names",
    "question-intent", "my-number", "context-answer", "out-of-order", "stt", "cancel", "change", "caller-id",
})
# The slots a scripted caller can answer after the script (the session's `asked`); ANSWER_KEYS adds
# the questions of changing/cancelling a booking and `confirm`.
SLOTS = frozenset({"pet_type", "start_date", "end_date", "pet_name", "phone", "service", "date", "time",
                   "patient_name", "party_size", "guest_name", "dietary"})
ANSWER_KEYS = SLOTS | {"code_or_phone", "new_dates", "confirm"}
# The plain yes a caller says at a pending yes/no question when the dialogue gives no `confirm`.
PLAIN_YES = {"en": "yes", "et": "jah", "ru": "да"}
_KEYS = frozenset({"name", "config", "lang", "today", "channel", "caller_id", "kind", "prefill", "turns",
                   "answers", "expect"})
_EXPECT_KEYS = frozenset({"bookings", "prefilled"})


@dataclass(frozen=True, slots=True)
class Dialogue:
    """One scripted caller. `today` is naive local time of the business (its timezone is applied by
    the runner); `turns` are said in order whatever the replies; `answers` reply to the slot asked
    for after the script."""

    name: str
    source: str  # the file it came from, relative to the repository root when possible
    config: str  # path of the config file, relative to the checkout (config.toml, examples/clinic.toml)
    lang: str
    today: datetime
    channel: str = "web"
    caller_id: str | None = None
    kinds: tuple[str, ...] = ()
    prefill: tuple[Mapping[str, Any], ...] = ()
    turns: tuple[str, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)
    expect: Mapping[str, Any] = field(default_factory=dict)
    # What a listening caller says when the summary gets a field wrong (tests/dialogues/listening.py);
    # filled by the benchmark with --listening, never read from the YAML.
    corrections: Mapping[str, str] = field(default_factory=dict)

    @property
    def confirm_word(self) -> str:
        return self.answers.get("confirm") or PLAIN_YES.get(self.lang, "yes")

    @staticmethod
    def from_dict(data: Mapping[str, Any], source: str) -> "Dialogue":
        """Validate one YAML item; raises ValueError naming the dialogue and the bad key."""
        name = str(data.get("name") or "")
        where = f"{source}: dialogue {name!r}"
        if not name:
            raise ValueError(f"{source}: a dialogue without a name")
        unknown = set(data) - _KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        lang = data.get("lang")
        if lang not in PLAIN_YES:
            raise ValueError(f"{where}: lang must be one of {sorted(PLAIN_YES)}")
        channel = data.get("channel", "web")
        if channel not in CHANNELS:
            raise ValueError(f"{where}: channel must be one of {CHANNELS}")
        kinds = tuple(data.get("kind") or ())
        if set(kinds) - KINDS:
            raise ValueError(f"{where}: unknown kind {sorted(set(kinds) - KINDS)}")
        turns = data.get("turns") or []
        if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            raise ValueError(f"{where}: turns must be a non-empty list of caller lines")
        answers = {str(k): str(v) for k, v in (data.get("answers") or {}).items()}
        if set(answers) - ANSWER_KEYS:
            raise ValueError(f"{where}: unknown answers {sorted(set(answers) - ANSWER_KEYS)}")
        expect = dict(data.get("expect") or {})
        if not expect or set(expect) - _EXPECT_KEYS:
            raise ValueError(f"{where}: expect needs bookings and/or prefilled, nothing else")
        try:
            today = datetime.fromisoformat(str(data.get("today", DEFAULT_TODAY)))
        except ValueError as exc:
            raise ValueError(f"{where}: today must be an ISO local date-time") from exc
        if today.tzinfo is not None:
            raise ValueError(f"{where}: today is local time of the business, without an offset")
        return Dialogue(name=name, source=source, config=str(data.get("config", "config.toml")), lang=lang,
                        today=today, channel=channel, caller_id=data.get("caller_id"), kinds=kinds,
                        prefill=tuple(data.get("prefill") or ()), turns=tuple(turns), answers=answers,
                        expect=expect)


def load_file(path: Path, root: Path | None = None) -> list[Dialogue]:
    """All dialogues of one YAML file; raises ValueError on a malformed item or duplicate name."""
    source = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(items, list):
        raise ValueError(f"{source}: a dialogue file is a YAML list")
    dialogues = [Dialogue.from_dict(item, source) for item in items]
    names = [d.name for d in dialogues]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{source}: duplicate dialogue names {dupes}")
    return dialogues


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, folders as their *.yaml files (sorted), in order, without repeats."""
    files: list[Path] = []
    for p in paths:
        for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p]):
            if f not in files:
                files.append(f)
    return files
