"""`receptionist chat`: talk to the real agent in the terminal, or script it with --jsonl."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from typing import Any

import click

from receptionist import lang as langdata
from receptionist.agent.wire import reply_json
from receptionist.cli.context import handle_errors, tenant_option
from receptionist.events import IncomingMessage


async def _run(config_path: str, clock: Any, tenant_id: str | None, session: str, jsonl: bool,
               use_llm: bool, language: str | None, caller_id: str | None) -> None:
    from receptionist.app import build_brain
    from receptionist.clock import SystemClock
    from receptionist.config.app import load_config

    config = load_config(config_path)
    tenant = config.tenant(tenant_id)
    clock = clock or SystemClock()
    brain = build_brain(config, clock=clock, model="load" if use_llm else None)
    try:
        if not jsonl:
            click.echo(f"{tenant.name} — chat (session {session}). Ctrl-D to quit.")
        for line in sys.stdin:
            text = line.strip()
            if not text:
                continue
            if jsonl and text.startswith("{"):
                try:
                    text = str(json.loads(text).get("text", ""))
                except ValueError:
                    click.echo(json.dumps({"error": "invalid-json"}))
                    continue
            msg = IncomingMessage(text=text, channel="cli", session_id=session, tenant_id=tenant.id,
                                  received_at=clock.now(), language_hint=language, caller_id=caller_id)
            reply = await brain.agent.handle(msg)
            if jsonl:
                click.echo(json.dumps(reply_json(reply), ensure_ascii=False), nl=True)
                sys.stdout.flush()
            else:
                click.echo(f"bot> {reply.text}")
                if reply.options:
                    click.echo("     [" + "] [".join(o.label for o in reply.options) + "]")
            if reply.end_of_conversation and not jsonl:
                break
    finally:
        brain.close()


@click.command()
@tenant_option
@click.option("--session", default=None, help="Continue an existing session (default: a new one).")
@click.option("--jsonl", is_flag=True, help="One caller message per stdin line; one JSON reply per line.")
@click.option("--no-llm", is_flag=True, help="Run without the language model (rules and templates only).")
@click.option("--lang", "language", type=click.Choice(langdata.folders(builtin=True)), default=None,
              help="A language hint, as speech recognition would give.")
@click.option("--caller-id", default=None, help="The caller's phone number, as SMS/SIP would know it.")
@click.pass_context
@handle_errors
def chat(ctx: click.Context, tenant_id: str | None, session: str | None, jsonl: bool, no_llm: bool,
         language: str | None, caller_id: str | None) -> None:
    """Talk to the real agent (real calendar, real language model).

    \b
    Examples:
      receptionist chat
      echo "I'd like a room for my dog Max from December 10 to 15" | receptionist chat --jsonl
      receptionist chat --session 6f1c… --tenant clinic
    """
    obj = ctx.find_root().obj or {}
    asyncio.run(_run(obj.get("config_path", "config.toml"), obj.get("clock"), tenant_id,
                     session or uuid.uuid4().hex, jsonl, not no_llm, language, caller_id))


COMMANDS = [chat]
