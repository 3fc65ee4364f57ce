"""`receptionist tokens create|list|revoke`: Bearer tokens for the staff/booking HTTP API."""

from __future__ import annotations

import click

from receptionist.channels.http import auth
from receptionist.cli.context import console, handle_errors, json_option, print_json, staff_context
from receptionist.errors import BookingError


@click.group()
def tokens() -> None:
    """Bearer tokens for the staff/booking HTTP API (stored hashed; shown once)."""


@tokens.command("create")
@click.option("--name", required=True, help="Who or what uses the token, e.g. \"front-desk\" or \"branch-2\".")
@click.option("--tenant", "tenant_id", default=None, metavar="ID",
              help="Limit the token to one tenant (default: every tenant).")
@json_option
@click.pass_context
@handle_errors
def create(ctx: click.Context, name: str, tenant_id: str | None, as_json: bool) -> None:
    """Create a token and print it once — it cannot be shown again.

    \b
    Example:
      receptionist tokens create --name branch-2
      curl -H "Authorization: Bearer rcp_…" http://127.0.0.1:8080/api/v1/bookings
    """
    staff = staff_context(ctx)
    if tenant_id is not None:
        staff.tenant(tenant_id)  # unknown tenant → error [unknown-tenant]
    if not name.strip():
        raise BookingError("the token needs a name", code="invalid-request")
    token, secret = auth.create_token(staff.calendar.db, name, staff.clock.now(), tenant_id)
    if as_json:
        print_json({"id": token.id, "name": token.name, "tenant": token.tenant_id, "token": secret})
        return
    click.echo(secret)
    click.echo(f"token {token.id} ({token.name}) created — store it now, it is not shown again", err=True)


@tokens.command("list")
@json_option
@click.pass_context
@handle_errors
def list_(ctx: click.Context, as_json: bool) -> None:
    """List tokens (names and ids, never the secrets)."""
    found = auth.list_tokens(staff_context(ctx).calendar.db)
    if as_json:
        print_json([{"id": t.id, "name": t.name, "tenant": t.tenant_id, "prefix": t.prefix, "created_at": t.created_at,
                     "last_used_at": t.last_used_at, "revoked_at": t.revoked_at} for t in found])
        return
    from rich.table import Table

    table = Table("id", "name", "tenant", "created", "last used", "status")
    for t in found:
        table.add_row(str(t.id), t.name, t.tenant_id or "(all)", t.created_at, t.last_used_at or "-",
                      "active" if t.active else f"revoked {t.revoked_at}")
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
        click.echo(f"revoked token {t.id} ({t.name})")


COMMANDS = [tokens]
