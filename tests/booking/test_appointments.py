"""Appointment profile (clinic): practitioner hours and breaks, any free practitioner, alternatives."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from receptionist.booking.models import AppointmentRequest, StayRequest
from tests.booking.conftest import customer, error_code, local

T = "kesklinna"


def appt(service: str, when: datetime, practitioner: str | None = None) -> AppointmentRequest:
    return AppointmentRequest(service, when, practitioner)


# Tue 2026-12-01: only dr-tamm works (09-12, 13-17). Wed 2026-12-02: both (nurse-kask 08-12, 12:30-16).
TUE_10 = appt("checkup", local(2026, 12, 1, 10))


def test_availability_price_and_practitioner(clinic_calendar):
    a = clinic_calendar.check_availability(T, TUE_10)
    assert (a.available, a.price, a.currency, a.resource_id) == (True, Decimal("45.00"), "EUR", "dr-tamm")
    early = clinic_calendar.check_availability(T, appt("vaccination", local(2026, 12, 2, 8)))
    assert (early.available, early.resource_id, early.price) == (True, "nurse-kask", Decimal("30.00"))


def test_booking_is_stored_in_utc_and_returned_in_local_time(clinic_calendar):
    b = clinic_calendar.create_booking(T, TUE_10, customer(1, "et"))
    assert b.request == appt("checkup", local(2026, 12, 1, 10), "dr-tamm") and b.resource_id == "dr-tamm"
    assert b.request.start.utcoffset() == timedelta(hours=2)
    row = next(clinic_calendar.db.query("SELECT start_at, end_at, service_id FROM bookings"))
    assert row == {"start_at": "2026-12-01T08:00:00+00:00", "end_at": "2026-12-01T08:20:00+00:00",
                   "service_id": "checkup"}


def test_hours_breaks_and_closures(clinic_calendar):
    check = clinic_calendar.check_availability
    assert check(T, appt("checkup", local(2026, 12, 1, 11, 40))).available  # ends 12:00 sharp
    assert check(T, appt("checkup", local(2026, 12, 1, 11, 50))).reason == "outside-hours"  # would cross lunch
    assert check(T, appt("checkup", local(2026, 12, 1, 12, 15))).reason == "outside-hours"  # during lunch
    assert check(T, appt("checkup", local(2026, 12, 1, 17))).reason == "outside-hours"  # the clinic is open: no "closed"
    assert check(T, appt("physio", local(2026, 12, 1, 10))).reason == "outside-hours"  # nurse does not work Tuesdays
    assert check(T, appt("checkup", local(2026, 11, 28, 10))).reason == "closed"  # Saturday
    assert check(T, appt("checkup", local(2026, 12, 24, 10))).reason == "closed"  # holiday
    assert error_code(clinic_calendar.create_booking, T, appt("checkup", local(2026, 12, 1, 11, 50)), customer()) \
        == "outside-hours"


def test_request_errors(clinic_calendar):
    check = clinic_calendar.check_availability
    assert error_code(check, T, appt("xray", local(2026, 12, 1, 10))) == "invalid-request"
    assert error_code(check, T, appt("physio", local(2026, 12, 2, 10), "dr-tamm")) == "invalid-request"
    assert error_code(check, T, appt("checkup", local(2026, 12, 2, 10), "dr-who")) == "invalid-request"
    assert error_code(check, T, appt("checkup", datetime(2026, 12, 1, 10))) == "invalid-date"  # naive
    assert error_code(check, T, appt("checkup", local(2026, 11, 24, 10))) == "past-date"  # it is 11:00 now
    assert error_code(check, T, appt("checkup", local(2027, 3, 1, 10))) == "invalid-date"  # 90-day horizon
    assert error_code(check, T, StayRequest("dog", date(2026, 12, 1), date(2026, 12, 2))) == "invalid-request"
    assert check(T, appt("checkup", local(2026, 11, 24, 13))).available  # later today is fine


def test_full_slot_offers_nearest_free_alternatives(clinic_calendar):
    clinic_calendar.create_booking(T, TUE_10, customer(1))
    a = clinic_calendar.check_availability(T, TUE_10)
    assert (a.available, a.reason, a.price) == (False, "full", Decimal("45.00"))
    starts = [alt.start for alt in a.alternatives]
    assert starts == [local(2026, 12, 1, 9, 15), local(2026, 12, 1, 9, 30), local(2026, 12, 1, 10, 30)]
    assert all(clinic_calendar.check_availability(T, alt).available for alt in a.alternatives)
    assert error_code(clinic_calendar.create_booking, T, TUE_10, customer(2)) == "full"
    # overlapping, not only identical, times are taken
    assert clinic_calendar.check_availability(T, appt("blood-test", local(2026, 12, 1, 10, 10))).reason == "full"


def test_any_practitioner_offering_the_service(clinic_calendar):
    wed_9 = appt("vaccination", local(2026, 12, 2, 9))
    first = clinic_calendar.create_booking(T, wed_9, customer(1))
    second = clinic_calendar.create_booking(T, wed_9, customer(2))
    assert {first.resource_id, second.resource_id} == {"dr-tamm", "nurse-kask"}
    a = clinic_calendar.check_availability(T, wed_9)
    assert a.reason == "full" and len(a.alternatives) == 3
    assert all(alt.start.date() == date(2026, 12, 2) for alt in a.alternatives)


def test_named_practitioner_busy_suggests_a_colleague_at_the_same_time(clinic_calendar):
    clinic_calendar.create_booking(T, appt("vaccination", local(2026, 12, 2, 9), "dr-tamm"), customer(1))
    a = clinic_calendar.check_availability(T, appt("vaccination", local(2026, 12, 2, 9), "dr-tamm"))
    assert a.reason == "full"
    assert appt("vaccination", local(2026, 12, 2, 9), "nurse-kask") in a.alternatives


def test_closed_day_alternatives_come_from_the_next_working_days(clinic_calendar):
    a = clinic_calendar.check_availability(T, appt("physio", local(2026, 11, 28, 10)))  # Saturday
    assert a.reason == "closed"
    assert [alt.start for alt in a.alternatives] == [local(2026, 11, 30, 8), local(2026, 11, 30, 8, 15),
                                                     local(2026, 11, 30, 8, 30)]
    assert {alt.practitioner_id for alt in a.alternatives} == {"nurse-kask"}


def test_reschedule_and_list_by_local_day(clinic_calendar):
    b = clinic_calendar.create_booking(T, TUE_10, customer(1))
    other = clinic_calendar.create_booking(T, appt("checkup", local(2026, 12, 1, 14)), customer(2))
    moved = clinic_calendar.reschedule(T, b.code, appt("checkup", local(2026, 12, 1, 10, 10)))  # overlaps itself
    assert moved.request.start == local(2026, 12, 1, 10, 10)
    assert error_code(clinic_calendar.reschedule, T, b.code, appt("checkup", local(2026, 12, 1, 13, 50))) == "full"
    moved = clinic_calendar.reschedule(T, b.code, appt("physio", local(2026, 12, 2, 13)))
    assert (moved.resource_id, moved.price) == ("nurse-kask", Decimal("60.00"))
    assert [x.code for x in clinic_calendar.list_bookings(T, start=date(2026, 12, 1), end=date(2026, 12, 1))] \
        == [other.code]
    assert [x.code for x in clinic_calendar.list_bookings(T, start=date(2026, 12, 2))] == [b.code]
    view = clinic_calendar.occupancy(T, date(2026, 11, 30), 3)
    assert {r.resource_id: r.counts for r in view.rows} == {"dr-tamm": (0, 1, 0), "nurse-kask": (0, 0, 1)}
    assert {r.resource_id: r.open for r in view.rows} == {"dr-tamm": (True, True, True),
                                                         "nurse-kask": (True, False, True)}
