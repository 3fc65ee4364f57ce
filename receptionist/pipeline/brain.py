"""What the voice pipeline needs from the agent (implemented in receptionist/agent/)."""

from __future__ import annotations

from typing import Awaitable, Callable, Protocol

from receptionist.events import AgentReply, HoldingPhrase, IncomingMessage

OnHolding = Callable[[HoldingPhrase], Awaitable[None]]


class Brain(Protocol):
    async def handle(self, msg: IncomingMessage, *, on_holding: OnHolding | None = None) -> AgentReply: ...

    async def note_heard(self, session_id: str, heard_text: str) -> None:
        """After a barge-in: the part of the last reply the caller actually heard."""

    async def greeting(self, session_id: str, tenant_id: str, channel: str) -> AgentReply: ...
