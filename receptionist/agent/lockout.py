"""Failed booking look-ups, counted in SQLite (so a restart resets nothing), and the lock-outs they cause.

A failed look-up is a confirmation code + phone number pair that does not match a booking, or a one-time
code entered wrongly too often. Three scopes are counted, each against its own limit:
  session: one conversation (within a day),
  client:  one web client address (hashed by the HTTP shim) or one caller id, within the window,
  tenant:  everybody talking to one business, within the window (then everyone is sent to staff).
The same table counts one-time-code texts per phone number, so the bot cannot be made to spam a phone.
Keys are stored as hashes: the table holds no phone numbers and no session ids. Rows older than a day
(or the window, when longer) are pruned on each write.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlite_utils

from receptionist.clock import Clock
from receptionist.config.agent import AgentConfig
from receptionist.dbworker import DbWorker

SCOPES = ("session", "client", "tenant")
_SESSION_WINDOW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class LookupLimits:
    """How many failures each scope may have before it is locked out; `window` applies to client and tenant."""

    per_session: int = 3
    per_client: int = 10
    per_tenant: int = 100
    window: timedelta = timedelta(hours=1)
    otp_texts_per_phone: int = 3  # within `window`

    @staticmethod
    def from_config(agent: AgentConfig) -> "LookupLimits":
        return LookupLimits(per_session=agent.lookup_failures_per_session, per_client=agent.lookup_failures_per_client,
                            per_tenant=agent.lookup_failures_per_tenant,
                            window=timedelta(minutes=agent.lookup_window_minutes),
                            otp_texts_per_phone=agent.otp_texts_per_phone)


@dataclass(frozen=True, slots=True)
class Who:
    """The party asking: tenant, conversation and client (None when the channel knows no client)."""

    tenant_id: str
    session_id: str
    client: str | None = None


def key(kind: str, value: str) -> str:
    """A stable, non-reversible-at-a-glance key for a session id, client or phone number."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds")


# -- on the database thread ------------------------------------------------------------------------------

def record(db: sqlite_utils.Database, tenant_id: str, kind: str, session_key: str, client_key: str | None,
           target_key: str | None, at: datetime, keep: timedelta) -> None:
    """Store one event ("failure" or "otp") and prune events older than `keep`."""
    with db.conn:
        db.execute("INSERT INTO lookup_events (tenant_id, kind, session_key, client_key, target_key, at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (tenant_id, kind, session_key, client_key, target_key, _iso(at)))
        db.execute("DELETE FROM lookup_events WHERE at < ?", (_iso(at - keep),))


def failure_counts(db: sqlite_utils.Database, tenant_id: str, session_key: str, client_key: str | None,
                   now: datetime, window: timedelta) -> dict[str, int]:
    """Failures per scope: the session's within a day, the client's and the tenant's within `window`."""
    since, day = _iso(now - window), _iso(now - _SESSION_WINDOW)
    one = lambda sql, *args: int(db.execute(sql, args).fetchone()[0])  # noqa: E731
    return {
        "session": one("SELECT COUNT(*) FROM lookup_events WHERE kind = 'failure' AND session_key = ? AND at >= ?",
                       session_key, day),
        "client": 0 if client_key is None else one(
            "SELECT COUNT(*) FROM lookup_events WHERE kind = 'failure' AND client_key = ? AND at >= ?",
            client_key, since),
        "tenant": one("SELECT COUNT(*) FROM lookup_events WHERE kind = 'failure' AND tenant_id = ? AND at >= ?",
                      tenant_id, since),
    }


def texts_to(db: sqlite_utils.Database, target_key: str, since: datetime) -> int:
    return int(db.execute("SELECT COUNT(*) FROM lookup_events WHERE kind = 'otp' AND target_key = ? AND at >= ?",
                          (target_key, _iso(since))).fetchone()[0])


# -- the guard the agent uses -----------------------------------------------------------------------------

class LookupGuard:
    """Answers "is this party locked out?" and records failures and one-time-code texts. Uses the injected
    clock only. All methods run one short SQLite statement batch on the database worker."""

    def __init__(self, worker: DbWorker, clock: Clock, limits: LookupLimits) -> None:
        self.worker = worker
        self.clock = clock
        self.limits = limits

    def _limit(self, scope: str) -> int:
        return {"session": self.limits.per_session, "client": self.limits.per_client,
                "tenant": self.limits.per_tenant}[scope]

    async def _counts(self, who: Who) -> dict[str, int]:
        client = key("client", who.client) if who.client else None
        return await self.worker.run(failure_counts, who.tenant_id, key("session", who.session_id), client,
                                     self.clock.now(), self.limits.window)

    async def locked(self, who: Who) -> str | None:
        """The first locked scope ("session", "client", "tenant"), or None when look-ups are allowed."""
        counts = await self._counts(who)
        return next((s for s in SCOPES if counts[s] >= self._limit(s)), None)

    async def fail(self, who: Who) -> str | None:
        """Record one failed look-up; returns the scope this failure locked (the first to reach its limit
        now), or None when nothing new is locked."""
        client = key("client", who.client) if who.client else None
        await self.worker.run(record, who.tenant_id, "failure", key("session", who.session_id), client, None,
                              self.clock.now(), max(_SESSION_WINDOW, self.limits.window))
        counts = await self._counts(who)
        return next((s for s in SCOPES if counts[s] == self._limit(s)), None)

    async def may_text(self, who: Who, phone: str) -> bool:
        """Whether another one-time code may be texted to `phone`; if so, the text is counted now."""
        target = key("phone", phone)
        now = self.clock.now()
        if await self.worker.run(texts_to, target, now - self.limits.window) >= self.limits.otp_texts_per_phone:
            return False
        client = key("client", who.client) if who.client else None
        await self.worker.run(record, who.tenant_id, "otp", key("session", who.session_id), client, target, now,
                              max(_SESSION_WINDOW, self.limits.window))
        return True
