"""Property-based bad input against the running shim (real agent, real SQLite): whatever arrives,
the answer is JSON, never a 500 or a stack trace, and the agent always replies to text it gets."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receptionist.clock import FakeClock
from tests.http.shim import Shim, shim_config

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A shim on a real loopback port, its event loop on a thread of its own."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict = {}

    async def start() -> None:
        shim = Shim(shim_config(tmp_path_factory.mktemp("fuzz"), rate_limit=0),
                    FakeClock(datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)))
        box["shim"], box["url"] = shim, await shim.serve()
        box["token"] = await shim.token("fuzz")
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    assert ready.wait(60)
    yield box
    asyncio.run_coroutine_threadsafe(box["shim"].close(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def call(url: str, method: str = "GET", body: bytes | None = None, token: str | None = None,
         content_type: str = "application/json") -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    data = json.loads(raw)  # always JSON
    assert status < 500, (status, data)
    if status >= 400:
        assert set(data["error"]) >= {"code", "message"} and "Traceback" not in raw.decode()
    return status, data


@SETTINGS
@given(body=st.binary(max_size=3000))
def test_any_bytes_to_the_chat_api_get_a_clean_answer(served, body):
    call(served["url"] + "/api/v1/chat", "POST", body)


@SETTINGS
@given(payload=st.dictionaries(st.sampled_from(["message", "session_id", "tenant", "language", "x"]),
                               st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=50),
                                         st.lists(st.integers(), max_size=3)), max_size=5))
def test_any_json_object_to_the_chat_api_gets_a_clean_answer(served, payload):
    call(served["url"] + "/api/v1/chat", "POST", json.dumps(payload).encode())


@SETTINGS
@given(text=st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_the_agent_answers_any_text_in_a_configured_language(served, text):
    status, data = call(served["url"] + "/api/v1/chat", "POST", json.dumps({"message": text}).encode())
    assert status == 200 and data["reply"].strip() and data["language"] in ("en", "et", "ru")


@SETTINGS
@given(code=st.text(max_size=40), action=st.sampled_from(["", "/cancel", "/reschedule"]),
       query=st.dictionaries(st.sampled_from(["room_type", "start", "end", "service", "phone", "tenant", "status"]),
                             st.text(max_size=30), max_size=4))
def test_the_staff_api_never_fails_on_odd_codes_or_queries(served, code, action, query):
    url, token = served["url"], served["token"]
    method = "POST" if action else "GET"
    call(f"{url}/api/v1/bookings/{urllib.parse.quote(code, safe='')}{action}", method,
         b"{}" if action else None, token)
    call(f"{url}/api/v1/availability?{urllib.parse.urlencode(query)}", token=token)
    call(f"{url}/api/v1/bookings?{urllib.parse.urlencode(query)}", token=token)
