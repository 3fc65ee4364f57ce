from __future__ import annotations

from datetime import timedelta

from tests.booking.conftest import error_code

T = "pawsome"


def test_callbacks_lifecycle(pet_calendar, clock):
    first = pet_calendar.add_callback(T, phone="5123 4567", name=" Kati ", reason="wants a bigger room",
                                      language="et", conversation_id="sess-1")
    assert (first.phone, first.name, first.status, first.language, first.conversation_id) == (
        "+37251234567", "Kati", "open", "et", "sess-1")
    clock.advance(60)
    second = pet_calendar.add_callback(T, phone="+372 5100 0000", reason="price", language="ru")
    assert second.name is None and second.created_at == first.created_at + timedelta(seconds=60)
    assert [c.id for c in pet_calendar.list_callbacks(T)] == [first.id, second.id]
    done = pet_calendar.mark_callback_done(T, first.id)
    assert done.status == "done" and done.done_at == clock.now()
    assert [c.id for c in pet_calendar.list_callbacks(T, "open")] == [second.id]
    assert [c.id for c in pet_calendar.list_callbacks(T, "done")] == [first.id]


def test_callback_errors(pet_calendar):
    assert error_code(pet_calendar.add_callback, T, phone="12", reason="x", language="en") == "invalid-phone"
    assert error_code(pet_calendar.add_callback, T, phone="5123 4567", reason=" ", language="en") == "invalid-request"
    assert error_code(pet_calendar.add_callback, T, phone="5123 4567", reason="x", language="de") == "invalid-request"
    assert error_code(pet_calendar.mark_callback_done, T, 42) == "not-found"
    assert error_code(pet_calendar.list_callbacks, T, "closed") == "invalid-request"
    assert error_code(pet_calendar.list_callbacks, "nope") == "unknown-tenant"
