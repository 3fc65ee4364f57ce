"""Prometheus metrics (served at /metrics by the HTTP shim). No caller content, ever: labels are
tenants, channels, languages, tools and error codes.

Two sources:
* the voice pipeline and channels report as things happen: `record_turn_timing` / `record_barge_in` (or
  `line_event` as the SIP line's event hook), `watch_active_calls`, `set_sip_registered`,
  `set_modem_connected`, `set_model_loaded`;
* the conversation log is the source for turns, LLM use, tool failures, fallbacks, bookings and sessions:
  `scrape()` reads the rows written since the previous scrape, so /metrics and `receptionist stats`
  count the same things the same way and the agent needs no metrics code.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

import sqlite_utils
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from receptionist.channels.sip.events import RegistrationChanged
from receptionist.clock import Clock
from receptionist.dbworker import DbWorker
from receptionist.ops.stats import is_tool_failure
from receptionist.pipeline.timing import BargeInTiming, TurnTiming

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST
_VOICE = (0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0)
_TEXT = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)

STT_SECONDS = Histogram("receptionist_stt_seconds", "Caller stopped speaking (VAD end) to transcript ready",
                        buckets=_VOICE, registry=REGISTRY)
REPLY_SECONDS = Histogram("receptionist_reply_seconds", "Transcript ready to the agent's reply ready",
                          buckets=_VOICE, registry=REGISTRY)
FIRST_AUDIO_SECONDS = Histogram("receptionist_first_audio_seconds", "Agent reply ready to the first bot audio out",
                                buckets=_VOICE, registry=REGISTRY)
VOICE_TO_VOICE_SECONDS = Histogram("receptionist_voice_to_voice_seconds",
                                   "Caller stopped speaking to the first bot audio out", ["language"],
                                   buckets=_VOICE, registry=REGISTRY)
BARGE_IN_SECONDS = Histogram("receptionist_barge_in_reaction_seconds", "Caller speech over the bot to bot silent",
                             buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0), registry=REGISTRY)
BARGE_INS = Counter("receptionist_barge_ins", "Caller speech over the bot, by outcome", ["outcome"],
                    registry=REGISTRY)
SPECULATIVE_HITS = Counter("receptionist_stt_speculative_hits", "Turns whose transcript came from the "
                           "speculative pass", registry=REGISTRY)
ACTIVE_CALLS = Gauge("receptionist_active_calls", "Phone calls in progress", registry=REGISTRY)
ACTIVE_SESSIONS = Gauge("receptionist_active_sessions", "Conversations touched within the session idle time",
                        ["channel"], registry=REGISTRY)
MODEL_LOADED = Gauge("receptionist_model_loaded", "1 when the model for this role is loaded and warm", ["role"],
                     registry=REGISTRY)
SIP_REGISTERED = Gauge("receptionist_sip_registered", "1 when the SIP line is registered with its registrar",
                       ["registrar"], registry=REGISTRY)
SIP_REGISTRATION_STATUS = Gauge("receptionist_sip_registration_status", "SIP status of the registrar's last answer "
                                 "to the line's REGISTER (200 ok, 401/403 refused, 408/503 unreachable)",
                                 ["registrar"], registry=REGISTRY)
MODEM_CONNECTED = Gauge("receptionist_modem_connected", "1 when the GSM modem answers", ["port"], registry=REGISTRY)
TURNS = Counter("receptionist_turns", "Caller turns answered", ["channel", "llm"], registry=REGISTRY)
TURN_SECONDS = Histogram("receptionist_turn_seconds", "Agent time per turn (text in to reply out)",
                         buckets=_TEXT, registry=REGISTRY)
TOOL_CALLS = Counter("receptionist_tool_calls", "Calendar tool calls", ["tool"], registry=REGISTRY)
TOOL_FAILURES = Counter("receptionist_tool_failures", "Calendar tool calls that failed after retries",
                        ["tool", "code"], registry=REGISTRY)
TOOL_RETRIES = Counter("receptionist_tool_retries", "Extra attempts of calendar tool calls", ["tool"],
                       registry=REGISTRY)
FALLBACKS = Counter("receptionist_fallbacks", "Turns answered by the error fallback", ["reason"], registry=REGISTRY)
BOOKINGS = Counter("receptionist_bookings", "Bookings made", ["tenant", "channel"], registry=REGISTRY)
CALLBACKS = Counter("receptionist_callbacks", "Callback requests taken", ["tenant"], registry=REGISTRY)
LOOKUP_LOCKOUTS = Counter("receptionist_lookup_lockouts", "Booking look-ups locked out after too many failures, "
                          "by scope (session, client, tenant)", ["tenant", "scope"], registry=REGISTRY)
HTTP_AUTH_FAILURES = Counter("receptionist_http_auth_failures", "Staff API requests refused for their Bearer "
                             "token: invalid (wrong, expired or revoked) or locked-out (too many invalid ones from "
                             "one client)", ["outcome"], registry=REGISTRY)


# -- events from the voice pipeline and channels -------------------------------------------------------

def record_turn_timing(timing: TurnTiming) -> None:
    """One voice turn's stage latencies (the pipeline's TurnTiming event)."""
    STT_SECONDS.observe(max(0.0, timing.stt_s))
    if timing.agent_s is not None:
        REPLY_SECONDS.observe(max(0.0, timing.agent_s))
    if timing.tts_s is not None:
        FIRST_AUDIO_SECONDS.observe(max(0.0, timing.tts_s))
    if timing.voice_to_voice_s is not None:
        VOICE_TO_VOICE_SECONDS.labels(timing.language or "?").observe(max(0.0, timing.voice_to_voice_s))
    if timing.speculative_hit:
        SPECULATIVE_HITS.inc()


def record_barge_in(timing: BargeInTiming) -> None:
    BARGE_INS.labels(timing.outcome).inc()
    if timing.reaction_s is not None:
        BARGE_IN_SECONDS.observe(max(0.0, timing.reaction_s))


def line_event(kind: str, event: object) -> None:
    """Pass as `SipLine(on_event=metrics.line_event)`: every call's voice timings land in the histograms, and
    the line's registration state in the SIP gauges."""
    if isinstance(event, TurnTiming):
        record_turn_timing(event)
    elif isinstance(event, BargeInTiming):
        record_barge_in(event)
    elif isinstance(event, RegistrationChanged):
        set_sip_registered(event.registered, event.registrar, event.status)


