"""A caller (baresip) who hangs up at the worst moments of a booking call, with the real agent and
calendar behind the real line (the speech models are replaced by `TextSession`): during the greeting,
during the booking tool call, and while the confirmation is read. Each time the call is over on both
sides, no call task is left, the conversation's end is saved, and the calendar holds either the whole
booking or none of it — never a 'held' row."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from siphelpers import english_config, running_line, sip_config, until
from receptionist.agent.tools import LocalBackend
from receptionist.app import build_brain, open_worker
from receptionist.channels.sip.events import CallOffered
from receptionist.clock import SystemClock
from softphone.baresip import Baresip
from softphone.scripted import GatedCalendar, TextSession, text_sessions

pytestmark = pytest.mark.usefixtures("need_baresip")

CALLER = "+37251234567"
BOOK = "Hi, I would like to book a room for my dog Max from December 10th to December 12th."
NUMBER = "My number is 5123 4567."
YES = "Yes, please."


@pytest.fixture
def calendar(tmp_path: Path):
    """(config, brain, gate): the real agent without its LLM, booking through a gated local calendar."""
    config = english_config(tmp_path)
    clock = SystemClock()
    worker = open_worker(config, clock)
    gate = GatedCalendar(LocalBackend(worker, config, clock))
    brain = build_brain(config, clock=clock, model=None, backend=gate)
    yield config, brain, gate
    brain.close()
    worker.close()


def stored(config) -> tuple[list[tuple], list[tuple]]:
    db = sqlite3.connect(config.app.database)
    try:
        bookings = db.execute("SELECT status, code FROM bookings").fetchall()
        conversations = db.execute("SELECT id, ended_at FROM conversations").fetchall()
    finally:
        db.close()
    return bookings, conversations


async def hang_up_when(tmp_path: Path, config, brain, ready, lines: list[str] = ()):
    """Call, say `lines` one by one (each after the bot's previous reply), and hang up once `ready(session,
    audio)` holds. Returns the line (stopped) and the session."""
    TextSession.instances.clear()
    events: list = []
    async with running_line(sip_config(), brain.agent, brain.local, config.default_tenant, text_sessions(),
                            events) as line:
        async with Baresip(tmp_path, user=CALLER) as phone:
            await phone.dial(f"sip:reception@127.0.0.1:{line.port}")
            await phone.wait_event("CALL_ESTABLISHED")
            assert await until(lambda: bool(TextSession.instances))
            session = TextSession.instances[-1]
            audio = next(e.audio for e in events if isinstance(e, CallOffered))
            for i, text in enumerate(lines):
                assert await until(lambda: len(session.replies) > i, 30), session.replies
                session.lines.put_nowait(text)
            assert await until(lambda: ready(session, audio), 30), [r.text for r in session.replies]
            await phone.hangup()
            await phone.wait_event("CALL_CLOSED")
        assert await until(lambda: line.active_calls == 0, 5)
        assert await until(lambda: not [t for t in asyncio.all_tasks() if t.get_name().startswith("sip-call-")], 5)
    assert session.cancelled  # the conversation stopped with the call
    return line, session


async def test_hanging_up_during_the_greeting(tmp_path: Path, calendar) -> None:
    config, brain, gate = calendar
    await hang_up_when(tmp_path, config, brain,
                       lambda s, audio: bool(s.replies) and 0 < audio.sink.pending_samples())
    bookings, conversations = stored(config)
    assert bookings == []
    assert len(conversations) == 1 and conversations[0][1] is not None  # its end is saved


async def test_hanging_up_during_the_booking_tool_call(tmp_path: Path, calendar) -> None:
    config, brain, gate = calendar
    try:
        await hang_up_when(tmp_path, config, brain, lambda s, audio: gate.entered.is_set(), [BOOK, NUMBER, YES])
    finally:
        gate.open()
    assert gate.cancelled  # the tool call was abandoned before it wrote anything
    bookings, conversations = stored(config)
    assert bookings == []  # no half-made booking: nothing held, nothing confirmed
    assert len(conversations) == 1 and conversations[0][1] is not None


async def test_hanging_up_while_the_confirmation_is_read(tmp_path: Path, calendar) -> None:
    config, brain, gate = calendar
    gate.open()

    def reading_the_code(session: TextSession, audio) -> bool:
        last = session.replies[-1] if session.replies else None
        return last is not None and last.booking is not None and audio.sink.pending_samples() > 16000

    line, session = await hang_up_when(tmp_path, config, brain, reading_the_code, [BOOK, NUMBER, YES])
    code = session.replies[-1].booking.code
    bookings, conversations = stored(config)
    assert bookings == [("confirmed", code)]  # the whole booking, once
    assert len(conversations) == 1 and conversations[0][1] is not None
