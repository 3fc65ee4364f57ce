"""`receptionist tokens create|list|revoke`: Bearer tokens for the staff/booking HTTP API."""

from __future__ import annotations

from datetime import datetime

import click

from receptionist.channels.http import auth
from receptionist.cli.context import console, handle_errors, json_option, print_json, staff_context
from receptionist.errors import BookingError


@click.group()
def tokens() -> None:
    """Bearer tokens for the staff/booking HTTP API (stored hashed; shown once)."""


@tokens.command("create")
@click.option("--name", required=True, help="Who or what uses the token, e.g. \"front-desk\" or \"branch-2\".")
@click.option("--scope", required=True, type=click.Choice(auth.SCOPES),
              help="read: look only (GET routes, /metrics); write: also book, move, cancel and close callbacks.")
@click.option("--expires", default=None, metavar="DURATION",
              help="Expire after this long: 12h, 30d, 4w (default: never).")
@click.option("--tenant", "tenant_id", default=None, metavar="ID",
              help="Limit the token to one tenant (default: every tenant).")
@json_option
@click.pass_context
@handle_errors
def create(ctx: click.Context, name: str, scope: str, expires: str | None, tenant_id: str | None,
           as_json: bool) -> None:
    """Create a token and print it once — it cannot be shown again.

    \b
    Examples:
      receptionist tokens create --name branch-2 --scope write
      receptionist tokens create --name dashboard --scope read --expires 30d
      curl -H "Authorization: Bearer rcp_…" http://127.0.0.1:8080/api/v1/bookings
    """
    staff = staff_context(ctx)
    if tenant_id is not None:
        staff.tenant(tenant_id)  # unknown tenant → error [unknown-tenant]
    if not name.strip():
        raise BookingError("the token needs a name", code="invalid-request")
    try:
        expires_in = auth.parse_duration(expires) if expires is not None else None
    except ValueError as exc:
        raise BookingError(f"--expires: {exc}", code="invalid-request") from None
    token, secret = auth.create_token(staff.calendar.db, name, staff.clock.now(), tenant_id, scope=scope,
                                      expires_in=expires_in)
    if as_json:
        print_json({**_json(token), "token": secret})
        return
    click.echo(secret)
    until = f", expires {token.expires_at}" if token.expires_at else ""
    click.echo(f"token {token.id} ({token.name}, {token.scope}{until}) created — store it now, it is not shown again",
               err=True)


def _json(t: auth.ApiToken) -> dict:
    return {"id": t.id, "name": t.name, "tenant": t.tenant_id, "scope": t.scope, "prefix": t.prefix,
            "created_at": t.created_at, "expires_at": t.expires_at, "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at}


def _status(t: auth.ApiToken, now: datetime) -> str:
    if not t.active:
        return f"revoked {t.revoked_at}"
    return f"expired {t.expires_at}" if t.expired(now) else "active"


@tokens.command("list")
@json_option
@click.pass_context
@handle_errors
def list_(ctx: click.Context, as_json: bool) -> None:
    """List tokens with their scope, tenant and expiry (names and ids, never the secrets)."""
    staff = staff_context(ctx)
    found, now = auth.list_tokens(staff.calendar.db), staff.clock.now()
    if as_json:
        print_json([{**_json(t), "status": _status(t, now).split(" ")[0]} for t in found])
        return
    from rich.table import Table

    table = Table("id", "name", "scope", "tenant", "created", "expires", "last used", "status")
    for t in found:
        table.add_row(str(t.id), t.name, t.scope, t.tenant_id or "(all)", t.created_at, t.expires_at or "never",
                      t.last_used_at or "-", _status(t, now))
    console().print(table)


@tokens.command("revoke")
@click.argument("token")
@click.pass_context
@handle_errors
def revoke(ctx: click.Context, token: str) -> None:
    """Revoke a token by id or name (requests with it are refused from now on)."""
    staff = staff_context(ctx)
    revoked = auth.revoke_token(staff.calendar.db, token, staff.clock.now())
    if not revoked:
        raise BookingError(f"no active token {token!r}", code="not-found")
    for t in revoked:
        click.echo(f"revoked token {t.id} ({t.name}, {t.scope}, expires {t.expires_at or 'never'})")


COMMANDS = [tokens]
