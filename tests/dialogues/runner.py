"""Run one scripted dialogue against the real agent, as tests/conversations/test_dialogues.py does:
a real SQLite calendar in a temporary folder, a FakeClock at the dialogue's `today`, the bookings
of `prefill`, and one real LLM shared by all dialogues.

After the script the caller answers whatever the bot asks for (the session's `asked`, read from the
conversation store) from the dialogue's `answers`, at most MAX_EXTRA_TURNS times and not after a
loop (the same question LOOP_REPEATS times). Only public APIs of
`receptionist` are used (load_config, build_brain, FakeClock, CalendarService, store.load_state,
store.transcript, via tests.agent.harness), so an older checkout can be measured the same way."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from datetime import timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.dialogues import calendar_check
from tests.dialogues.suite import SLOTS, Dialogue

REPO = Path(__file__).resolve().parents[2]
MODEL_FILE = Path("models/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
MAX_EXTRA_TURNS = 8
LOOP_REPEATS = 3  # the same question this many times is a loop


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One exchange: what the caller said and what the bot answered, with the session afterwards."""

    caller: str
    bot: str
    language: str
    ms: float  # wall time of the agent's reply
    llm: bool  # whether the LLM was consulted for this reply
    mode: str | None
    asked: str | None
    scripted: bool  # from `turns` (True) or from `answers` (False)
    filled: tuple[str, ...] = ()  # the slots whose value this turn set or changed (names only)


@dataclass(frozen=True, slots=True)
class DialogueResult:
    """The verdict on one dialogue. `passed`: the calendar is as expected and every reply is in the
    dialogue's language (a crash fails it, `error` says why)."""

    name: str
    source: str
    lang: str
    kinds: tuple[str, ...]
    passed: bool
    wrong_bookings: tuple[str, ...] = ()
    wrong_fields: tuple[str, ...] = ()  # slot names only (shown for held-out dialogues too)
    loops: tuple[str, ...] = ()
    language_misses: tuple[str, ...] = ()
    calendar_misses: tuple[str, ...] = ()
    turns: tuple[TurnRecord, ...] = ()
    error: str | None = None
    final: tuple[str, ...] = field(default=())  # the bookings at the end, described

    @property
    def reply_ms(self) -> list[float]:
        return [t.ms for t in self.turns]

    def transcript(self) -> str:
        """A readable account of the dialogue and why it failed (caller words included: test data)."""
        lines = [f"== {self.name} [{self.source}] {'PASS' if self.passed else 'FAIL'}"]
        for t in self.turns:
            mark = ">" if t.scripted else "+"
            lines.append(f"  {mark} caller: {t.caller}")
            lines.append(f"    bot[{t.language}{', llm' if t.llm else ''}, {t.ms:.0f} ms, "
                         f"mode={t.mode}, asked={t.asked}]: {t.bot}")
        for title, items in (("wrong booking", self.wrong_bookings), ("loop", self.loops),
                             ("language", self.language_misses), ("calendar", self.calendar_misses),
                             ("booked", self.final)):
            lines += [f"  {title}: {item}" for item in items]
        if self.error:
            lines.append(f"  error: {self.error}")
        return "\n".join(lines)


def load_model(root: Path = REPO, threads: int = 2) -> Any:
    """The packaged LLM of this checkout (LlamaJsonModel from the imported `receptionist`).
    Raises FileNotFoundError when scripts/setup has not installed it."""
    from receptionist.backends.llama_llm import LlamaJsonModel

    path = root / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"the packaged LLM is missing: {path} (run scripts/setup)")
    return LlamaJsonModel(path, threads=threads)


