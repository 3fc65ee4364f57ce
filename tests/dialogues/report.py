"""Summaries of dialogue results for scripts/bench-dialogues: per suite file and language, per
language over all files, per kind; JSON records that hold no caller content for held-out files.

A record (one per dialogue, a dict) carries: id, source, lang, kinds, passed, wrong, loops,
language_misses, crashed, reply_ms (list), llm (list of bools), and — unless hidden — name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from tests.dialogues.runner import DialogueResult

Row = dict[str, Any]


def is_heldout(source: str) -> bool:
    """Whether a suite file is part of the held-out set (its content is not shown by default)."""
    return "heldout" in Path(source).parts


# The session slots a calendar field of a wrong booking comes from (tests/dialogues/calendar_check.py).
_FIELD_SLOTS = {"pet_name": ("pet_name",), "name": ("patient_name", "name", "customer_name", "owner_name"),
                "phone": ("phone",), "start": ("start_date",), "end": ("end_date",), "at": ("date", "time"),
                "resource": ("resource_type", "room", "resource"), "service": ("service",), "party": ("party_size",)}


def set_at(result: DialogueResult) -> list[Row]:
    """For each wrong field, where its last value came from, without any words: the turn (1-based),
    whether it was a scripted line or an answer, and the question the caller was answering."""
    out = []
    for name in result.wrong_fields:
        slots = _FIELD_SLOTS.get(name, ())
        turns = [i for i, t in enumerate(result.turns) if any(s in t.filled for s in slots)]
        if turns:
            i = turns[-1]
            out.append({"field": name, "turn": i + 1, "of": len(result.turns), "scripted": result.turns[i].scripted,
                        "answering": result.turns[i - 1].asked if i else None})
    return out


def _repeated_at(result: DialogueResult) -> str:
    """Where the most repeated bot reply was said, as mode/asked per turn (no words)."""
    texts = [" ".join(t.bot.split()).lower() for t in result.turns]
    top = max(set(texts), key=texts.count) if texts else ""
    at = ",".join(f"{i + 1}:{t.mode}/{t.asked}" for i, t in enumerate(result.turns) if texts[i] == top)
    return f"{at} of {len(result.turns)} turns"


def record(result: DialogueResult, index: int) -> Row:
    """One dialogue's numbers; its name and problems only outside the held-out files."""
    rec: Row = {
        "id": f"{result.source}#{index}", "source": result.source, "lang": result.lang,
        "kinds": list(result.kinds), "passed": result.passed, "wrong": len(result.wrong_bookings),
        "wrong_fields": list(result.wrong_fields), "wrong_set_at": set_at(result),
        "ended_at": [f"{t.mode}/{t.asked}{'' if t.scripted else '*'}" for t in result.turns],  # per turn, * = an answer
        "looped": [m[1] if (m := re.search(r"asked for '([^']+)'", loop)) else f"the same reply in {_repeated_at(result)}"
                   for loop in result.loops],
        "loops": len(result.loops), "language_misses": len(result.language_misses),
        "crashed": result.error is not None, "reply_ms": [round(ms, 1) for ms in result.reply_ms],
        "llm": [t.llm for t in result.turns],
    }
    if not is_heldout(result.source):
        rec.update(name=result.name, problems=[*result.wrong_bookings, *result.loops, *result.language_misses,
                                                *result.calendar_misses, *([result.error] if result.error else [])])
    return rec


