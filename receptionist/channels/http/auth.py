"""Bearer tokens for the staff/booking API.

A token is 256 random bits shown once (`receptionist tokens create`); the database keeps its first
8 characters (to find the row), a per-token salt and sha256(salt + token). Verification compares
hashes in constant time. A token may be limited to one tenant.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

TOKEN_PREFIX = "rcp_"


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    name: str
    tenant_id: str | None  # None: every tenant
    prefix: str
    created_at: str
    last_used_at: str | None = None
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, tenant_id: str) -> bool:
        return self.tenant_id is None or self.tenant_id == tenant_id


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


def _digest(salt: str, token: str) -> str:
    return hashlib.sha256((salt + token).encode("utf-8")).hexdigest()


def _lookup_key(token: str) -> str:
    return token[len(TOKEN_PREFIX):len(TOKEN_PREFIX) + 8]


def create_token(db: sqlite_utils.Database, name: str, at: datetime, tenant_id: str | None = None) -> tuple[ApiToken, str]:
    """Store a new token; returns it and the secret (the only time the secret exists outside the caller)."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    with db.conn:
        cur = db.execute("INSERT INTO api_tokens (name, tenant_id, prefix, salt, hash, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (name, tenant_id, _lookup_key(secret), salt, _digest(salt, secret), _iso(at)))
    return ApiToken(int(cur.lastrowid), name, tenant_id, _lookup_key(secret), _iso(at)), secret


def verify_token(db: sqlite_utils.Database, secret: str, at: datetime | None = None) -> ApiToken | None:
    """The active token with this secret, or None. Marks it used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    found: ApiToken | None = None
    for row in db.execute("SELECT id, name, tenant_id, prefix, created_at, last_used_at, revoked_at, salt, hash "
                          "FROM api_tokens WHERE prefix = ?", (_lookup_key(secret),)).fetchall():
        if hmac.compare_digest(_digest(row[7], secret), row[8]) and row[6] is None:
            found = ApiToken(*row[:7])
    if found is not None and at is not None and (found.last_used_at or "") < _iso(at)[:16]:
        with db.conn:
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (_iso(at), found.id))
    return found


def list_tokens(db: sqlite_utils.Database) -> list[ApiToken]:
    return [ApiToken(*row) for row in db.execute(
        "SELECT id, name, tenant_id, prefix, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id")]


def revoke_token(db: sqlite_utils.Database, ident: str, at: datetime) -> list[ApiToken]:
    """Revoke active tokens by id or by name; returns the tokens revoked (empty: none matched)."""
    targets = [t for t in list_tokens(db) if t.active and (str(t.id) == ident or t.name == ident)]
    with db.conn:
        for t in targets:
            db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (_iso(at), t.id))
    return targets
