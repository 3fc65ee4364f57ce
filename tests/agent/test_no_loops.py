"""Dialogue behaviour of the understanding rules (fast tier: scripted model, fake clock, real SQLite):
no question a third time, questions that carry a request book, "my number is" stays in the booking,
corrections after the summary are applied, and a bare "yes" with nothing pending gets a real question."""

from __future__ import annotations

import asyncio

import pytest

from receptionist.agent import store
from tests.agent.harness import Conversation, ScriptedModel


@pytest.fixture
def convo(convo):
    """Conversations whose language model is scripted to know nothing (the rules must do it)."""
    return lambda **kwargs: convo(model=kwargs.pop("model", ScriptedModel()), **kwargs)


def say(conv: Conversation, text: str):
    return asyncio.run(conv.say(text))


def _state(conv: Conversation):
    state, _ = conv.brain.worker.run_sync(store.load_state, conv.tenant.id, conv.session_id)
    return state


def test_a_question_is_asked_at_most_twice_then_a_colleague_is_offered(convo):
    conv = convo()
    first = say(conv, "I need a room for my dog Rex")
    assert "check in" in first.text and "For example" not in first.text
    second = say(conv, "whenever suits you really")
    assert "check in" in second.text and "For example" in second.text
    third = say(conv, "I really don't mind")
    assert "check in" not in third.text and "call you back" in third.text
    assert _state(conv).mode == "callback"
    done = say(conv, "+372 5123 4567")
    assert "+372 5123 4567" in done.text
    callbacks = conv.calendar().list_callbacks(conv.tenant.id)
    assert len(callbacks) == 1 and "start_date" in callbacks[0].reason


def test_a_value_for_another_slot_is_noted_and_the_next_question_comes_first(convo):
    conv = convo()
    say(conv, "I need a room for my dog")
    second = say(conv, "whenever")
    assert "For example" in second.text
    third = say(conv, "his name is Rex")
    assert "noted" in third.text and "phone" in third.text and "check in" not in third.text
    assert _state(conv).slots["pet_name"] == "Rex"
    fourth = say(conv, "5123 4567")
    assert "check in" not in fourth.text and "call you back" in fourth.text  # the day: never a third time


def test_out_of_order_answers_are_no_loop(convo):
    conv = convo(caller_id=None)
    say(conv, "I need a room for my dog from the 10th of December")  # asks the pick-up day
    say(conv, "His name is Buster.")  # another answer: noted, the phone is asked now
    say(conv, "My number is 5512 3098.")  # and now the pick-up day again (the second time)
    reply = say(conv, "the 13th")
    assert _state(conv).mode == "confirming" and "Buster" in reply.text and "13 December" in reply.text


def test_answering_after_the_colleague_offer_goes_on_with_the_booking(convo):
    conv = convo()
    say(conv, "I need a room for my dog Rex")
    say(conv, "whenever")
    say(conv, "I really don't mind")
    reply = say(conv, "from December 10 to 12")
    assert _state(conv).mode == "booking" and "10 December" in reply.text
    assert _state(conv).slots["start_date"] == "2026-12-10"


def test_part_of_the_number_is_news_about_the_same_question(convo):
    conv = convo()
    say(conv, "A room for my dog Rex from December 10 to 12")
    say(conv, "my number is five one two three")
    rest = say(conv, "four five six seven")
    assert _state(conv).mode == "confirming" and "+372 5123 4567" in rest.text


def test_a_known_phone_is_offered_for_the_call_back(convo):
    conv = convo(channel="sms", caller_id="+37251234567")
    say(conv, "room for my cat please")
    say(conv, "dunno")
    offer = say(conv, "dunno")
    assert "+372 5123 4567" in offer.text
    done = say(conv, "yes")
    assert "call you back" in done.text
    assert len(conv.calendar().list_callbacks(conv.tenant.id)) == 1


@pytest.mark.parametrize("said, lang", [
    ("Do you have a free room for my cat this weekend?", "en"),
    ("Kas teil on koerale kohta?", "et"),
    ("У вас есть место для кошки?", "ru"),
])
def test_a_booking_request_phrased_as_a_question_starts_a_booking(convo, said, lang):
    reply = say(convo(), said)
    assert reply.language == lang
    assert reply.intent == "book"


def test_my_number_is_during_a_booking_is_a_phone_number(convo):
    conv = convo()
    say(conv, "A room for my dog Max from December 10 to 15")
    reply = say(conv, "Plus 372 5123 4567")
    assert reply.intent == "book"
    assert _state(conv).mode == "confirming" and "+372 5123 4567" in reply.text


def test_a_correction_after_the_summary_is_applied(convo):
    conv = convo()
    say(conv, "A room for my dog Max from December 10 to 15, my number is 5123 4567")
    reply = say(conv, "Could you change it to the 12th to the 15th?")
    assert "Saturday 12 December" in reply.text and "3 nights" in reply.text
    say(conv, "yes")
    (booking,) = conv.calendar().list_bookings(conv.tenant.id)
    assert str(booking.request.start) == "2026-12-12"


