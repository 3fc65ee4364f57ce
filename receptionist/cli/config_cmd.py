"""`receptionist config check`: load and validate the configuration, print what it describes."""

from __future__ import annotations

import click
from rich.table import Table

from receptionist import profiles
from receptionist.cli.context import console
from receptionist.config.app import load_config
from receptionist.errors import ConfigError


@click.group("config")
def config_group() -> None:
    """Inspect the configuration file.

    \b
    Example:
      receptionist --config examples/clinic.toml config check
    """


@config_group.command("check")
@click.pass_context
def check(ctx: click.Context) -> None:
    """Load and validate the configuration; print a summary of tenants and what they offer.

    Exits 1 with the offending key named when the file is invalid.

    \b
    Example:
      receptionist --config config.toml config check
    """
    path = ctx.find_root().ensure_object(dict).get("config_path", "config.toml")
    try:
        config = load_config(path)
    except ConfigError as exc:
        click.echo(f"config error: {exc.message}", err=True)
        raise SystemExit(1) from None
    out = console()
    out.print(f"[bold]{path}[/bold]: OK — {len(config.tenants)} tenant(s), database {config.app.database}")
    for t in config.tenants:
        table = Table(title=f"{t.id}: {t.name} ({t.profile}, assistant {t.assistant_name}, {t.timezone}, "
                            f"{'/'.join(t.languages)})")
        for column in ("resource", "kind", "capacity / duration", "price", "names"):
            table.add_column(column)
        for r in t.room_types:
            table.add_row(r.id, "room type", str(r.capacity), f"{r.price_per_night} {t.currency}/night",
                          ", ".join(r.names.values()))
        for s in t.services:
            table.add_row(s.id, "service", f"{s.duration_min} min", f"{s.price} {t.currency}",
                          ", ".join(s.names.values()))
        for p in t.practitioners:
            table.add_row(p.id, "practitioner", "", "", f"{p.name}: {', '.join(p.services)}")
        if not (t.room_types or t.services or t.practitioners):  # another profile: its resources as declared
            for r in profiles.of(t).resources(t):
                table.add_row(r.id, r.kind, str(r.capacity), "", r.name)
        out.print(table)
        open_days = ", ".join(f"{day} {' '.join(iv)}" for day, iv in t.hours.describe().items() if iv)
        out.print(f"  hours: {open_days or 'none'}")
        if t.closures:
            out.print(f"  closures: {', '.join(d.isoformat() for d in t.closures)}")


COMMANDS = [config_group]
