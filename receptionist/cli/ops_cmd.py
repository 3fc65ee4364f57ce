"""Running it like an appliance: doctor, backup/restore, privacy requests, retention, stats."""

from __future__ import annotations

import functools
from pathlib import Path

import click
from rich.table import Table

from receptionist.cli.context import console, handle_errors, json_option, print_json, staff_context, tenant_option
from receptionist.errors import BookingError, ReceptionistError


def _ops_errors(func):
    """Typed errors of the ops library → "error [code]: …" on stderr, exit 2 (like staff commands)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BookingError:
            raise
        except ReceptionistError as exc:
            if exc.code == "config-invalid":
                raise
            raise BookingError(exc.message, code=exc.code) from None
    return handle_errors(wrapper)


# -- doctor ----------------------------------------------------------------------------------------------

_MARK = {"ok": "[green]ok  [/]", "warn": "[yellow]warn[/]", "fail": "[red]FAIL[/]", "skip": "[dim]skip[/]"}


@click.command()
@click.option("--load", is_flag=True, help="Also load the models (slow: seconds to a minute).")
@click.option("--min-free-mb", type=click.IntRange(0), default=512, show_default=True,
              help="Less free disk than this in the data folder fails the check.")
@json_option
@click.pass_context
@_ops_errors
def doctor(ctx: click.Context, load: bool, min_free_mb: int, as_json: bool) -> None:
    """Check that this box can answer: models, ports, SIP, modem, database, disk. Exit 1 on a failure.

    \b
    Example:
      receptionist --config /etc/receptionist/config.toml doctor --load
    """
    from receptionist.ops.doctor import failed, run_checks

    checks = run_checks(staff_context(ctx).config, load=load, min_free_bytes=min_free_mb * 1024 * 1024)
    if as_json:
        print_json({"ok": not failed(checks), "checks": [c.to_dict() for c in checks]})
    else:
        out = console()
        for c in checks:
            out.print(f"{_MARK[c.status]}  {c.name:<22} {c.detail}", markup=True, highlight=False)
    if failed(checks):
        raise SystemExit(1)


# -- backup / restore -----------------------------------------------------------------------------------

@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
@_ops_errors
def backup(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Copy the database to FILE (consistent while the service runs; one self-contained file).

    \b
    Example:
      receptionist backup /var/backups/receptionist-$(date +%F).db
    """
    from receptionist.ops.backup import backup as run

    info = run(staff_context(ctx).config.app.database, file)
    if as_json:
        print_json(info.to_dict())
    else:
        rows = ", ".join(f"{k} {v}" for k, v in info.rows.items())
        click.echo(f"backed up to {info.path} ({info.bytes / 1e6:.1f} MB, schema v{info.schema_version}): {rows}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@click.pass_context
@_ops_errors
def restore(ctx: click.Context, file: Path, yes: bool, as_json: bool) -> None:
    """Replace the database with backup FILE; the current database is kept aside first.

    Refuses a file that is not an intact receptionist database of this appliance's businesses.
    Stop the service first (systemctl stop receptionist) or restart it afterwards.

    \b
    Example:
      receptionist restore /var/backups/receptionist-2026-11-24.db --yes
    """
    from receptionist.ops.backup import inspect, restore as run

    staff = staff_context(ctx)
    config = staff.config
    known = tuple(t.id for t in config.tenants)
    info = inspect(file, known_tenants=known)
    if not yes:
        click.confirm(f"Replace {config.app.database} with {file} ({info.rows.get('bookings', 0)} bookings)?",
                      abort=True, err=True)
    result = run(file, config.app.database, known_tenants=known, at=staff.clock.now())
    if as_json:
        print_json(result.to_dict())
    else:
        click.echo(f"restored {file} into {config.app.database}")
        if result.previous:
            click.echo(f"the previous database is kept at {result.previous}")


# -- privacy ----------------------------------------------------------------------------------------------

@click.group()
def privacy() -> None:
    """Requests about one caller's data (GDPR): find, export, erase — and retention.

    \b
    Example:
      receptionist privacy find --phone "+372 5123 4567"
    """


def _phone_options(func):
    func = click.option("--all-tenants", is_flag=True, help="Search every tenant (default: one tenant).")(func)
    func = tenant_option(func)
    return click.option("--phone", required=True, help="The caller's phone number (with country code).")(func)


def _find(ctx: click.Context, phone: str, tenant_id: str | None, all_tenants: bool):
    from receptionist.ops.privacy import caller_phone, find, load_salt

    staff = staff_context(ctx)
    tenants = staff.config.tenants if all_tenants else (staff.tenant(tenant_id),)
    e164 = caller_phone(phone, tenants)
    salt = load_salt(staff.config.app.data_dir)
    return staff, find(staff.calendar.db, e164, tuple(t.id for t in tenants), salt=salt), salt


def _print_counts(title: str, counts: dict[str, int]) -> None:
    table = Table(title=title)
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    console().print(table)


@privacy.command("find")
@_phone_options
@json_option
@click.pass_context
@_ops_errors
def privacy_find(ctx: click.Context, phone: str, tenant_id: str | None, all_tenants: bool, as_json: bool) -> None:
    """List every record about one caller: bookings, customer, conversations, callbacks, texts.

    \b
    Example:
      receptionist privacy find --phone "+372 5123 4567" --json
    """
    _, found, _ = _find(ctx, phone, tenant_id, all_tenants)
    if as_json:
        print_json(found.to_dict())
        return
    _print_counts(f"Records about {found.phone} ({', '.join(found.tenants)})", found.counts())
    for b in found.bookings:
        click.echo(f"booking {b['code']} {b['status']} {b['start_at']}..{b['end_at']} {b['customer_name']}")
    for c in found.conversations:
        click.echo(f"conversation {c['id']} ({c['channel']}, {len(c['messages'])} messages, {c['started_at']})")
    for e in found.erasures:
        click.echo(f"erased before: {e['at']} by {e['actor']}")


@privacy.command("export")
@_phone_options
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON file to write (readable by you only).")
@click.pass_context
@_ops_errors
def privacy_export(ctx: click.Context, phone: str, tenant_id: str | None, all_tenants: bool, output: Path) -> None:
    """Write every record about one caller to a JSON file (a subject access request).

    \b
    Example:
      receptionist privacy export --phone "+372 5123 4567" -o request-2026-11-24.json
    """
    from receptionist.ops.privacy import export

    staff, found, _ = _find(ctx, phone, tenant_id, all_tenants)
    export(found, output, at=staff.clock.now())
    click.echo(f"wrote {output}: " + ", ".join(f"{k} {v}" for k, v in found.counts().items()))


@privacy.command("erase")
@_phone_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@click.pass_context
@_ops_errors
def privacy_erase(ctx: click.Context, phone: str, tenant_id: str | None, all_tenants: bool, yes: bool,
                  as_json: bool) -> None:
    """Erase one caller: delete conversations, texts, callbacks and the customer; anonymise past bookings
    (kept for [privacy] keep_bookings_for_days), cancel future ones. Recorded in the audit log.

    \b
    Example:
      receptionist privacy erase --phone "+372 5123 4567" --yes
    """
    from receptionist.ops.privacy import erase

    staff, found, salt = _find(ctx, phone, tenant_id, all_tenants)
    if found.empty:
        if as_json:
            print_json({"erased": False, "counts": found.counts()})
        else:
            click.echo("nothing found about this number")
        return
    if not yes:
        _print_counts("Will be erased", found.counts())
        click.confirm("Erase all of this? It cannot be undone", abort=True, err=True)
    result = erase(staff.calendar.db, found, staff.config.privacy, at=staff.clock.now(), salt=salt)
    if as_json:
        print_json({"erased": True, **result.to_dict()})
    else:
        _print_counts(f"Erased at {result.at} (audit subject {result.subject[:24]}…)", result.counts)


@privacy.command("purge")
@json_option
@click.pass_context
@_ops_errors
def privacy_purge(ctx: click.Context, as_json: bool) -> None:
    """Apply the retention policy now ([privacy] retention_days); the service also does it periodically.

    \b
    Example:
      receptionist privacy purge --json
    """
    from receptionist.ops.retention import purge, recordings_dir

    staff = staff_context(ctx)
    result = purge(staff.calendar.db, staff.config.privacy, staff.clock.now(), recordings=recordings_dir(staff.config))
    if as_json:
        print_json(result.counts)
    else:
        _print_counts(f"Deleted (older than {staff.config.privacy.retention_days} days)", result.counts)


# -- stats ------------------------------------------------------------------------------------------------

@click.command()
@click.option("--hours", type=click.FloatRange(min=0.01, max=24 * 366), default=24.0, show_default=True,
              help="How far back to look.")
@click.option("--all-tenants", is_flag=True, help="Every tenant together (default: one tenant).")
@tenant_option
@json_option
@click.pass_context
@_ops_errors
def stats(ctx: click.Context, hours: float, all_tenants: bool, tenant_id: str | None, as_json: bool) -> None:
    """How the receptionist did: turns, LLM share, reply time p50/p95, bookings, callbacks, tool failures,
    languages — computed from the conversation log.

    \b
    Example:
      receptionist stats --hours 24 --json
    """
    from receptionist.ops.stats import collect

    staff = staff_context(ctx)
    tenants = staff.config.tenants if all_tenants else (staff.tenant(tenant_id),)
    result = collect(staff.calendar.db, [t.id for t in tenants], now=staff.clock.now(), hours=hours)
    if as_json:
        print_json(result.to_dict())
        return
    d = result.to_dict()
    table = Table(title=f"Last {hours:g} h ({', '.join(result.tenants)})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    share = "-" if result.llm_share is None else f"{result.llm_share:.0%}"
    ms = lambda v: "-" if v is None else f"{v:.0f} ms"  # noqa: E731
    for name, value in (("turns", d["turns"]), ("sessions", d["sessions"]), ("LLM share", share),
                        ("reply p50", ms(result.reply_ms_p50)), ("reply p95", ms(result.reply_ms_p95)),
                        ("bookings", d["bookings"]), ("cancellations", d["cancellations"]), ("moves", d["moves"]),
                        ("callbacks", d["callbacks"]), ("hand-offs", d["handoffs"]),
                        ("tool calls", d["tool_calls"]), ("tool failures", d["tool_failures"]),
                        ("tool retries", d["tool_retries"]), ("fallbacks", d["fallbacks"]),
                        ("languages", ", ".join(f"{k} {v}" for k, v in result.languages.items()) or "-"),
                        ("channels", ", ".join(f"{k} {v}" for k, v in result.channels.items()) or "-")):
        table.add_row(name, str(value))
    console().print(table)


COMMANDS = [doctor, backup, restore, privacy, stats]