def harness(checkout: Path = REPO) -> ModuleType:
    """tests/agent/harness.py (Conversation, prefill) of the checkout being measured: the harness
    changes with the code it drives, so an older checkout is driven by its own (this one's if it
    has none)."""
    path = checkout / "tests/agent/harness.py"
    if checkout.resolve() == REPO or not path.is_file():
        return importlib.import_module("tests.agent.harness")
    name = f"_harness_of_{abs(hash(str(path.resolve())))}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class DialogueRunner:
    """Runs dialogues one after another with one shared model (or None: rules only).

    `checkout` is the checkout being measured: its config files (config.toml, examples/clinic.toml)
    and its test harness are used, as both go with the code they configure and drive."""

    def __init__(self, model: Any, *, checkout: Path = REPO, listening: bool = False) -> None:
        self.model = model
        self.checkout = checkout
        self.listening = listening  # the caller checks the summary and corrects it (tests/dialogues/listening.py)
        self._harness = harness(checkout)
        self._warmed: set[str] = set()

    def run(self, dialogue: Dialogue) -> DialogueResult:
        """Never raises for a dialogue's own failure: a crash is a failed result with `error`."""
        records: list[TurnRecord] = []
        try:
            with tempfile.TemporaryDirectory(prefix="dialogue-") as tmp:
                return self._run(dialogue, Path(tmp) / "calendar.db", records)
        except Exception as exc:  # a crash is a result: count it failed and go on
            tail = traceback.format_exception(exc)[-3:]
            return DialogueResult(dialogue.name, dialogue.source, dialogue.lang, dialogue.kinds, passed=False,
                                  turns=tuple(records), error="".join(tail).strip())

    def _config(self, dialogue: Dialogue) -> Any:
        from receptionist.config.app import load_config

        path = self.checkout / dialogue.config
        return load_config(path if path.is_file() else REPO / dialogue.config)

    def _warm(self, config: Any, db: Path) -> None:
        """Warm the model once per config as the service does at start (build_brain(warm=True))."""
        key = str(config.default_tenant.id)
        if self.model is None or key in self._warmed:
            return
        from receptionist.app import build_brain
        from receptionist.clock import FakeClock

        brain = build_brain(config, clock=FakeClock(), database=db.with_name("warm.db"), model=self.model, warm=True)
        brain.worker.close()
        self._warmed.add(key)

    def _run(self, d: Dialogue, db: Path, records: list[TurnRecord]) -> DialogueResult:
        from receptionist.clock import FakeClock

        Conversation, prefill = self._harness.Conversation, self._harness.prefill
        config = self._config(d)
        tenant = config.default_tenant
        self._warm(config, db)
        clock = FakeClock(d.today.replace(tzinfo=tenant.tz).astimezone(timezone.utc))
        made = prefill(config, db, clock, list(d.prefill))
        before = [calendar_check.snapshot(b, tenant.tz) for b in made]
        conv = Conversation(config, db, clock, model=self.model, channel=d.channel, caller_id=d.caller_id)
        watch = _LoopWatch()
        languages = _LanguageCheck(tenant.languages)
        try:
            script = list(d.turns)
            extra = 0
            options: tuple[str, ...] = ()
            corrected = [0]  # corrections said at the summary (a listening caller)
            seen: dict[str, Any] = {}  # the slots after the last turn
            while True:
                if script:
                    line, scripted = script.pop(0), True
                else:
                    line = _listening_answer(d, conv, corrected) if self.listening else None
                    line = line or _answer(d, conv, options)
                    if line is None or extra >= MAX_EXTRA_TURNS or watch.loops:
                        break  # nothing asked that we can answer, or a caller would give up
                    extra, scripted = extra + 1, False
                record, state, options = _say(conv, line, scripted)
                now = dict(getattr(state, "slots", None) or {})
                record = replace(record, filled=tuple(sorted(k for k in now if now[k] != seen.get(k))))
                seen = now
                records.append(record)
                watch.see(len(records), record, state)
                languages.check(len(records), record, d.lang)
            codes = {b.code for b in made}
            calendar = conv.calendar()
            try:
                everything = calendar.list_bookings(tenant.id)
                after = [calendar_check.snapshot(calendar.get(tenant.id, b.code), tenant.tz) for b in made]
            finally:
                calendar.close()
        finally:
            conv.close()
        new = [calendar_check.snapshot(b, tenant.tz) for b in everything if b.code not in codes]
        verdict = calendar_check.judge(new, before, after, d.expect)
        return DialogueResult(
            d.name, d.source, d.lang, d.kinds, passed=verdict.ok and not languages.misses,
            wrong_bookings=verdict.wrong, wrong_fields=verdict.wrong_fields, loops=tuple(watch.loops),
            language_misses=tuple(languages.misses),
            calendar_misses=verdict.misses, turns=tuple(records),
            final=tuple(s.describe() for s in new + after))


def _say(conv: Any, line: str, scripted: bool) -> tuple[TurnRecord, Any, tuple[str, ...]]:
    """Say one line; the exchange, the session state after it and the labels of the options offered."""
    from receptionist.agent import store

    t0 = time.perf_counter()
    reply = asyncio.run(conv.say(line))
    ms = (time.perf_counter() - t0) * 1000
    log = conv.brain.worker.run_sync(store.transcript, conv.tenant.id, conv.session_id)
    used_llm = bool(log and log[-1].meta.get("llm"))
    state = _state(conv)
    return TurnRecord(line, reply.text, reply.language, ms, used_llm, getattr(state, "mode", None),
                      getattr(state, "asked", None), scripted), state, tuple(o.label for o in reply.options)


def _state(conv: Any) -> Any:
    from receptionist.agent import store

    state, _ = conv.brain.worker.run_sync(store.load_state, conv.tenant.id, conv.session_id)
    return state


