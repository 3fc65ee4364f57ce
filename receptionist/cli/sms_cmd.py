"""`receptionist sms`: the texts the appliance sent, is sending, or gave up on — and sending one again."""

from __future__ import annotations

import click
from rich.table import Table

from receptionist.booking.phones import format_phone
from receptionist.channels.sms import outbox
from receptionist.cli.context import console, handle_errors, json_option, print_json, staff_context, tenant_option
from receptionist.errors import BookingError


@click.group()
def sms() -> None:
    """Outgoing texts: list them (failed ones first of all) and send a failed one again.

    \b
    Example:
      receptionist sms list --failed
    """


@sms.command("list")
@click.option("--failed", is_flag=True, help="Only texts given up on ([sms] give_up_after_h passed unsent).")
@click.option("--status", type=click.Choice(outbox.STATUSES), help="Only texts with this status.")
@tenant_option
@json_option
@click.pass_context
@handle_errors
def list_cmd(ctx: click.Context, failed: bool, status: str | None, tenant_id: str | None, as_json: bool) -> None:
    """List outgoing texts (all tenants unless --tenant), oldest first.

    \b
    Example:
      receptionist sms list --failed --json
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id).id if tenant_id else None
    found = outbox.messages(staff.calendar.db, "failed" if failed else status, tenant)
    if as_json:
        print_json([{"id": m.id, "tenant": m.tenant_id, "phone": m.phone, "kind": m.kind, "status": m.status,
                     "attempts": m.attempts, "last_error": m.last_error, "queued_at": m.created_at,
                     "text": m.text} for m in found])
        return
    table = Table(title=f"{len(found)} text(s)")
    for column in ("id", "status", "kind", "phone", "attempts", "error", "queued", "text"):
        table.add_column(column, no_wrap=column in ("id", "status", "phone"))
    for m in found:
        table.add_row(str(m.id), m.status, m.kind, format_phone(m.phone), str(m.attempts), m.last_error or "-",
                      m.created_at[:16].replace("T", " "), m.text)
    console().print(table)


@sms.command("retry")
@click.argument("sms_id", type=int)
@click.pass_context
@handle_errors
def retry_cmd(ctx: click.Context, sms_id: int) -> None:
    """Queue a failed text again (the running service sends it at its next pass).

    \b
    Example:
      receptionist sms retry 42
    """
    staff = staff_context(ctx)
    if not outbox.requeue(staff.calendar.db, sms_id, outbox.timestamp(staff.clock.now())):
        raise BookingError(f"no failed text {sms_id}", code="not-found")
    click.echo(f"text {sms_id} queued again")


COMMANDS = [sms]
