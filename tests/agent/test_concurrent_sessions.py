"""Sessions handled at the same time by one agent never see each other's work: each turn's log holds
only its own tool calls, and the per-session lock map stays bounded."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from receptionist.agent.session_locks import SessionLocks
from receptionist.events import IncomingMessage
from receptionist.ownership import TEXT, VOICE, Owner
from tests.agent.harness import Conversation, ScriptedModel, prefill

DOG_OWNER, CAT_OWNER = "dog-owner", "cat-owner"
WAIT_S = 5.0  # only if the turns do not interleave as the test expects (then it fails, it does not hang)


class InterleavingBackend:
    """Makes two turns interleave in one order, by what they ask (no sleeping, no timing):
    the dog owner's turn makes its first call (the booking, refused: full), then the cat owner's whole
    turn runs, then the dog owner's second call (the alternatives) is answered."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.dog_second_call = asyncio.Event()
        self.cat_turn_done = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        async def call(tenant_id: str, request: Any = None, *args: Any, **kwargs: Any) -> Any:
            if name == "check_availability" and request.resource_type == "dog":
                self.dog_second_call.set()
                await asyncio.wait_for(self.cat_turn_done.wait(), WAIT_S)
            elif name == "check_availability":
                await asyncio.wait_for(self.dog_second_call.wait(), WAIT_S)
            return await method(tenant_id, request, *args, **kwargs)

        return call


@pytest.fixture
def conv(pet_config, tmp_path, clock):
    conv = Conversation(pet_config, tmp_path / "cal.db", clock, tool_timeout_s=3 * WAIT_S)
    yield conv
    conv.close()


def logged_tools(conv: Conversation, session_id: str) -> list[list[str]]:
    rows = conv.brain.worker.run_sync(lambda db: db.execute(
        "SELECT meta_json FROM messages WHERE conversation_id = ? AND role = 'bot' ORDER BY id",
        (session_id,)).fetchall())
    return [[call["name"] for call in json.loads(meta)["tools"]] for (meta,) in rows]


def message(conv: Conversation, session: str, text: str) -> IncomingMessage:
    return IncomingMessage(text=text, channel="web", session_id=session, tenant_id=conv.tenant.id,
                           received_at=conv.clock.now())


def test_two_sessions_at_once_each_log_only_their_own_tool_calls(conv, pet_config, clock):
    agent = conv.brain.agent
    conv.session_id = DOG_OWNER
    asyncio.run(conv.say("I want to book a room for my dog Max from December 10 to 15"))
    asyncio.run(conv.say("+372 5123 4567"))  # the agent asks to confirm
    prefill(pet_config, conv.db_path, clock, [{"room_type": "dog", "start": "2026-12-10", "end": "2026-12-15",
                                              "count": 6}])  # meanwhile every dog room is taken
    backend = agent.tools.backend = InterleavingBackend(agent.tools.backend)

    async def together() -> tuple[Any, Any]:
        dog = asyncio.create_task(agent.handle(message(conv, DOG_OWNER, "yes")))
        cat = asyncio.create_task(agent.handle(message(conv, CAT_OWNER, "Is there a room for my cat Miisu "
                                                                        "from December 20 to 22?")))
        cat_reply = await cat
        backend.cat_turn_done.set()
        return await dog, cat_reply

    dog_reply, cat_reply = asyncio.run(together())
    assert "no dog room free" in dog_reply.text and "cat room free" in cat_reply.text
    assert logged_tools(conv, DOG_OWNER)[-1] == ["create_booking", "check_availability"]
    assert logged_tools(conv, CAT_OWNER) == [["check_availability"]]


@pytest.mark.parametrize("channel, priority", [("voice", VOICE), ("web", TEXT), ("sms", TEXT)])
def test_the_model_is_asked_on_behalf_of_the_session_turn(pet_config, tmp_path, clock, channel, priority):
    model = ScriptedModel("question|none|", "question|none|")
    conv = Conversation(pet_config, tmp_path / "cal.db", clock, model=model, channel=channel)
    try:
        for _ in range(2):  # the rules cannot place this question: the model is asked each turn
            asyncio.run(conv.say("Is parking available near you?"))
    finally:
        conv.close()
    assert model.owners == [Owner(conv.session_id, 1, priority), Owner(conv.session_id, 2, priority)]


def test_a_call_outside_any_recording_records_nothing(conv):
    tools = conv.brain.agent.tools
    asyncio.run(tools.find(conv.tenant.id, code="BK-000000"))
    assert tools.calls == [] and tools.take_calls() == []


async def test_session_locks_keep_at_most_max_idle_locks():
    locks = SessionLocks(max_idle=3)
    for n in range(10):
        async with locks[f"session-{n}"]:
            pass
    assert len(locks) == 3
    assert [f"session-{n}" in locks for n in (6, 7, 8, 9)] == [False, True, True, True]  # least recently used go


async def test_a_held_or_awaited_lock_is_never_dropped():
    locks = SessionLocks(max_idle=0)
    order: list[str] = []
    release = asyncio.Event()

    async def turn(name: str) -> None:
        async with locks["busy-session"]:
            order.append(f"{name} in")
            await release.wait()
            order.append(f"{name} out")

    first = asyncio.create_task(turn("first"))
    second = asyncio.create_task(turn("second"))
    while not order:
        await asyncio.sleep(0)
    for n in range(5):  # other sessions come and go; the busy session's lock stays
        async with locks[f"other-{n}"]:
            pass
    assert "busy-session" in locks and len(locks) == 1
    release.set()
    await asyncio.gather(first, second)
    assert order == ["first in", "first out", "second in", "second out"]  # one turn at a time
    assert len(locks) == 0
