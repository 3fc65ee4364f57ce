"""A toy channel, written the way a developer adds one: a line-based text chat over a byte stream.

Each connection is one conversation: the receptionist greets, then every line the client sends is one
message to the brain, answered with one line (the reply's sentences joined). It knows nothing of the
agent's internals: it hands `IncomingMessage`s to `agent.handle` and writes `AgentReply.text` back, as
the SMS and web chat channels do. `start` is what the composition root's channel table calls.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from receptionist.app import Brain, ChannelHost
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.config.tenant import TenantConfig
from receptionist.events import IncomingMessage

KIND = "line"  # the channel kind stored with each conversation turn


class LineChat:
    """Serves conversations over (reader, writer) stream pairs: UTF-8 lines in, one reply line out."""

    def __init__(self, agent: Any, tenant: TenantConfig, clock: Clock) -> None:
        self.agent, self.tenant, self.clock = agent, tenant, clock

    async def serve(self, reader: asyncio.StreamReader, writer: Any) -> None:
        """One conversation, until the client closes its side; then the session is ended."""
        session_id = f"line-{uuid.uuid4().hex}"
        greeting = await self.agent.greeting(session_id, self.tenant.id, KIND)
        await _say(writer, greeting.text)
        try:
            while line := await reader.readline():
                text = line.decode("utf-8", "replace").strip()
                if not text:
                    continue
                reply = await self.agent.handle(IncomingMessage(
                    text=text, channel=KIND, session_id=session_id, tenant_id=self.tenant.id,  # type: ignore[arg-type]
                    received_at=self.clock.now()))
                await _say(writer, reply.text)
        finally:
            await self.agent.end_session(session_id)
            writer.close()


async def _say(writer: Any, text: str) -> None:
    writer.write(text.replace("\n", " ").encode("utf-8") + b"\n")
    await writer.drain()


async def start(config: AppConfig, brain: Brain, clock: Clock, host: ChannelHost) -> None:
    """Listen on loopback, any free port (named `line` in `host.ports`), for the first tenant."""
    chat = LineChat(brain.agent, config.default_tenant, clock)
    server = await asyncio.start_server(chat.serve, "127.0.0.1", 0)

    async def stop() -> None:
        server.close()
        await server.wait_closed()

    host.stoppers.append(("line chat", stop))
    host.ports["line"] = server.sockets[0].getsockname()[1]
