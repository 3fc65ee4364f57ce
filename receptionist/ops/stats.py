"""`receptionist stats`: how the receptionist did in the last N hours, from the conversation log.

Every bot turn's log row carries {"tools": [...], "llm": bool, "ms": int, "error"?: code}; bookings
and callbacks come from the audit log and the callbacks table. No caller content is read.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

import sqlite_utils

from receptionist.booking.hours import iso_utc

# Tool outcomes that are the calendar's answer to the caller ("that night is full"), not failures.
CALENDAR_ANSWERS = frozenset({
    "ok", "invalid-date", "past-date", "closed", "full", "invalid-phone", "not-found", "invalid-request",
    "slot-taken", "unknown-tenant", "too-long", "too-far", "not-open", "unknown-session",
})


def is_tool_failure(call: Mapping[str, Any]) -> bool:
    """A backend failure (timeout, unavailable, internal), as opposed to a calendar answer."""
    return str(call.get("outcome", "ok")) not in CALENDAR_ANSWERS


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Stats:
    hours: float
    since: str
    tenants: tuple[str, ...]
    turns: int = 0
    sessions: int = 0
    llm_turns: int = 0
    reply_ms_p50: float | None = None
    reply_ms_p95: float | None = None
    bookings: int = 0
    cancellations: int = 0
    moves: int = 0
    callbacks: int = 0
    tool_calls: int = 0
    tool_failures: int = 0
    tool_retries: int = 0
    fallbacks: int = 0  # turns answered by the error fallback ("sorry, something went wrong…")
    handoffs: int = 0
    failures_by_code: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)

    @property
    def llm_share(self) -> float | None:
        return None if not self.turns else self.llm_turns / self.turns

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]
        out["tenants"] = list(self.tenants)
        out["llm_share"] = None if self.llm_share is None else round(self.llm_share, 3)
        return out


def collect(db: sqlite_utils.Database, tenant_ids: Iterable[str], *, now: datetime, hours: float) -> Stats:
    tenants = tuple(tenant_ids)
    since = now - timedelta(hours=hours)
    since_ms = since.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    since_s = iso_utc(since)
    q = ", ".join("?" * len(tenants))
    rows = db.execute(
        "SELECT m.conversation_id, m.language, m.meta_json, c.channel FROM messages m "
        "JOIN conversations c ON c.id = m.conversation_id "
        f"WHERE m.role = 'bot' AND m.at >= ? AND m.tenant_id IN ({q})", (since_ms, *tenants)).fetchall()
    ms: list[float] = []
    sessions: set[str] = set()
    languages: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    llm = calls = failures = retries = fallbacks = 0
    for conversation_id, language, meta_json, channel in rows:
        meta = _meta(meta_json)
        if "ms" not in meta:  # greetings and prompts, not answers to a caller turn
            continue
        ms.append(float(meta["ms"]))
        sessions.add(conversation_id)
        languages[language or "?"] += 1
        channels[channel or "?"] += 1
        llm += bool(meta.get("llm"))
        fallbacks += bool(meta.get("error"))
        for call in meta.get("tools") or ():
            calls += 1
            retries += max(0, int(call.get("attempts", 1)) - 1)
            if is_tool_failure(call):
                failures += 1
                codes[str(call.get("outcome"))] += 1
    actions = Counter(dict(db.execute(
        f"SELECT action, COUNT(*) FROM audit_log WHERE at >= ? AND tenant_id IN ({q}) GROUP BY action",
        (since_s, *tenants)).fetchall()))
    callbacks = db.execute(f"SELECT COUNT(*) FROM callbacks WHERE created_at >= ? AND tenant_id IN ({q})",
                           (since_s, *tenants)).fetchone()[0]
    handoffs = db.execute(
        f"SELECT COUNT(*) FROM messages WHERE role = 'bot' AND at >= ? AND tenant_id IN ({q}) AND intent = 'human'",
        (since_ms, *tenants)).fetchone()[0]
    return Stats(
        hours=hours, since=since_s, tenants=tenants, turns=len(ms), sessions=len(sessions), llm_turns=llm,
        reply_ms_p50=percentile(ms, 50), reply_ms_p95=percentile(ms, 95),
        bookings=actions["booking.create"], cancellations=actions["booking.cancel"],
        moves=actions["booking.move"], callbacks=callbacks, tool_calls=calls, tool_failures=failures,
        tool_retries=retries, fallbacks=fallbacks, handoffs=handoffs, failures_by_code=dict(codes),
        languages=dict(languages.most_common()), channels=dict(channels.most_common()),
    )


def _meta(meta_json: str | None) -> dict[str, Any]:
    try:
        meta = json.loads(meta_json or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}
