"""Stay profile (pet hotel): prices, capacity per night, closures, alternatives, moves, holds."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from receptionist.booking.models import AppointmentRequest, Customer, StayRequest
from tests.booking.conftest import customer, error_code, fill, local

T = "pawsome"


def stay(start: date, end: date, room: str = "dog") -> StayRequest:
    return StayRequest(room, start, end)


DEC1_4 = stay(date(2026, 12, 1), date(2026, 12, 4))


def test_price_is_nights_times_rate(pet_calendar):
    a = pet_calendar.check_availability(T, DEC1_4)
    assert (a.available, a.price, a.currency, a.resource_id, a.reason) == (True, Decimal("105.00"), "EUR", "dog", None)
    assert DEC1_4.nights == 3
    assert pet_calendar.check_availability(T, stay(date(2026, 12, 1), date(2026, 12, 3), "cat")).price == Decimal("50.00")


def test_create_booking_stores_everything(pet_calendar):
    b = pet_calendar.create_booking(T, DEC1_4, Customer("Kati Kask", "5123 4567", "et"),
                                    details={"pet_name": "Rex", "pet_type": "dog"})
    assert re.fullmatch(r"BK-[1-9]\d{5}", b.code)
    assert (b.status, b.phone, b.language, b.price, b.resource_id, b.channel) == (
        "confirmed", "+37251234567", "et", Decimal("105.00"), "dog", "cli")
    assert b.request == DEC1_4 and b.details == {"pet_name": "Rex", "pet_type": "dog"}
    assert b.created_at == datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    assert pet_calendar.get(T, b.code) == b
    assert pet_calendar.customer(T, "+372 5123 4567") == Customer("Kati Kask", "+37251234567", "et")
    actions = [r["action"] for r in pet_calendar.db.query("SELECT action FROM audit_log WHERE tenant_id = ?", [T])]
    assert actions == ["booking.create"]


def test_full_when_every_room_is_taken_and_alternatives_are_offered(pet_calendar):
    fill(pet_calendar, T, DEC1_4, 6)
    a = pet_calendar.check_availability(T, stay(date(2026, 12, 2), date(2026, 12, 3)))
    assert (a.available, a.reason, a.price, a.resource_id) == (False, "full", Decimal("35.00"), None)
    assert a.alternatives == (stay(date(2026, 12, 4), date(2026, 12, 5)), stay(date(2026, 11, 30), date(2026, 12, 1)),
                              stay(date(2026, 12, 5), date(2026, 12, 6)))
    assert error_code(pet_calendar.create_booking, T, DEC1_4, customer(9)) == "full"
    assert pet_calendar.check_availability(T, stay(date(2026, 12, 1), date(2026, 12, 4), "cat")).available


def test_capacity_counts_nights_not_bookings(pet_calendar):
    fill(pet_calendar, T, DEC1_4, 5)
    fill(pet_calendar, T, stay(date(2026, 12, 4), date(2026, 12, 6)), 6, first=10)  # checks in as others leave
    assert pet_calendar.check_availability(T, stay(date(2026, 11, 30), date(2026, 12, 4))).available
    assert not pet_calendar.check_availability(T, stay(date(2026, 12, 3), date(2026, 12, 5))).available


def test_closures_make_check_in_or_out_closed(pet_calendar):
    a = pet_calendar.check_availability(T, stay(date(2026, 12, 24), date(2026, 12, 27)))
    assert (a.available, a.reason, a.price) == (False, "closed", Decimal("105.00"))
    assert a.alternatives == (stay(date(2026, 12, 27), date(2026, 12, 30)), stay(date(2026, 12, 28), date(2026, 12, 31)),
                              stay(date(2026, 12, 20), date(2026, 12, 23)))
    assert error_code(pet_calendar.create_booking, T, stay(date(2026, 12, 20), date(2026, 12, 24)), customer()) == "closed"
    # staying over the holidays is fine when check-in and check-out days are open
    assert pet_calendar.create_booking(T, stay(date(2026, 12, 20), date(2026, 12, 28)), customer()).status == "confirmed"


def test_date_errors(pet_calendar, clock):
    today = date(2026, 11, 24)
    assert pet_calendar.check_availability(T, stay(today, today + timedelta(days=1))).available
    assert error_code(pet_calendar.check_availability, T, stay(date(2026, 11, 23), date(2026, 11, 25))) == "past-date"
    assert error_code(pet_calendar.check_availability, T, stay(date(2026, 12, 4), date(2026, 12, 4))) == "invalid-date"
    assert error_code(pet_calendar.check_availability, T, stay(date(2026, 12, 4), date(2026, 12, 1))) == "invalid-date"
    too_long = stay(date(2026, 12, 1), date(2026, 12, 1) + timedelta(days=61))
    assert error_code(pet_calendar.create_booking, T, too_long, customer()) == "invalid-date"
    far = today + timedelta(days=366)
    assert error_code(pet_calendar.create_booking, T, stay(far, far + timedelta(days=2)), customer()) == "invalid-date"
    # "today" is the tenant's: 22:30 UTC is already the next day in Tallinn
    clock.set(datetime(2026, 11, 24, 22, 30, tzinfo=timezone.utc))
    assert error_code(pet_calendar.check_availability, T, stay(today, today + timedelta(days=1))) == "past-date"


def test_request_and_customer_errors(pet_calendar):
    assert error_code(pet_calendar.check_availability, T, stay(date(2026, 12, 1), date(2026, 12, 2), "horse")) \
        == "invalid-request"
    appointment = AppointmentRequest("checkup", local(2026, 12, 1, 10))
    assert error_code(pet_calendar.check_availability, T, appointment) == "invalid-request"
    assert error_code(pet_calendar.create_booking, T, DEC1_4, Customer("A", "12", "en")) == "invalid-phone"
    assert error_code(pet_calendar.create_booking, T, DEC1_4, Customer(" ", "5123 4567", "en")) == "invalid-request"
    assert error_code(pet_calendar.create_booking, T, DEC1_4, Customer("A", "5123 4567", "fi")) == "invalid-request"
    assert error_code(pet_calendar.create_booking, T, DEC1_4, customer(), status="cancelled") == "invalid-request"
    assert error_code(pet_calendar.check_availability, "nope", DEC1_4) == "unknown-tenant"
    assert error_code(pet_calendar.get, T, "BK-1000") == "not-found"
    assert error_code(pet_calendar.get, T, "hello") == "not-found"
    assert pet_calendar.list_bookings(T) == []  # nothing half-written


def test_cancel_frees_the_room_and_is_idempotent(pet_calendar):
    booked = fill(pet_calendar, T, DEC1_4, 6)
    assert not pet_calendar.check_availability(T, DEC1_4).available
    cancelled = pet_calendar.cancel(T, booked[0].code.lower())
    assert cancelled.status == "cancelled"
    assert pet_calendar.cancel(T, booked[0].code).status == "cancelled"
    assert pet_calendar.check_availability(T, DEC1_4).available
    assert error_code(pet_calendar.cancel, T, "BK-0001") == "not-found"


def test_reschedule(pet_calendar):
    fill(pet_calendar, T, DEC1_4, 5)
    mine = pet_calendar.create_booking(T, DEC1_4, customer(8))
    # shifting by one day overlaps only itself on Dec 2-3, and the 6th room is free on Dec 4
    moved = pet_calendar.reschedule(T, mine.code, stay(date(2026, 12, 2), date(2026, 12, 6)))
    assert (moved.code, moved.request, moved.price) == (mine.code, stay(date(2026, 12, 2), date(2026, 12, 6)),
                                                        Decimal("140.00"))
    assert pet_calendar.reschedule(T, mine.code, stay(date(2026, 12, 2), date(2026, 12, 3), "cat")).resource_id == "cat"
    fill(pet_calendar, T, DEC1_4, 1, first=10)  # the dog rooms are full again on Dec 1-3
    other = pet_calendar.create_booking(T, stay(date(2026, 12, 10), date(2026, 12, 11)), customer(9))
    assert error_code(pet_calendar.reschedule, T, other.code, stay(date(2026, 12, 1), date(2026, 12, 2))) == "full"
    assert pet_calendar.get(T, other.code).request.start == date(2026, 12, 10)  # unchanged after the failure
    assert error_code(pet_calendar.reschedule, T, other.code, stay(date(2026, 12, 24), date(2026, 12, 27))) == "closed"
    pet_calendar.cancel(T, other.code)
    assert error_code(pet_calendar.reschedule, T, other.code, stay(date(2026, 12, 12), date(2026, 12, 13))) \
        == "invalid-request"


def test_holds_count_until_they_expire(pet_calendar, clock):
    fill(pet_calendar, T, DEC1_4, 5)
    held = pet_calendar.create_booking(T, DEC1_4, customer(7), status="held", channel="voice")
    assert held.status == "held" and held.hold_expires_at == clock.now() + timedelta(minutes=10)
    assert not pet_calendar.check_availability(T, DEC1_4).available
    clock.advance(11 * 60)
    assert pet_calendar.check_availability(T, DEC1_4).available
    late = pet_calendar.create_booking(T, DEC1_4, customer(8))
    assert error_code(pet_calendar.confirm, T, held.code) == "full"  # its room went to someone else
    pet_calendar.cancel(T, late.code)
    assert pet_calendar.confirm(T, held.code).status == "confirmed"


def test_find_list_and_occupancy(pet_calendar):
    a = pet_calendar.create_booking(T, DEC1_4, Customer("Kati", "5123 4567", "et"))
    b = pet_calendar.create_booking(T, stay(date(2026, 12, 10), date(2026, 12, 12), "cat"),
                                    Customer("Kati K", "+372 5123 4567", "et"))
    c = pet_calendar.create_booking(T, stay(date(2026, 12, 5), date(2026, 12, 6)), customer(3))
    pet_calendar.cancel(T, c.code)
    assert [x.code for x in pet_calendar.find(T, phone="51234567")] == [b.code, a.code]
    assert [x.code for x in pet_calendar.find(T, code=a.code.replace("-", " ").lower())] == [a.code]
    assert pet_calendar.find(T, code="BK-1000") == []
    assert error_code(pet_calendar.find, T) == "invalid-request"
    assert pet_calendar.customer(T, "51234567").name == "Kati K"  # upserted
    assert pet_calendar.customer(T, "+372 5999 9999") is None
    assert [x.code for x in pet_calendar.list_bookings(T)] == [a.code, c.code, b.code]
    assert [x.code for x in pet_calendar.list_bookings(T, start=date(2026, 12, 4), end=date(2026, 12, 9))] \
        == [a.code, c.code]
    assert [x.code for x in pet_calendar.list_bookings(T, status="cancelled")] == [c.code]
    assert [x.code for x in pet_calendar.list_bookings(T, resource="cat")] == [b.code]
    assert error_code(pet_calendar.list_bookings, T, status="gone") == "invalid-request"
    view = pet_calendar.occupancy(T, date(2026, 11, 30), 7)
    dog, cat = view.rows
    assert (dog.resource_id, dog.capacity, dog.counts) == ("dog", 6, (0, 1, 1, 1, 0, 0, 0))
    assert cat.counts == (0,) * 7 and all(dog.open)
    assert pet_calendar.occupancy(T, date(2026, 12, 23), 3).rows[0].open == (True, False, False)
