"""The chat API with the real packaged language model (slow tier)."""

from __future__ import annotations

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
