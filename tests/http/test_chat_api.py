"""The public chat API against the real agent (rules only) and a real SQLite calendar."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date

import pytest

from receptionist.booking.models import StayRequest
from receptionist.errors import caller_message
from tests.http.shim import Shim, shim_config


async def say(client, message: str, session: str | None = None, **extra) -> dict:
    body = {"message": message, **extra}
    if session:
        body["session_id"] = session
    resp = await client.post("/api/v1/chat", json=body)
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_chat_booking_end_to_end_lands_in_the_calendar(shim):
    c = shim.client
    first = await say(c, "Hi, I want to book a room for my dog Max from December 10 to 15", language="en")
    session = first["session_id"]
    assert len(session) >= 16 and first["language"] == "en"
    assert "dog room" in first["reply"] and "€175" in first["reply"]
    reply = await say(c, "+372 5123 4567", session)
    assert reply["session_id"] == session
    assert [o["value"] for o in reply["options"]][:1] and "confirm" in reply["reply"].lower()
    yes = reply["options"][0]["value"]  # the quick reply the page would show as a button
    done = await say(c, yes, session)
    assert done["booking"] is not None and done["booking"]["status"] == "confirmed"
    code = done["booking"]["code"]
    assert code in done["reply"]

    found = await shim.calendar(lambda cal: cal.find("pawsome", code=code))
    assert len(found) == 1
    booking = found[0]
    assert booking.request == StayRequest("dog", date(2026, 12, 10), date(2026, 12, 15))
    assert booking.phone == "+37251234567" and booking.channel == "web"


async def test_first_call_without_a_message_greets_with_a_new_session(shim):
    resp = await shim.client.post("/api/v1/chat", json={})
    body = await resp.json()
    assert resp.status == 200 and body["intent"] == "greeting" and body["session_id"]
    again = await shim.client.post("/api/v1/chat", json={"session_id": body["session_id"]})
    assert again.status == 422 and (await again.json())["error"]["code"] == "invalid-request"


async def test_sessions_are_separate_and_continue(shim):
    a = await say(shim.client, "I want to book a room for my cat", language="en")
    b = await say(shim.client, "Hello", language="en")
    assert a["session_id"] != b["session_id"]
    follow = await say(shim.client, "from December 10 to 12", a["session_id"])
    assert "cat room" in follow["reply"]


@pytest.mark.parametrize("body, status, code", [
    ({"message": "hi", "session_id": "short"}, 422, "invalid-session"),
    ({"message": "hi", "session_id": "../../etc/passwd-xxxxxxxx"}, 422, "invalid-session"),
    ({"message": "x" * 1001}, 422, "message-too-long"),
    ({"message": 12}, 422, "invalid-request"),
    ({"message": "hi", "tenant": "nope"}, 404, "unknown-tenant"),
    ({"message": "hi", "language": "de"}, 422, "invalid-language"),
])
async def test_chat_rejects_bad_input_with_clean_errors(shim, body, status, code):
    resp = await shim.client.post("/api/v1/chat", json=body)
    assert resp.status == status
    error = (await resp.json())["error"]
    assert error == {"code": code, "message": error["message"], "text": caller_message(code, "en")}


async def test_the_visitor_is_told_what_went_wrong_in_their_language_from_the_error_table(shim):
    resp = await shim.client.post("/api/v1/chat", json={"message": "x" * 1001, "language": "et"})
    assert (await resp.json())["error"]["text"] == caller_message("message-too-long", "et")
    ws = await shim.client.ws_connect("/api/v1/chat/ws?language=ru")
    await ws.send_str("not json")
    frame = await ws.receive_json(timeout=10)
    assert frame["type"] == "error" and frame["error"]["text"] == caller_message("invalid-json", "ru")
    await ws.close()


async def test_websocket_chat_sends_typing_then_the_reply(shim):
    ws = await shim.client.ws_connect("/api/v1/chat/ws?language=en")
    await ws.send_json({"type": "start"})
    frames = [await ws.receive_json(timeout=10) for _ in range(3)]
    assert [f["type"] for f in frames] == ["typing", "reply", "typing"]
    assert frames[0]["on"] is True and frames[2]["on"] is False and frames[1]["intent"] == "greeting"
    await ws.send_json({"type": "message", "text": "I need a room for my dog from December 10 to 15"})
    frames = [await ws.receive_json(timeout=10) for _ in range(3)]
    reply = next(f for f in frames if f["type"] == "reply")
    assert "dog room" in reply["reply"] and reply["session_id"] == frames[1]["session_id"]
    await ws.send_str("not json")
    assert (await ws.receive_json(timeout=10))["error"]["code"] == "invalid-json"
    await ws.close()


async def test_websocket_from_a_foreign_origin_is_refused(shim):
    resp = await shim.client.get("/api/v1/chat/ws", headers={"Origin": "https://evil.example"})
    assert resp.status == 403 and (await resp.json())["error"]["code"] == "origin-not-allowed"


async def test_web_sessions_cannot_reach_other_channels_sessions(shim):
    """A web caller picks any session id, but it lives in the web namespace: never an SMS conversation."""
    first = await say(shim.client, "Hello", "sms-aaaaaaaaaaaaaaaaaaaa", language="en")
    assert first["session_id"] == "sms-aaaaaaaaaaaaaaaaaaaa"
    owner = await shim.brain.worker.run(lambda db: db.execute("SELECT id, channel FROM conversations").fetchall())
    assert owner == [("web-sms-aaaaaaaaaaaaaaaaaaaa", "web")]


class SlowModel:
    """A language model that takes its time (for the holding phrase), then says "a question"."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s

    async def complete(self, system: str, user: str, *, grammar: str, timeout_s: float,
                       max_tokens: int | None = None, owner: object = None) -> str:
        await asyncio.sleep(self.delay_s)
        return "question|none|"

    def close(self) -> None:
        pass


async def test_websocket_sends_a_holding_phrase_while_the_agent_works(tmp_path, clock):
    config = shim_config(tmp_path)
    config = replace(config, agent=replace(config.agent, holding_phrase_after_s=0.1))
    shim = Shim(config, clock, model=SlowModel(0.5))
    client = await shim.start_client()
    try:
        ws = await client.ws_connect("/api/v1/chat/ws?language=en")
        await ws.send_json({"type": "message", "text": "Is parking available near you?"})
        frames = [await ws.receive_json(timeout=10) for _ in range(4)]
        assert [f["type"] for f in frames] == ["typing", "holding", "reply", "typing"]
        assert frames[1]["text"] == "One moment, I'm checking." and frames[1]["language"] == "en"
        await ws.close()
    finally:
        await shim.close()
