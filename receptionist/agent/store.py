"""Conversation store: session state and the per-turn log (conversations and messages tables).

Callers' words live here, where retention and GDPR erasure can reach them, never in log lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

import sqlite_utils

from receptionist.agent.session import SessionState


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class LoggedMessage:
    role: str
    text: str
    language: str | None
    intent: str | None
    meta: Mapping[str, Any]
    at: str


def load_state(db: sqlite_utils.Database, tenant_id: str, session_id: str) -> tuple[SessionState | None, str | None]:
    """The saved state of a session of this tenant and when it was last updated."""
    row = db.execute(
        "SELECT state_json, updated_at FROM conversations WHERE id = ? AND tenant_id = ?",
        (session_id, tenant_id),
    ).fetchone()
    if row is None:
        return None, None
    try:
        return SessionState.from_json(row[0]), row[1]
    except (ValueError, TypeError, KeyError):
        return None, row[1]  # an unreadable old state: start over, keep the log


def session_owner(db: sqlite_utils.Database, session_id: str) -> str | None:
    row = db.execute("SELECT tenant_id FROM conversations WHERE id = ?", (session_id,)).fetchone()
    return row[0] if row else None


def save_turn(db: sqlite_utils.Database, state: SessionState, at: datetime,
              messages: list[tuple[str, str, str | None, str | None, Mapping[str, Any]]]) -> None:
    """Upsert the session state and append this turn's messages, in one transaction."""
    now = _iso(at)
    with db.conn:
        db.execute(
            "INSERT INTO conversations (id, tenant_id, channel, caller_id, language, state_json, started_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET language = excluded.language, "
            "state_json = excluded.state_json, updated_at = excluded.updated_at, "
            "caller_id = COALESCE(conversations.caller_id, excluded.caller_id) WHERE conversations.tenant_id = excluded.tenant_id",
            (state.session_id, state.tenant_id, state.channel, state.caller_id, state.language.committed,
             state.to_json(), now, now),
        )
        for role, text, language, intent, meta in messages:
            db.execute(
                "INSERT INTO messages (tenant_id, conversation_id, at, role, text, language, intent, meta_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (state.tenant_id, state.session_id, now, role, text, language, intent,
                 json.dumps(meta, ensure_ascii=False, default=str)),
            )


def end_conversation(db: sqlite_utils.Database, tenant_id: str, session_id: str, at: datetime) -> None:
    with db.conn:
        db.execute("UPDATE conversations SET ended_at = ? WHERE id = ? AND tenant_id = ?",
                   (_iso(at), session_id, tenant_id))


def transcript(db: sqlite_utils.Database, tenant_id: str, session_id: str) -> list[LoggedMessage]:
    cur = db.execute(
        "SELECT role, text, language, intent, meta_json, at FROM messages "
        "WHERE tenant_id = ? AND conversation_id = ? ORDER BY id", (tenant_id, session_id))
    return [LoggedMessage(r[0], r[1], r[2], r[3], json.loads(r[4] or "{}"), r[5]) for r in cur.fetchall()]


def replace_last_bot_text(db: sqlite_utils.Database, tenant_id: str, session_id: str, heard: str) -> None:
    """After a barge-in, keep only what the caller actually heard of the last bot message."""
    with db.conn:
        row = db.execute("SELECT id, text, meta_json FROM messages WHERE tenant_id = ? AND conversation_id = ? "
                         "AND role = 'bot' ORDER BY id DESC LIMIT 1", (tenant_id, session_id)).fetchone()
        if row is None:
            return
        meta = json.loads(row[2] or "{}")
        meta["interrupted"] = True
        meta["full_text"] = row[1]
        db.execute("UPDATE messages SET text = ?, meta_json = ? WHERE id = ?",
                   (heard, json.dumps(meta, ensure_ascii=False), row[0]))


def append_event(db: sqlite_utils.Database, tenant_id: str, session_id: str, at: datetime,
                 meta: Mapping[str, Any]) -> None:
    """A non-spoken entry in the conversation log (e.g. a voice turn's stage timings)."""
    with db.conn:
        db.execute(
            "INSERT INTO messages (tenant_id, conversation_id, at, role, text, language, intent, meta_json) "
            "SELECT ?, ?, ?, 'tool', '', NULL, NULL, ? WHERE EXISTS "
            "(SELECT 1 FROM conversations WHERE id = ? AND tenant_id = ?)",
            (tenant_id, session_id, _iso(at), json.dumps(meta, ensure_ascii=False, default=str), session_id, tenant_id),
        )
