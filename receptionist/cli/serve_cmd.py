"""`receptionist serve`: run the appliance (what systemd and scripts/run start)."""

from __future__ import annotations

import asyncio
import logging
import os

import click

from receptionist.cli.context import handle_errors


@click.command()
@click.option("--log-level", default=None, type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
              help="Override [app] log_level.")
@click.pass_context
@handle_errors
def serve(ctx: click.Context, log_level: str | None) -> None:
    """Run the receptionist: load and warm the models, start the enabled channels, serve until stopped.

    \b
    Example:
      receptionist --config /etc/receptionist/config.toml serve
    """
    from receptionist.config.app import load_config
    from receptionist.logs import setup_logging
    from receptionist.service import serve as run

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    config = load_config(ctx.find_root().obj.get("config_path", "config.toml"))
    setup_logging(log_level or config.app.log_level)
    logging.getLogger(__name__).info("configuration %s: %d tenant(s)", config.source, len(config.tenants))
    asyncio.run(run(config))


COMMANDS = [serve]
