"""`receptionist` command line: a thin layer over library functions.

Each command group lives in its own module and exposes `COMMANDS`; this file only collects them.
"""

from __future__ import annotations

import click

from receptionist.cli import api_cmd, chat, config_cmd, models_cmd, ops_cmd, serve_cmd, sms_cmd, staff, voice


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "-c", "config_path", envvar="RECEPTIONIST_CONFIG", default="config.toml",
              show_default=True, type=click.Path(dir_okay=False), help="Configuration file.")
@click.pass_context
def main(ctx: click.Context, config_path: str) -> None:
    """On-premises, offline, multilingual AI receptionist.

    \b
    Example:
      receptionist --config config.toml bookings list --from 2026-12-01
    """
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


for _module in (staff, config_cmd, models_cmd, chat, voice, api_cmd, serve_cmd, ops_cmd, sms_cmd):
    for _command in _module.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