def watch_active_calls(count: Callable[[], int]) -> None:
    """The active-calls gauge reads `count()` at each scrape (e.g. `lambda: line.active_calls`)."""
    ACTIVE_CALLS.set_function(count)


def set_sip_registered(registered: bool, registrar: str = "", status: int | None = None) -> None:
    """From the SIP account's registration callback (any thread), with the SIP status of the registrar's
    answer when known. Not exported until first set."""
    SIP_REGISTERED.labels(registrar).set(1 if registered else 0)
    if status is not None:
        SIP_REGISTRATION_STATUS.labels(registrar).set(status)


def set_modem_connected(connected: bool, port: str = "") -> None:
    """From the modem link when it connects or loses the modem. Not exported until first set."""
    MODEM_CONNECTED.labels(port).set(1 if connected else 0)


def set_model_loaded(role: str, loaded: bool) -> None:
    MODEL_LOADED.labels(role).set(1 if loaded else 0)


# -- figures from the conversation log ------------------------------------------------------------------

@dataclass
class LogCursor:
    """The last rows already counted; counts start at the rows present when the cursor was made."""

    message: int = 0
    audit: int = 0
    callback: int = 0
    primed: bool = False
    channels: set[str] = field(default_factory=set)


_CURSORS: "weakref.WeakKeyDictionary[DbWorker, LogCursor]" = weakref.WeakKeyDictionary()