def _listening_answer(d: Dialogue, conv: Any, corrected: list[int]) -> str | None:
    """At the summary, a caller who listens corrects the first wrong field (at most twice, then no);
    None when nothing is pending or the summary is right (the usual answer follows)."""
    from tests.dialogues import listening

    state = _state(conv)
    if state is None or not (getattr(state, "mode", None) == "confirming" or getattr(state, "asked", None) == "confirm"):
        return None
    field_ = listening.first_mismatch(d.expect, dict(getattr(state, "slots", {}) or {}))
    lines = d.corrections or listening.corrections(d.expect, d.lang)
    if field_ is None or field_ not in lines:
        return None
    corrected[0] += 1
    if corrected[0] > listening.MAX_CORRECTIONS or not lines[field_]:  # "" : the correction was not heard at all
        return listening.give_up(d.lang)
    return lines[field_]


def _answer(d: Dialogue, conv: Any, options: tuple[str, ...] = ()) -> str | None:
    """What the caller says next after the script, or None when the dialogue is over: the bot
    waits for nothing, or for something the dialogue has no answer to. A caller asked to pick
    among offered options ("is it Reks or Reksi?") picks the one that is their expected value."""
    state = _state(conv)
    if state is None:
        return None
    asked = getattr(state, "asked", None)
    if getattr(state, "mode", None) == "confirming" or asked == "confirm":
        return d.confirm_word
    wanted = {str(v) for b in (d.expect or {}).get("bookings", []) for k, v in b.items() if k in ("pet_name", "name")}
    picked = [o for o in options if o in wanted]
    if picked:  # "is it Sõber or Sõbra?" - a caller answers with the one that is theirs
        return picked[0]
    if asked and asked in d.answers and asked != "confirm":
        return d.answers[asked]
    return None


class _LoopWatch:
    """The same question LOOP_REPEATS times: the same `asked` slot without that slot being filled
    in between (for a question that is not a slot, such as "confirm", without anything changing in
    the session's slots, mode or managed booking), or the same bot text."""

    def __init__(self) -> None:
        self.loops: list[str] = []
        self._asks: dict[str, int] = {}
        self._texts: dict[str, int] = {}
        self._slots: dict[str, Any] = {}
        self._where: str = ""
        self._flagged: set[str] = set()

    def see(self, turn: int, record: TurnRecord, state: Any) -> None:
        slots = dict(getattr(state, "slots", None) or {})
        where = repr((sorted(slots.items()), record.mode, getattr(state, "manage", None)))
        for asked in list(self._asks):
            slot = asked.removeprefix("callback:")
            filled = slots.get(slot) != self._slots.get(slot) if slot in SLOTS else where != self._where
            if slot == "phone" and slots.get("_phone_part") != self._slots.get("_phone_part"):
                filled = True  # "and the rest of the number?" after the first digits: news, not the question again
            if filled:
                del self._asks[asked]
        self._slots, self._where = slots, where
        found = []
        # The number asked for a colleague's call back is the way out, not the booking's question again.
        asked = f"callback:{record.asked}" if record.mode == "callback" and record.asked else record.asked
        if asked:
            self._asks[asked] = self._asks.get(asked, 0) + 1
            if self._asks[asked] >= LOOP_REPEATS and f"asked:{asked}" not in self._flagged:
                self._flagged.add(f"asked:{asked}")
                found.append(f"asked for {asked!r} {self._asks[asked]} times")
        text = " ".join(record.bot.split()).lower()
        self._texts[text] = self._texts.get(text, 0) + 1
        if text and self._texts[text] >= LOOP_REPEATS and f"text:{text}" not in self._flagged:
            self._flagged.add(f"text:{text}")
            found.append(f"the same reply {self._texts[text]} times")
        if found:
            self.loops.append(f"turn {turn}: " + " and ".join(found))


class _LanguageCheck:
    """Every reply must be in the dialogue's language: the language the agent reports, the
    product's own detector where it has one, and the script (Cyrillic for ru, Latin otherwise)."""

    def __init__(self, languages: Any) -> None:
        self.misses: list[str] = []
        try:
            from receptionist.agent.language import LanguageDetector

            self._detector: Any = LanguageDetector(languages)
        except Exception:  # moved or changed: the other two checks still apply
            self._detector = None

    def check(self, turn: int, record: TurnRecord, lang: str) -> None:
        why = []
        if record.language != lang:
            why.append(f"reported {record.language}")
        if self._detector is not None and record.bot.strip():
            scores = self._detector.scores(record.bot)
            best = max(scores, key=scores.get) if scores else lang
            if best != lang:
                why.append(f"detected {best}")
        letters = [c for c in record.bot if c.isalpha()]
        cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
        if letters and (cyrillic * 2 < len(letters)) == (lang == "ru"):
            why.append("wrong script")
        if not record.bot.strip():
            why.append("empty reply")
        if why:
            self.misses.append(f"turn {turn}: " + ", ".join(why))
