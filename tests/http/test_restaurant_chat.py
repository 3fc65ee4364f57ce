"""The restaurant profile over the public chat API: "table for four tomorrow at seven" in each
language, through to a confirmed table in the calendar (real agent, rules only, real SQLite)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import REPO
from tests.http.shim import Shim, shim_config

SCRIPTS = {
    "en": ["Hi, a table for four tomorrow at seven please", "Mari Tamm", "one vegetarian", "5123 4567"],
    "et": ["Tere, sooviksin lauda neljale homme kell seitse", "Mari Tamm", "üks taimetoitlane", "5123 4567"],
    "ru": ["Здравствуйте, столик на четверых завтра в семь", "Мария Тамм", "один вегетарианец", "5123 4567"],
}


@pytest.fixture
async def restaurant(tmp_path, clock):
    s = Shim(shim_config(tmp_path, REPO / "examples/restaurant.toml"), clock)
    await s.start_client()
    yield s
    await s.close()


async def say(client, message: str, session: str | None, lang: str) -> dict:
    body = {"message": message, "language": lang, **({"session_id": session} if session else {})}
    resp = await client.post("/api/v1/chat", json=body)
    assert resp.status == 200, await resp.text()
    return await resp.json()


@pytest.mark.parametrize("lang", ["en", "et", "ru"])
async def test_a_table_is_booked_over_web_chat(restaurant, lang):
    session = None
    for line in SCRIPTS[lang]:
        reply = await say(restaurant.client, line, session, lang)
        session = reply["session_id"]
        assert reply["language"] == lang
    assert "19:00" in reply["reply"] and reply["options"], reply  # the summary, with a yes button
    done = await say(restaurant.client, reply["options"][0]["value"], session, lang)
    assert done["booking"] is not None and done["booking"]["status"] == "confirmed", done
    code = done["booking"]["code"]
    booking = (await restaurant.calendar(lambda cal: cal.find("kolm-kokka", code=code)))[0]
    assert booking.kind == "table" and booking.request.party_size == 4 and booking.resource_id == "t3"
    assert booking.request.start.replace(tzinfo=None) == datetime(2026, 11, 25, 19, 0)
    assert booking.details["dietary"] == SCRIPTS[lang][2] and booking.phone == "+37251234567"
    assert booking.channel == "web" and booking.language == lang
