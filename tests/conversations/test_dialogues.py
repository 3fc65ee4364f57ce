"""The conversation suite: YAML dialogues run against the real agent with the real packaged LLM
and a real SQLite calendar; asserts the language of every reply and the final calendar state."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from receptionist.config.app import load_config
from receptionist.agent.language import LanguageDetector
from tests.agent.harness import Conversation, prefill
from tests.conftest import NOW, REPO

HERE = Path(__file__).parent
OWN_RUNNER = ("understanding", "restaurant_", "draft")  # test_understanding.py, test_restaurant.py; drafts: bench only
DIALOGUES = [d for f in sorted(HERE.glob("*.yaml")) if not f.name.startswith(OWN_RUNNER)
             for d in yaml.safe_load(f.read_text(encoding="utf-8"))]
TIMINGS: list[dict[str, Any]] = []
pytestmark = [pytest.mark.models, pytest.mark.slow]


def _fill(text: str, codes: list[str]) -> str:
    for i, code in enumerate(codes):
        text = text.replace(f"{{code{i}}}", code)
    return text


def _check_booking(booking: Any, want: dict, tenant: Any) -> None:
    req = booking.request
    for key, value in want.items():
        value = str(value)
        if key == "status":
            assert booking.status == value
        elif key == "resource":
            assert booking.resource_id == value or getattr(req, "resource_type", None) == value
        elif key == "start":
            assert str(req.start) == value
        elif key == "end":
            assert str(req.end) == value
        elif key == "pet_name":
            assert booking.details.get("pet_name") == value
        elif key == "phone":
            assert booking.phone == value
        elif key == "price":
            assert f"{booking.price:.2f}" == value
        elif key == "language":
            assert booking.language == value
        elif key == "service":
            assert req.service_id == value
        elif key == "at":
            assert req.start.astimezone(tenant.tz).strftime("%Y-%m-%dT%H:%M") == value
        elif key == "name":
            assert booking.customer_name == value
        elif key == "resource_any":
            pass
        else:
            raise AssertionError(f"unknown expectation {key}")


@pytest.fixture(scope="module")
def llm():
    from receptionist.backends.llama_llm import LlamaJsonModel

    model_path = REPO / "models/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    if not model_path.is_file():
        pytest.fail("the packaged LLM is missing: run scripts/setup")
    model = LlamaJsonModel(model_path, threads=2)
    from receptionist.agent.knowledge import load_knowledge
    from receptionist.agent.llm import grammar, system_prompt

    tenant = load_config(REPO / "config.toml").default_tenant
    kb = load_knowledge(tenant.knowledge_dir)
    model.warm(system_prompt(tenant, kb), "hello", grammar(kb))  # as the service does at start
    yield model
    model.close()


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d["name"] for d in DIALOGUES])
def test_dialogue(dialogue: dict, llm: Any, tmp_path: Path) -> None:
    from receptionist.clock import FakeClock

    config = load_config(REPO / dialogue.get("config", "config.toml"))
    tenant = config.default_tenant
    clock = FakeClock(NOW)
    db = tmp_path / "calendar.db"
    codes = [b.code for b in prefill(config, db, clock, dialogue.get("prefill", []))]
    prefilled = set(codes)
    if dialogue.get("sms"):  # SMS configured: one-time codes are texted (queued in the outbox)
        config = replace(config, channels=replace(config.channels, sms=replace(config.channels.sms, enabled=True)))
    conv = Conversation(config, db, clock, model=llm, fault=dialogue.get("fault"),
                        channel=dialogue.get("channel", "web"), caller_id=dialogue.get("caller_id"))
    detector = LanguageDetector(tenant.languages)
    expected_lang = dialogue.get("lang") or next((t["lang"] for t in dialogue["turns"] if "lang" in t), "en")
    try:
        for step in dialogue["turns"]:
            expected_lang = step.get("lang", expected_lang)  # every reply's language is checked
            if step.get("restart"):
                conv.restart()
            t0 = time.perf_counter()
            said = _fill(step["say"], codes)
            if "{otp}" in said:  # the one-time code texted to the booking's phone, as its owner would read it
                said = said.replace("{otp}", _last_otp(conv))
            reply = asyncio.run(conv.say(said))
            TIMINGS.append({"ms": (time.perf_counter() - t0) * 1000, "lang": reply.language,
                            "llm": _used_llm(conv)})
            text = reply.text
            where = f"{dialogue['name']!r} after {step['say']!r}: {text!r}"
            assert text, where
            assert reply.language == expected_lang, where
            scores = detector.scores(text)
            assert max(scores, key=scores.get) == expected_lang, f"reply not in {expected_lang}: {where}"
            wanted = [_fill(c, codes) for c in step.get("contains", [])]
            hits = [c.lower() in text.lower() for c in wanted]
            assert (any(hits) if step.get("any") else all(hits)), f"expected {wanted} in {where}"
            for c in step.get("not_contains", []):
                assert c.lower() not in text.lower(), where
            if "booking" in step:
                assert reply.booking is not None and reply.booking.status == step["booking"], where
            if "options" in step:
                assert len(reply.options) >= step["options"], where
            if step.get("llm"):
                assert _used_llm(conv), f"expected the LLM to be consulted: {where}"
        _check_calendar(conv, dialogue.get("expect", {}), prefilled, tenant)
    finally:
        conv.close()


def _last_otp(conv: Conversation) -> str:
    row = conv.brain.worker.run_sync(lambda db: db.execute(
        "SELECT text FROM sms_outbox WHERE kind = 'otp' ORDER BY id DESC LIMIT 1").fetchone())
    assert row is not None, "no one-time code was texted"
    return re.findall(r"\b\d{6}\b", row[0])[0]


def _used_llm(conv: Conversation) -> bool:
    from receptionist.agent import store

    log = conv.brain.worker.run_sync(store.transcript, conv.tenant.id, conv.session_id)
    return bool(log and log[-1].meta.get("llm"))


def _check_calendar(conv: Conversation, expect: dict, prefilled: set[str], tenant: Any) -> None:
    calendar = conv.calendar()
    try:
        bookings = calendar.list_bookings(tenant.id)
        new = [b for b in bookings if b.code not in prefilled]
        if "bookings" in expect:
            assert len(new) == len(expect["bookings"]), [(b.code, b.status) for b in new]
            for booking, want in zip(new, expect["bookings"]):
                _check_booking(booking, want, tenant)
        if "prefilled" in expect:
            old = [b for b in bookings if b.code in prefilled]
            for booking, want in zip(old, expect["prefilled"]):
                _check_booking(booking, want, tenant)
        for phone, wants in expect.get("bookings_by_phone", {}).items():
            mine = [b for b in calendar.find(tenant.id, phone=phone) if b.code not in prefilled]
            assert len(mine) == len(wants)
            for booking, want in zip(mine, wants):
                _check_booking(booking, want, tenant)
        if "not_overlapping" in expect:
            w = expect["not_overlapping"]
            mine = [b for b in calendar.find(tenant.id, phone=w["phone"]) if b.code not in prefilled]
            assert mine and all(str(b.request.end) <= w["start"] or str(b.request.start) >= w["end"] for b in mine)
        if "callbacks" in expect:
            callbacks = calendar.list_callbacks(tenant.id)
            assert len(callbacks) == len(expect["callbacks"])
            for cb, want in zip(callbacks, expect["callbacks"]):
                assert cb.phone == want["phone"] and cb.status == want["status"]
    finally:
        calendar.close()
