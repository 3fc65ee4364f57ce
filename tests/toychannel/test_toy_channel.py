"""Adding a channel, measured by doing it: the toy line chat (linechat.py, next to this file) is one
module plus one entry in `receptionist.app.CHANNELS`; `serve` starts it with the other enabled channels
and the real brain (rules, no language model) books a room through it.

A real channel touches, besides its module under receptionist/channels/: its line in app.CHANNELS
(receptionist/app.py), its config section (config/channels.py: a dataclass and a parser; its name in
config/app.py CHANNEL_SECTIONS), and — for type checkers only — its kind in events.Channel
(plus agent/verify.py TRUSTED_CHANNELS when its caller id is the caller's own number).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from receptionist import app
from receptionist.config import load_config
from receptionist.service import start_service
from tests.conftest import PET_CONFIG
from tests.toychannel import linechat


@pytest.fixture
def config(tmp_path):
    """The bundled pet hotel on a scratch calendar, with the shipped channels off."""
    config = load_config(PET_CONFIG)
    channels = config.channels
    return replace(config, app=replace(config.app, database=tmp_path / "calendar.db"), channels=replace(channels, http=replace(channels.http, enabled=False),
                                            sms=replace(channels.sms, enabled=False),
                                            sip=replace(channels.sip, enabled=False)))


@pytest.fixture
def toy_registered(monkeypatch):
    """The one line a developer adds to app.CHANNELS (here for this test only)."""
    monkeypatch.setitem(app.CHANNELS, "line", app.Channel(lambda config: True, linechat.start))


async def _ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, text: str) -> str:
    writer.write(text.encode("utf-8") + b"\n")
    await writer.drain()
    return (await asyncio.wait_for(reader.readline(), 30)).decode("utf-8").strip()


async def test_a_registered_channel_is_started_by_serve_and_books_through_the_real_brain(
        config, toy_registered, clock):
    running = await start_service(config, clock=clock, model=None)
    try:
        assert running.ready and set(running.ports) == {"line"}  # the shipped channels are off
        reader, writer = await asyncio.open_connection("127.0.0.1", running.ports["line"])
        greeting = (await asyncio.wait_for(reader.readline(), 30)).decode("utf-8")
        assert config.default_tenant.name in greeting
        await _ask(reader, writer, "I want to book a room for my dog Rex from December 10 to 15")
        await _ask(reader, writer, "+372 5123 4567")
        confirmed = await _ask(reader, writer, "Yes")
        writer.close()
        await writer.wait_closed()
        bookings = await running.brain.worker.run(
            lambda db: db.execute("SELECT channel, phone, start_at FROM bookings").fetchall())
    finally:
        await running.stop()
    assert [(b[0], b[1]) for b in bookings] == [("line", "+37251234567")], confirmed
    assert bookings[0][2].startswith("2026-12-10")


async def test_the_channel_serves_any_stream_pair_in_memory(config, clock):
    """The channel's conversation loop needs no socket: an in-memory reader and a list-backed writer."""
    from receptionist.app import build_brain

    brain = build_brain(config, clock=clock, model=None)
    reader, writer = asyncio.StreamReader(), MemoryWriter()
    reader.feed_data("What are your opening hours?\n".encode("utf-8"))
    reader.feed_eof()
    try:
        await linechat.LineChat(brain.agent, config.default_tenant, clock).serve(reader, writer)
    finally:
        brain.close()
    greeting, answer = writer.lines()
    assert greeting and answer and answer != greeting
    assert writer.closed


class MemoryWriter:
    """The writer half of a stream, kept in memory."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        self.data += data

    async def drain(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def lines(self) -> list[str]:
        return self.data.decode("utf-8").splitlines()