def pct(values: list[float], q: float) -> float | None:
    """Percentile q (0..1), interpolated between the nearest ranks (the median of an even count
    is the mean of the middle two); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    at = q * (len(ordered) - 1)
    lo = int(at)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (at - lo)


def summarise(label: str, records: Iterable[Mapping[str, Any]]) -> Row:
    """Counts and reply times over some records."""
    recs = list(records)
    ms = [v for r in recs for v in r["reply_ms"]]
    llm = [v for r in recs for v in r["llm"]]
    n = len(recs)
    passed = sum(r["passed"] for r in recs)
    return {
        "group": label, "dialogues": n, "passed": passed, "pass_rate": passed / n if n else None,
        "wrong_bookings": sum(r["wrong"] for r in recs), "loops": sum(r["loops"] for r in recs),
        "language_misses": sum(r["language_misses"] for r in recs), "crashed": sum(r["crashed"] for r in recs),
        "turns": len(ms), "p50_ms": pct(ms, 0.5), "p95_ms": pct(ms, 0.95),
        "llm_share": sum(llm) / len(llm) if llm else None,
    }


def tables(records: list[Mapping[str, Any]]) -> dict[str, list[Row]]:
    """Rows per file and language, per language over all files, and per kind."""
    by_file: list[Row] = []
    for source in dict.fromkeys(r["source"] for r in records):
        mine = [r for r in records if r["source"] == source]
        for lang in dict.fromkeys(r["lang"] for r in mine):
            by_file.append(summarise(f"{source} [{lang}]", [r for r in mine if r["lang"] == lang]))
    by_lang = [summarise(lang, [r for r in records if r["lang"] == lang])
               for lang in dict.fromkeys(r["lang"] for r in records)]
    heldout = [r for r in records if is_heldout(r["source"])]
    tuning = [r for r in records if not is_heldout(r["source"])]
    totals = [summarise(name, group) for name, group in (("held-out", heldout), ("tuning", tuning), ("all", records))
              if group]
    kinds = sorted({k for r in records for k in r["kinds"]})
    by_kind = [summarise(kind, [r for r in records if kind in r["kinds"]]) for kind in kinds]
    by_kind.append(summarise("(no kind)", [r for r in records if not r["kinds"]]))
    return {"by_file": by_file, "by_language": by_lang, "totals": totals, "by_kind": by_kind}


def render(title: str, rows: list[Row]) -> str:
    """A plain-text table."""
    head = f"{title:<44} {'dlg':>4} {'pass':>4} {'rate':>6} {'wrong':>5} {'loops':>5} {'lang':>4} " \
           f"{'crash':>5} {'p50 ms':>7} {'p95 ms':>7} {'LLM':>5}"
    lines = [head, "-" * len(head)]
    for r in rows:
        if not r["dialogues"]:
            continue
        lines.append(
            f"{r['group']:<44} {r['dialogues']:>4} {r['passed']:>4} {_pc(r['pass_rate']):>6} "
            f"{r['wrong_bookings']:>5} {r['loops']:>5} {r['language_misses']:>4} {r['crashed']:>5} "
            f"{_ms(r['p50_ms']):>7} {_ms(r['p95_ms']):>7} {_pc(r['llm_share']):>5}")
    return "\n".join(lines)


def render_all(meta: Mapping[str, Any], records: list[Mapping[str, Any]]) -> str:
    """Every table, headed by what ran (checkout, model, threads)."""
    t = tables(records)
    out = [f"checkout: {meta.get('repo')}  ({meta.get('commit')})",
           f"LLM: {meta.get('model')}  threads={meta.get('threads')}",
           f"caller: {meta.get('caller', 'says yes to any summary')}",
           "columns: dialogues, passed, pass rate, wrong bookings, loops (same question 3x), replies not in "
           "the caller's language, crashed runs, reply time p50/p95, share of turns that consulted the LLM", ""]
    out += [render("per suite file [language]", t["by_file"]), "", render("per language (all files)", t["by_language"]),
            "", render("totals", t["totals"]), "", render("per kind (all files)", t["by_kind"])]
    return "\n".join(out)


def _pc(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.0f}%"


def _ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}"


def compare(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> str:
    """Before → after per language and totals, and the dialogues (by id) whose verdict changed."""
    lines = [f"{'':<12} {'pass rate':>17} {'wrong bookings':>15} {'loops':>11} {'p50 ms':>13}"]
    def groups(recs: list[Mapping[str, Any]]) -> dict[str, Row]:
        rows = [summarise(lang, [r for r in recs if r["lang"] == lang]) for lang in dict.fromkeys(r["lang"] for r in recs)]
        rows += [summarise("held-out", [r for r in recs if is_heldout(r["source"])]), summarise("all", recs)]
        return {r["group"]: r for r in rows}
    before, after = groups(old), groups(new)
    for name, now in after.items():
        was = before.get(name) or summarise(name, [])
        lines.append(f"{name:<12} {_pc(was['pass_rate']):>7} -> {_pc(now['pass_rate']):>6} "
                     f"{was['wrong_bookings']:>6} -> {now['wrong_bookings']:>4} {was['loops']:>4} -> {now['loops']:>3} "
                     f"{_ms(was['p50_ms']):>5} -> {_ms(now['p50_ms']):>4}")
    was_ok = {r["id"]: r["passed"] for r in old}
    fixed = [r["id"] for r in new if r["passed"] and was_ok.get(r["id"]) is False]
    broken = [r["id"] for r in new if not r["passed"] and was_ok.get(r["id"]) is True]
    lines += ["", f"now passing ({len(fixed)}): {', '.join(fixed) or '-'}", f"now failing ({len(broken)}): {', '.join(broken) or '-'}"]
    return "\n".join(lines)
