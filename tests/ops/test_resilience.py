"""The appliance keeps answering: a busy database, a crashing session, a killed process, two tenants."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.errors import BookingError
from receptionist.events import IncomingMessage
from tests.agent.harness import Conversation
from tests.conftest import NOW, PET_CONFIG, REPO, copy_config

BOOK = "Hi, I want to book a room for my dog Max from December 10 to 15"


async def test_a_turn_waits_out_a_write_lock_held_by_another_connection(config, clock):
    conv = Conversation(config, config.app.database, clock)
    await conv.say("Hello", "en")  # the database exists and is migrated
    locker = sqlite3.connect(config.app.database, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")  # e.g. a staff command or a backup restore holding the write lock
    released = threading.Timer(1.0, locker.execute, ("COMMIT",))
    released.start()
    t0 = time.monotonic()
    try:
        reply = await conv.say(BOOK)
    finally:
        released.join()
        locker.close()
        conv.close()
    assert time.monotonic() - t0 >= 0.9  # it waited for the lock (SQLite's busy timeout retries) ...
    assert "dog room" in reply.text  # ... and the turn completed normally


class _CrashFor:
    """A booking backend that has a bug for one customer name (any exception, not a typed error)."""

    def __init__(self, inner, name: str) -> None:
        self.inner, self.name = inner, name

    def __getattr__(self, attr):
        return getattr(self.inner, attr)

    async def create_booking(self, tenant_id, request, customer, **kw):
        if customer.name == self.name or self.name in str(kw.get("details")):
            raise RuntimeError("a bug")
        return await self.inner.create_booking(tenant_id, request, customer, **kw)


async def _book(conv: Conversation, pet: str, phone: str):
    await conv.say(f"Hi, I want to book a room for my dog {pet} from December 10 to 15", "en")
    reply = await conv.say(phone)
    return await conv.say(reply.options[0].value)


async def test_an_exception_in_one_session_is_answered_politely_and_others_carry_on(config, clock, caplog):
    crashing = Conversation(config, config.app.database, clock)
    crashing.brain.agent.tools.backend = _CrashFor(crashing.brain.local, "Bella")
    healthy = Conversation(config, config.app.database, clock)
    try:
        bad, good = await asyncio.gather(_book(crashing, "Bella", "+372 5123 4567"),
                                         _book(healthy, "Max", "+372 5555 0101"))
        assert bad.booking is None and bad.text  # never silence: an apology and the next question
        assert good.booking is not None and good.booking.status == "confirmed"
        again = await crashing.say("What are your opening hours?", "en")  # the crashed session still answers
        assert again.text
    finally:
        crashing.close()
        healthy.close()
    assert "agent turn failed" in caplog.text  # the bug was hit, logged with its traceback ...
    assert "5123" not in caplog.text and "Bella" not in caplog.text  # ... which carries no caller content


def _chat_config(tmp_path: Path) -> Path:
    path = copy_config(PET_CONFIG, tmp_path)
    text = path.read_text()
    text = text.replace('knowledge_dir = "knowledge/', f'knowledge_dir = "{REPO}/knowledge/')
    path.write_text(text)
    return path


class _Chat:
    """`receptionist chat --jsonl` in a subprocess."""

    def __init__(self, config: Path, session: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "receptionist.cli.main", "--config", str(config), "chat", "--jsonl", "--no-llm",
             "--lang", "en", "--session", session],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)})

    def say(self, text: str) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read() if self.proc.stderr else "no output"
        return json.loads(line)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=20)


@pytest.mark.slow
def test_a_killed_process_loses_nothing_confirmed_and_the_session_resumes(tmp_path):
    config = _chat_config(tmp_path)
    first = _Chat(config, "done-session-0001")
    try:
        first.say(BOOK)
        confirm = first.say("+372 5555 0101")
        done = first.say(confirm["options"][0]["value"])
        assert done["booking"]["status"] == "confirmed"
        confirmed = done["booking"]["code"]
    finally:
        first.close()
    chat = _Chat(config, "killed-session-01")
    chat.say("Hi, I want to book a room for my cat Tom from December 10 to 15")
    asked = chat.say("+372 5123 4567")
    assert "confirm" in asked["reply"].lower()
    chat.kill()  # mid-booking, between the summary and the caller's yes
    assert chat.proc.returncode == -signal.SIGKILL
    resumed = _Chat(config, "killed-session-01")
    try:
        done = resumed.say("yes")
    finally:
        resumed.close()
    assert done["booking"] and done["booking"]["status"] == "confirmed", done
    cal = CalendarService(load_config(config).app.database, load_config(config), FakeClock(NOW))
    codes = {b.code: b for b in cal.list_bookings("pawsome")}
    cal.close()
    assert confirmed in codes and done["booking"]["code"] in codes
    assert codes[done["booking"]["code"]].request.resource_type == "cat"


async def test_tenants_are_isolated_in_the_agent_and_the_cli(two_cli, two_config, tmp_path, clock):
    made = two_cli.json("bookings", "create", "--room-type", "dog", "--from", "2026-12-10", "--to", "2026-12-12",
                        "--pet-name", "Max", "--pet-type", "dog", "--name", "Mari Tamm", "--phone", "+372 5123 4567")
    code = made["code"]
    assert two_cli.json("bookings", "list", "--tenant", "kesklinna") == []
    assert "not-found" in two_cli.fails("bookings", "show", code, "--tenant", "kesklinna").stderr
    assert two_cli.json("privacy", "find", "--phone", "+372 5123 4567", "--tenant", "kesklinna")["counts"]["bookings"] == 0
    assert two_cli.json("privacy", "find", "--phone", "+372 5123 4567", "--all-tenants")["counts"]["bookings"] == 1
    erased = two_cli.json("privacy", "erase", "--phone", "+372 5123 4567", "--tenant", "kesklinna", "--yes")
    assert erased["erased"] is False and len(two_cli.json("bookings", "list")) == 1

    database = tmp_path / "agent.db"
    pet = Conversation(two_config, database, clock)
    await pet.say("Hello", "en")
    try:
        msg = IncomingMessage(text="cancel booking " + code, channel="web", session_id=pet.session_id,
                              tenant_id="kesklinna", received_at=clock.now(), language_hint="en")
        with pytest.raises(BookingError) as err:
            await pet.brain.agent.handle(msg)  # the clinic cannot continue the pet hotel's session
        assert err.value.code == "unknown-session"
    finally:
        pet.close()
