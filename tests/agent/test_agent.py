"""The agent's behaviour around the language model, tools and sessions (fast tier: a scripted
model, a fake clock, a real SQLite file)."""

from __future__ import annotations

import asyncio
import re
import string

import pytest

from receptionist.agent import store
from receptionist.agent.replies import templates
from receptionist.errors import ModelError
from receptionist.events import BookingMade, HoldingPhrase, IncomingMessage
from tests.agent.harness import Conversation, ScriptedModel


def say(conv: Conversation, text: str):
    return asyncio.run(conv.say(text))


def test_llm_timeout_still_gives_a_sensible_reply(convo):
    conv = convo(model=ScriptedModel(ModelError("slow", code="llm-timeout")))
    reply = say(conv, "Rex wants a holiday home for a few days")
    assert reply.language == "en"
    assert "didn't quite understand" in reply.text and "booking" in reply.text


def test_llm_nonsense_is_ignored(convo):
    conv = convo(model=ScriptedModel("banana|split|"))
    reply = say(conv, "Rex wants a holiday home for a few days")
    assert "didn't quite understand" in reply.text


def test_llm_proposed_intent_is_followed_and_its_name_validated(convo):
    conv = convo(model=ScriptedModel("book|none|Rex"))
    reply = say(conv, "Rex wants a holiday home for a few days")
    assert "dog or a cat" in reply.text
    assert reply.slots.get("pet_name") == "Rex"


def test_a_name_the_caller_never_said_is_rejected(convo):
    conv = convo(model=ScriptedModel("book|none|Buddy"))
    say(conv, "I'd like to book a room for my dog from December 10 to 12")
    reply = say(conv, "he is a very good and friendly boy")
    assert "pet_name" not in reply.slots


def test_llm_topic_must_be_a_known_entry(convo):
    conv = convo(model=ScriptedModel("question|swimming_pool|"))
    reply = say(conv, "Is there a swimming pool for the guests?")
    assert "don't know" in reply.text


def test_unknown_question_offers_a_callback_that_staff_see(convo):
    conv = convo(model=ScriptedModel("question|none|"))
    reply = say(conv, "Is there a swimming pool for the guests?")
    assert "don't know" in reply.text
    reply = say(conv, "Sure, +372 5123 4567")
    assert "call you back" in reply.text
    calendar = conv.calendar()
    callbacks = calendar.list_callbacks(conv.tenant.id)
    calendar.close()
    assert [(c.phone, c.reason) for c in callbacks] == [("+37251234567", "question")]


def test_holding_phrase_is_emitted_while_the_backend_is_slow(convo):
    conv = convo(fault="slow", tool_timeout_s=0.2)
    heard: list[HoldingPhrase] = []

    async def holding(phrase: HoldingPhrase) -> None:
        heard.append(phrase)

    async def run():
        msg = IncomingMessage("Room for my dog Max from December 10 to 15, +372 5123 4567", "voice",
                              conv.session_id, conv.tenant.id, conv.clock.now())
        return await conv.brain.agent.handle(msg, on_holding=holding)

    reply = asyncio.run(run())
    assert [h.text for h in heard] == ["One moment, I'm checking."]
    assert "call you back" in reply.text


def test_history_keeps_only_what_the_caller_heard(convo):
    conv = convo()
    say(conv, "What are your opening hours?")
    asyncio.run(conv.brain.agent.note_heard(conv.session_id, "We are open Monday"))
    log = conv.brain.worker.run_sync(store.transcript, conv.tenant.id, conv.session_id)
    assert log[-1].role == "bot" and log[-1].text == "We are open Monday"
    assert log[-1].meta["interrupted"] is True


def test_every_turn_is_logged_with_intent_and_tool_outcomes(convo):
    conv = convo()
    say(conv, "Room for my dog Max from December 10 to 15")
    log = conv.brain.worker.run_sync(store.transcript, conv.tenant.id, conv.session_id)
    caller, bot = log[-2], log[-1]
    assert caller.role == "caller" and caller.intent == "book" and caller.language == "en"
    assert bot.meta["tools"][0]["name"] == "check_availability" and bot.meta["tools"][0]["outcome"] == "ok"


def test_booking_listeners_hear_about_new_bookings(convo):
    conv = convo()
    events: list[BookingMade] = []

    async def listen(event: BookingMade) -> None:
        events.append(event)

    conv.brain.agent.booking_listeners.append(listen)
    say(conv, "Room for my dog Max from December 10 to 15, phone +372 5123 4567")
    reply = say(conv, "yes")
    assert reply.booking and reply.protected
    assert [(e.action, e.code, e.phone, e.language) for e in events] == [
        ("created", reply.booking.code, "+37251234567", "en")]


def test_a_failing_listener_does_not_break_the_booking(convo):
    conv = convo()

    async def broken(event: BookingMade) -> None:
        raise RuntimeError("modem unplugged")

    conv.brain.agent.booking_listeners.append(broken)
    say(conv, "Room for my dog Max from December 10 to 15, phone +372 5123 4567")
    assert say(conv, "yes").booking is not None


def test_an_internal_error_gets_a_polite_reply(convo, monkeypatch):
    conv = convo()

    async def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(conv.brain.agent.booking_flow, "advance", boom)
    reply = say(conv, "Room for my dog Max from December 10 to 15")
    assert "went wrong" in reply.text


def test_sessions_do_not_cross_tenants(two_config, tmp_path, clock):
    conv = Conversation(two_config, tmp_path / "cal.db", clock)
    try:
        say(conv, "What are your opening hours?")
        other = two_config.tenants[1].id
        msg = IncomingMessage("hello", "web", conv.session_id, other, clock.now())
        with pytest.raises(Exception, match="another tenant"):
            asyncio.run(conv.brain.agent.handle(msg))
    finally:
        conv.close()


def test_session_continues_after_a_long_pause_only_within_the_idle_limit(convo):
    conv = convo()
    say(conv, "I'd like a room for my dog Max")
    conv.clock.advance(60 * 60 * 24)  # a day later: a fresh conversation, same language
    reply = say(conv, "yes")
    assert "Max" not in reply.text and reply.language == "en"


@pytest.mark.parametrize("lang", ["et", "ru"])
def test_templates_match_english_keys_and_placeholders(lang):
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    en, other = templates("en"), templates(lang)
    assert set(en) == set(other)
    for key in en:
        assert fields(en[key]) == fields(other[key]) or key in ("ask_pet_name",), key
        if lang == "ru":  # Russian templates hold no Latin words outside placeholders
            assert not re.search(r"[A-Za-z]{4,}", re.sub(r"\{\w+\}", "", other[key])), key


def test_a_goodbye_instead_of_a_callback_number_ends_the_conversation(convo):
    """The phone line hangs up after the goodbye (end_of_conversation); asking for the number again kept
    every scripts/bench-sip call open after its 'Thank you, goodbye.'"""
    conv = convo(model=ScriptedModel("question|none|"))
    reply = say(conv, "Is there a vet nearby?")
    assert "call you back" in reply.text
    reply = say(conv, "Thank you. Goodbye.")
    assert reply.end_of_conversation
    assert reply.intent == "thanks_bye"
    calendar = conv.calendar()
    callbacks = calendar.list_callbacks(conv.tenant.id)
    calendar.close()
    assert callbacks == []
