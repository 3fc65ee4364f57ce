"""The holding phrase ("One moment, I'm checking.") when a turn is still running after a while."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from receptionist.clock import Clock
from receptionist.events import HoldingPhrase

OnHolding = Callable[[HoldingPhrase], Awaitable[None]] | None


class HoldingTimer:
    """Emits the holding phrase if the turn is still running after `after_s` seconds."""

    def __init__(self, callback: OnHolding, session_id: str, lang: str, text: str, after_s: float, clock: Clock) -> None:
        self._callback = callback
        self._event = HoldingPhrase(session_id, lang, text)
        self._after = after_s
        self._clock = clock
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> "HoldingTimer":
        if self._callback is not None:
            self._task = asyncio.create_task(self._fire())
        return self

    async def _fire(self) -> None:
        await asyncio.sleep(self._after)
        assert self._callback is not None
        await self._callback(self._event)

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