def test_yes_with_nothing_pending_gets_a_real_question(convo):
    reply = say(convo(), "Yes, that's right")
    assert "booking" in reply.text and "question" in reply.text
    assert "I can make a booking, answer questions, or change a booking" not in reply.text


def test_a_past_day_is_told_and_asked_again(convo):
    conv = convo()
    say(conv, "A room for my dog Max please")
    reply = say(conv, "from November 20")  # today is 24 November
    assert "past" in reply.text and "check in" in reply.text
    assert "start_date" not in _state(conv).slots


def test_an_end_before_the_start_is_told(convo):
    conv = convo()
    say(conv, "A room for my dog Max from December 10")
    reply = say(conv, "I'll pick him up on the 8th")
    assert "after the check-in day" in reply.text and "Thursday 10 December" in reply.text
    assert _state(conv).slots["start_date"] == "2026-12-10"


def test_the_model_is_not_asked_for_a_day_when_no_word_could_carry_one(pet_config, tmp_path, clock):
    conv = _with_model(pet_config, tmp_path, clock, "2026-12-09")
    try:
        say(conv, "I need a room for my dog Rex")
        say(conv, "whenever you have space")
        assert "start_date" not in _state(conv).slots
        assert not any(p.startswith("DATE") for p in conv.model.prompts)
    finally:
        conv.close()


def _with_model(pet_config, tmp_path, clock, *answers):
    return Conversation(pet_config, tmp_path / "llm.db", clock, model=ScriptedModel(*answers))


@pytest.mark.parametrize("answer, said, stored", [
    ("2026-12-05", "5 or so, in December", "2026-12-05"),         # the day and month are in the words: kept
    ("2026-12-05", "somewhere around 5ish", "2026-12-05"),        # the day, and it is near: kept
    ("2026-12-06", "5 or so, in December", None),                 # the model changed the day: dropped
    ("2027-12-05", "5 or so, in December", None),                 # a year ahead: dropped
])
def test_the_model_may_propose_a_day_only_the_words_can_carry(pet_config, tmp_path, clock, answer, said, stored):
    conv = _with_model(pet_config, tmp_path, clock, answer)
    try:
        say(conv, "I need a room for my dog Rex")  # the rules understand it: asks the check-in day
        assert _state(conv).asked == "start_date"
        say(conv, said)
        assert _state(conv).slots.get("start_date") == stored
        assert any(p.startswith("DATE today=2026-11-24") for p in conv.model.prompts)
    finally:
        conv.close()


def test_an_inflected_name_with_two_possible_base_forms_is_asked_before_the_summary(convo):
    conv = convo()
    first = say(conv, "Sooviksin koerale Rustile tuba 10. kuni 12. detsembrini")
    assert "Rust või Rusti" in first.text and {o.label for o in first.options} == {"Rust", "Rusti"}
    say(conv, "Rusti")
    summary = say(conv, "5398 2016")
    assert "Rusti" in summary.text and "Kas broneerin?" in summary.text


def test_a_bare_number_answers_the_question_just_asked(convo, clinic_config, tmp_path, clock):
    conv = convo()
    say(conv, "A dog room please")
    say(conv, "10")
    say(conv, "the 14")
    assert (_state(conv).slots["start_date"], _state(conv).slots["end_date"]) == ("2026-12-10", "2026-12-14")
    clinic = Conversation(clinic_config, tmp_path / "clinic.db", clock, model=ScriptedModel())
    try:
        asyncio.run(clinic.say("A check-up on the 3rd"))
        asyncio.run(clinic.say("10.30"))
        state, _ = clinic.brain.worker.run_sync(store.load_state, clinic.tenant.id, clinic.session_id)
        assert (state.slots["date"], state.slots["time"]) == ("2026-12-03", "10:30")
    finally:
        clinic.close()


@pytest.mark.parametrize("said", ["please do", "book it", "broneerige", "бронируйте", "давай"])
def test_confirmation_phrases_book(convo, said):
    conv = convo()
    say(conv, "A room for my dog Max from December 10 to 15, my number is 5123 4567")
    assert say(conv, said).booking is not None


def test_a_call_back_number_that_cannot_be_taken_is_not_asked_a_third_time(convo):
    conv = convo(caller_id=None)
    say(conv, "I need a room for my dog Rex")
    say(conv, "whenever")
    say(conv, "I really don't mind")  # a colleague is offered: what number?
    say(conv, "515 25 47 18")
    last = say(conv, "515 25 47 18")
    assert "call us again" in last.text and _state(conv).mode == "idle"


def test_digits_for_the_call_back_number_are_a_number_not_a_day(convo):
    conv = convo(caller_id=None)
    say(conv, "I need a room for my dog Rex")
    say(conv, "whenever")
    say(conv, "I really don't mind")  # a colleague is offered: what number?
    again = say(conv, "5. 3. 6. 2.")
    assert "doesn't look right" in again.text, again.text
    last = say(conv, "5. 3. 6. 2.")
    assert "call us again" in last.text and _state(conv).mode == "idle"