def _max_id(db: sqlite_utils.Database, table: str) -> int:
    return int(db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0])


def _read_log(db: sqlite_utils.Database, cursor: LogCursor, now: datetime, idle_minutes: int) -> None:
    """On the database thread: count what was logged since the cursor and move it on."""
    if not cursor.primed:
        cursor.message, cursor.audit, cursor.callback = (_max_id(db, t) for t in ("messages", "audit_log", "callbacks"))
        cursor.primed = True
    for msg_id, meta_json, channel, tenant in db.execute(
            "SELECT m.id, m.meta_json, c.channel, c.tenant_id FROM messages m JOIN conversations c "
            "ON c.id = m.conversation_id "
            "WHERE m.id > ? AND m.role = 'bot' ORDER BY m.id", (cursor.message,)).fetchall():
        cursor.message = max(cursor.message, msg_id)
        try:
            meta = json.loads(meta_json or "{}")
        except ValueError:
            continue
        if not isinstance(meta, dict) or "ms" not in meta:
            continue
        TURNS.labels(channel or "?", "yes" if meta.get("llm") else "no").inc()
        TURN_SECONDS.observe(float(meta["ms"]) / 1000)
        if meta.get("error"):
            FALLBACKS.labels(str(meta["error"])).inc()
        if meta.get("lockout"):  # the turn whose failed look-up locked a scope (receptionist/agent/verify.py)
            LOOKUP_LOCKOUTS.labels(tenant or "?", str(meta["lockout"])).inc()
        for call in meta.get("tools") or ():
            tool = str(call.get("name", "?"))
            TOOL_CALLS.labels(tool).inc()
            if int(call.get("attempts", 1)) > 1:
                TOOL_RETRIES.labels(tool).inc(int(call["attempts"]) - 1)
            if is_tool_failure(call):
                TOOL_FAILURES.labels(tool, str(call.get("outcome"))).inc()
    cursor.message = max(cursor.message, _max_id(db, "messages"))
    for audit_id, tenant, actor in db.execute(
            "SELECT id, tenant_id, actor FROM audit_log WHERE id > ? AND action = 'booking.create' ORDER BY id",
            (cursor.audit,)).fetchall():
        BOOKINGS.labels(tenant, actor).inc()
    cursor.audit = max(cursor.audit, _max_id(db, "audit_log"))
    for callback_id, tenant in db.execute("SELECT id, tenant_id FROM callbacks WHERE id > ? ORDER BY id",
                                          (cursor.callback,)).fetchall():
        CALLBACKS.labels(tenant).inc()
        cursor.callback = max(cursor.callback, callback_id)
    if idle_minutes <= 0:
        return
    since = (now - timedelta(minutes=idle_minutes)).astimezone(timezone.utc).isoformat(timespec="milliseconds")
    active = dict(db.execute("SELECT channel, COUNT(*) FROM conversations WHERE ended_at IS NULL AND updated_at >= ? "
                             "GROUP BY channel", (since,)).fetchall())
    for channel in cursor.channels | set(active):
        ACTIVE_SESSIONS.labels(channel).set(active.get(channel, 0))
    cursor.channels |= set(active)


async def prime(worker: DbWorker) -> None:
    """Start counting from now (the service calls this at start, so turns before the first scrape count)."""
    cursor = _CURSORS.setdefault(worker, LogCursor())
    if not cursor.primed:
        await worker.run(lambda db: _read_log(db, cursor, datetime.min.replace(tzinfo=timezone.utc), 0))


async def scrape(worker: DbWorker, clock: Clock, idle_minutes: int) -> bytes:
    """The Prometheus text exposition, after counting what the log gained since the last scrape."""
    cursor = _CURSORS.setdefault(worker, LogCursor())
    await worker.run(_read_log, cursor, clock.now(), idle_minutes)
    return generate_latest(REGISTRY)
