"""Bearer tokens for the staff/booking API.

A token is 256 random bits shown once (`receptionist tokens create`); the database keeps its first
8 characters (to find the row), a per-token salt and sha256(salt + token). Verification compares
hashes in constant time. A token has a scope — `read` (GET routes only) or `write` (everything) — may be
limited to one tenant, and may expire.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal, get_args

import sqlite_utils

TOKEN_PREFIX = "rcp_"
Scope = Literal["read", "write"]
SCOPES: tuple[str, ...] = get_args(Scope)
_COLUMNS = "id, name, tenant_id, prefix, created_at, last_used_at, revoked_at, scope, expires_at"
_DURATION = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7}


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    name: str
    tenant_id: str | None  # None: every tenant
    prefix: str
    created_at: str  # ISO 8601, UTC, seconds
    last_used_at: str | None = None
    revoked_at: str | None = None
    scope: Scope = "write"
    expires_at: str | None = None  # None: never

    @property
    def active(self) -> bool:
        """Not revoked (see `expired` for the expiry)."""
        return self.revoked_at is None

    def expired(self, at: datetime) -> bool:
        return self.expires_at is not None and _iso(at) >= self.expires_at

    def allows(self, tenant_id: str) -> bool:
        return self.tenant_id is None or self.tenant_id == tenant_id

    def may(self, scope: Scope) -> bool:
        """A write token may do everything a read token may."""
        return scope == "read" or self.scope == "write"


def parse_duration(text: str) -> timedelta:
    """A duration such as `12h`, `30d` or `4w` as a timedelta. Raises ValueError on anything else (or zero)."""
    m = _DURATION.match(text)
    if m is None or int(m.group(1)) == 0:
        raise ValueError(f"a duration is a positive number of hours, days or weeks, e.g. 12h, 30d, 4w (got {text!r})")
    return timedelta(hours=int(m.group(1)) * _UNIT_HOURS[m.group(2)])


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


def _digest(salt: str, token: str) -> str:
    return hashlib.sha256((salt + token).encode("utf-8")).hexdigest()


def _lookup_key(token: str) -> str:
    return token[len(TOKEN_PREFIX):len(TOKEN_PREFIX) + 8]


def create_token(db: sqlite_utils.Database, name: str, at: datetime, tenant_id: str | None = None, *,
                 scope: Scope = "read", expires_in: timedelta | None = None) -> tuple[ApiToken, str]:
    """Store a new token; returns it and the secret (the only time the secret exists outside the caller).

    Raises ValueError for an empty name or an unknown scope."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    expires_at = _iso(at + expires_in) if expires_in is not None else None
    with db.conn:
        cur = db.execute("INSERT INTO api_tokens (name, tenant_id, prefix, salt, hash, created_at, scope, expires_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (name, tenant_id, _lookup_key(secret), salt, _digest(salt, secret), _iso(at), scope,
                          expires_at))
    token = ApiToken(int(cur.lastrowid), name, tenant_id, _lookup_key(secret), _iso(at), scope=scope,
                     expires_at=expires_at)
    return token, secret


def verify_token(db: sqlite_utils.Database, secret: str, at: datetime) -> ApiToken | None:
    """The token with this secret if it is neither revoked nor expired at `at`, else None.
    Marks it used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    found: ApiToken | None = None
    for row in db.execute(f"SELECT {_COLUMNS}, salt, hash FROM api_tokens WHERE prefix = ?",
                          (_lookup_key(secret),)).fetchall():
        token = ApiToken(*row[:9])
        if hmac.compare_digest(_digest(row[9], secret), row[10]) and token.active and not token.expired(at):
            found = token
    if found is not None and (found.last_used_at or "") < _iso(at)[:16]:
        with db.conn:
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (_iso(at), found.id))
    return found


def list_tokens(db: sqlite_utils.Database) -> list[ApiToken]:
    return [ApiToken(*row) for row in db.execute(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY id")]


def revoke_token(db: sqlite_utils.Database, ident: str, at: datetime) -> list[ApiToken]:
    """Revoke active tokens by id or by name; returns the tokens revoked (empty: none matched)."""
    targets = [t for t in list_tokens(db) if t.active and (str(t.id) == ident or t.name == ident)]
    with db.conn:
        for t in targets:
            db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (_iso(at), t.id))
    return targets
