"""Every write exactly once: a create, cancel or move repeated with its idempotency key changes nothing more
and answers with the first result; the same key for a different write is refused."""

from __future__ import annotations

from datetime import date

from receptionist.booking.models import AppointmentRequest, StayRequest
from tests.booking.conftest import customer, error_code, local

T = "pawsome"
DEC1_4 = StayRequest("dog", date(2026, 12, 1), date(2026, 12, 4))
DEC10_12 = StayRequest("dog", date(2026, 12, 10), date(2026, 12, 12))


def _count(calendar, sql: str) -> int:
    return calendar.db.execute(sql).fetchone()[0]


def test_a_repeated_create_returns_the_first_booking(pet_calendar):
    first = pet_calendar.create_booking(T, DEC1_4, customer(1), details={"pet_name": "Max"}, key="k-1")
    again = pet_calendar.create_booking(T, DEC1_4, customer(1), details={"pet_name": "Max"}, key="k-1")
    assert again == first
    assert _count(pet_calendar, "SELECT COUNT(*) FROM bookings") == 1
    assert _count(pet_calendar, "SELECT COUNT(*) FROM audit_log WHERE action = 'booking.create'") == 1


def test_without_a_key_or_with_another_key_a_second_booking_is_made(pet_calendar):
    pet_calendar.create_booking(T, DEC1_4, customer(1))
    pet_calendar.create_booking(T, DEC1_4, customer(1))
    pet_calendar.create_booking(T, DEC1_4, customer(1), key="k-2")
    assert _count(pet_calendar, "SELECT COUNT(*) FROM bookings") == 3


def test_the_same_key_for_another_payload_is_a_conflict(pet_calendar):
    pet_calendar.create_booking(T, DEC1_4, customer(1), key="k-1")
    assert error_code(pet_calendar.create_booking, T, DEC10_12, customer(1), key="k-1") == "idempotency-conflict"
    assert error_code(pet_calendar.create_booking, T, DEC1_4, customer(2), key="k-1") == "idempotency-conflict"
    booking = pet_calendar.list_bookings(T)[0]
    assert error_code(pet_calendar.cancel, T, booking.code, key="k-1") == "idempotency-conflict"
    assert pet_calendar.get(T, booking.code).status == "confirmed"
    assert _count(pet_calendar, "SELECT COUNT(*) FROM bookings") == 1


def test_keys_are_per_tenant(two_calendar):
    stay = two_calendar.create_booking("pawsome", DEC1_4, customer(1), key="same-key")
    visit = two_calendar.create_booking("kesklinna", AppointmentRequest("checkup", local(2026, 12, 1, 10)),
                                        customer(1), key="same-key")
    assert (stay.tenant_id, visit.tenant_id) == ("pawsome", "kesklinna") and visit.kind == "appointment"


def test_a_failed_write_stores_no_key_and_can_be_retried(pet_calendar):
    taken = [pet_calendar.create_booking(T, DEC1_4, customer(i)) for i in range(6)]  # the dog rooms are full
    assert error_code(pet_calendar.create_booking, T, DEC1_4, customer(9), key="k-9") == "full"
    pet_calendar.cancel(T, taken[0].code)
    assert pet_calendar.create_booking(T, DEC1_4, customer(9), key="k-9").status == "confirmed"


def test_a_repeated_cancel_and_move_change_nothing_more(pet_calendar):
    booking = pet_calendar.create_booking(T, DEC1_4, customer(1))
    moved = pet_calendar.reschedule(T, booking.code, DEC10_12, key="move-1")
    assert pet_calendar.reschedule(T, booking.code, DEC10_12, key="move-1") == moved
    assert _count(pet_calendar, "SELECT COUNT(*) FROM audit_log WHERE action = 'booking.move'") == 1
    pet_calendar.reschedule(T, booking.code, DEC1_4)  # staff move it back
    assert pet_calendar.reschedule(T, booking.code, DEC10_12, key="move-1").request == DEC1_4  # the key is spent
    cancelled = pet_calendar.cancel(T, booking.code, key="cancel-1")
    assert pet_calendar.cancel(T, booking.code.lower(), key="cancel-1") == cancelled
    assert _count(pet_calendar, "SELECT COUNT(*) FROM audit_log WHERE action = 'booking.cancel'") == 1


def test_a_bad_key_is_an_invalid_request(pet_calendar):
    assert error_code(pet_calendar.create_booking, T, DEC1_4, customer(1), key="") == "invalid-request"
    assert error_code(pet_calendar.create_booking, T, DEC1_4, customer(1), key="x" * 201) == "invalid-request"
