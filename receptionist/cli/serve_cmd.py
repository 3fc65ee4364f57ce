"""`receptionist serve`: run the appliance (what systemd and scripts/run start).

On a terminal, start-up ends with one line for a person saying what listens where ("web chat on
http://127.0.0.1:8080/, SIP off, SMS off — Ctrl-C to stop"); the JSON log lines stay as they are for
journald, and under systemd (no terminal) the line is not printed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Mapping, TextIO

import click

from receptionist.cli.context import handle_errors
from receptionist.config.channels import ChannelsConfig

_ANY_ADDRESS = ("0.0.0.0", "", "::")


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
    asyncio.run(run(config, on_ready=lambda running: announce(ready_line(config.channels, running.ports))))


def ready_line(channels: ChannelsConfig, ports: Mapping[str, int]) -> str:
    """What listens where, in words: "web chat on http://127.0.0.1:8080/, SIP off, SMS off — Ctrl-C to
    stop". `ports`: the ports actually bound (Running.ports), which differ from the configured ones when
    the config asked for port 0."""
    http, sip, sms = channels.http, channels.sip, channels.sms
    parts = []
    if http.enabled:
        parts.append(f"web chat on {_url(http.host, ports.get('http', http.port))}")
        if http.staff_listen is not None:
            host, port = http.staff_listen
            parts.append(f"staff API on {_url(host, ports.get('http-staff', port))}")
    else:
        parts.append("web chat off")
    if sip.enabled:
        where = f"SIP on {sip.transport} {_host(sip.bind)}:{ports.get('sip', sip.port)}"
        parts.append(where + (f" (registering with {sip.registrar})" if sip.registrar else ""))
    else:
        parts.append("SIP off")
    parts.append(f"SMS on {sms.port}" if sms.enabled else "SMS off")
    return ", ".join(parts) + " — Ctrl-C to stop"


def announce(line: str, stream: TextIO | None = None) -> bool:
    """Print `line` on `stream` (stderr) when it is a terminal; True when printed."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()):
        return False
    print(line, file=stream, flush=True)
    return True


def _host(host: str) -> str:
    if host in _ANY_ADDRESS:
        return "127.0.0.1"  # listening on every address: this machine's own is one of them
    return f"[{host}]" if ":" in host else host


def _url(host: str, port: int) -> str:
    url = f"http://{_host(host)}:{port}/"
    return url + (" (all addresses)" if host in _ANY_ADDRESS else "")


COMMANDS = [serve]
