"""The chat API with the real packaged language model (slow tier)."""

from __future__ import annotations

import asyncio

import pytest

from receptionist.app import load_llm
from tests.http.shim import Shim, shim_config

pytestmark = pytest.mark.models


@pytest.fixture
async def llm_shim(tmp_path, clock):
    config = shim_config(tmp_path)
    if not config.llm.model_path.exists():
        pytest.skip("the packaged GGUF model is not installed (scripts/setup)")
    shim = Shim(config, clock, model=load_llm(config))
    await shim.start_client()
    yield shim
    await shim.close()


async def test_chat_with_the_real_llm_books(llm_shim):
    client = llm_shim.client

    async def say(message: str, session: str | None = None) -> dict:
        resp = await client.post("/api/v1/chat", json={"message": message, "session_id": session, "language": "en"})
        assert resp.status == 200, await resp.text()
        return await resp.json()

    # The rules cannot place this one, so the model is asked for the intent.
    vague = await say("Is parking available near you?")
    assert vague["reply"] and vague["language"] == "en"
    first = await say("Hi, I want to book a room for my dog Max from December 10 to 15")
    session = first["session_id"]
    reply = await say("+372 5123 4567", session)
    done = await say(reply["options"][0]["value"], session)
    assert done["booking"]["status"] == "confirmed"
    found = await llm_shim.calendar(lambda cal: cal.find("pawsome", code=done["booking"]["code"]))
    assert found and found[0].request.nights == 5
    meta = await llm_shim.brain.worker.run(lambda db: db.execute(
        "SELECT COUNT(*) FROM messages WHERE role = 'bot' AND json_extract(meta_json, '$.llm') = 1").fetchone()[0])
    assert meta >= 1, "the language model was consulted at least once"


# Each needs the model (the rules cannot place it) and has a clear answer.
CONCURRENT_ASKS = (
    "Is parking available near you?",
    "Rex wants a holiday home for a few days",
    "Do you guys have space for my furry friend next month?",
    "Is anyone there who can help me with something?",
)


async def test_four_chat_sessions_at_once_each_get_a_real_answer(llm_shim):
    """One shared model, four sessions asking at the same moment: every request is answered by the
    model (queued, none superseded), so nobody gets the "didn't quite understand" fallback."""
    client = llm_shim.client

    async def ask(message: str) -> dict:
        resp = await client.post("/api/v1/chat", json={"message": message, "language": "en"})
        assert resp.status == 200, await resp.text()
        return await resp.json()

    replies = await asyncio.gather(*(ask(message) for message in CONCURRENT_ASKS))
    for message, reply in zip(CONCURRENT_ASKS, replies):
        assert reply["reply"] and "didn't quite understand" not in reply["reply"], (message, reply["reply"])
    answered = await llm_shim.brain.worker.run(lambda db: db.execute(
        "SELECT conversation_id, json_extract(meta_json, '$.llm') FROM messages WHERE role = 'bot' "
        "AND json_extract(meta_json, '$.ms') IS NOT NULL").fetchall())
    assert len({session for session, _ in answered}) == len(CONCURRENT_ASKS)  # one turn in each session
    assert [used for _, used in answered] == [1] * len(CONCURRENT_ASKS), "the model answered every session"
