"""Stand-ins for the speech path that keep the real agent, calendar and phone line: `TextSession`
hands the agent the caller's words as text (what Whisper would have heard) and plays each reply as
a tone 60 ms per character long, so a test can hang up at a chosen moment of a real conversation.
`GatedCalendar` is the booking backend with a gate in front of `create_booking` (a tool call that
takes as long as the test wants)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.events import AgentReply, IncomingMessage

MS_PER_CHAR = 60


class TextSession:
    instances: list["TextSession"] = []

    def __init__(self, call: Any, brain: Any, sink: Any) -> None:
        self.call, self.brain, self.sink = call, brain, sink
        self.lines: asyncio.Queue[str] = asyncio.Queue()
        self.replies: list[AgentReply] = []
        self.cancelled = False
        TextSession.instances.append(self)

    def _play(self, reply: AgentReply) -> None:
        self.replies.append(reply)
        rate = self.sink.sample_rate
        t = np.arange(int(len(reply.text) * MS_PER_CHAR / 1000 * rate)) / rate
        self.sink.write(AudioChunk((0.2 * np.sin(2 * np.pi * 500 * t)).astype(np.float32), rate))

    async def run(self, source: Any) -> None:
        drain = asyncio.create_task(self._drain(source))
        try:
            self._play(await self.brain.greeting(self.call.session_id, self.call.tenant_id, "voice"))
            while True:
                text = await self.lines.get()
                msg = IncomingMessage(text, "voice", self.call.session_id, self.call.tenant_id,
                                      datetime.now(timezone.utc), caller_id=self.call.caller_id,
                                      client=self.call.caller_id)
                self._play(await self.brain.handle(msg))
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        finally:
            drain.cancel()
            await asyncio.gather(drain, return_exceptions=True)

    @staticmethod
    async def _drain(source: Any) -> None:
        async for _ in source:
            pass


def text_sessions():
    def make(call, brain, sink, on_event):
        return TextSession(call, brain, sink)
    return make


class GatedCalendar:
    """A booking backend that waits at `create_booking` until `open()` (and says when a call arrived)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.entered = asyncio.Event()
        self._gate = asyncio.Event()
        self.cancelled = False

    def open(self) -> None:
        self._gate.set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create_booking(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        try:
            await self._gate.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        return await self._inner.create_booking(*args, **kwargs)
