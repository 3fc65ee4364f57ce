"""Two tenants in one database never see each other's bookings, customers or callbacks."""

from __future__ import annotations

import random
from datetime import date

from receptionist.booking.models import AppointmentRequest, Customer, StayRequest
from receptionist.booking.service import CalendarService
from tests.booking.conftest import error_code, local

PETS, CLINIC = "pawsome", "kesklinna"
SAME_PHONE = "+372 5123 4567"


def test_tenants_are_isolated(two_calendar, two_config, clock):
    stay = two_calendar.create_booking(PETS, StayRequest("dog", date(2026, 12, 1), date(2026, 12, 3)),
                                       Customer("Pet Owner", SAME_PHONE, "en"))
    visit = two_calendar.create_booking(CLINIC, AppointmentRequest("checkup", local(2026, 12, 1, 10)),
                                        Customer("Patient", SAME_PHONE, "et"))
    cb = two_calendar.add_callback(PETS, phone=SAME_PHONE, reason="price question", language="en")

    assert [b.code for b in two_calendar.list_bookings(PETS)] == [stay.code]
    assert [b.code for b in two_calendar.list_bookings(CLINIC)] == [visit.code]
    assert [b.code for b in two_calendar.find(CLINIC, phone=SAME_PHONE)] == [visit.code]
    assert two_calendar.find(CLINIC, code=stay.code) == [] or stay.code == visit.code
    assert two_calendar.customer(PETS, SAME_PHONE).name == "Pet Owner"
    assert two_calendar.customer(CLINIC, SAME_PHONE).name == "Patient"
    assert two_calendar.list_callbacks(CLINIC) == [] and len(two_calendar.list_callbacks(PETS)) == 1
    assert error_code(two_calendar.mark_callback_done, CLINIC, cb.id) == "not-found"
    if stay.code != visit.code:
        assert error_code(two_calendar.cancel, CLINIC, stay.code) == "not-found"
        assert error_code(two_calendar.get, CLINIC, stay.code) == "not-found"
    assert two_calendar.get(PETS, stay.code).status == "confirmed"
    assert [r.resource_id for r in two_calendar.occupancy(CLINIC, date(2026, 12, 1), 1).rows] == ["dr-tamm",
                                                                                                  "nurse-kask"]
    tables = ["customers", "bookings", "callbacks", "audit_log", "resources", "services"]
    for table in tables:
        assert all(r["tenant_id"] in (PETS, CLINIC) for r in two_calendar.db[table].rows)


def test_codes_are_unique_per_tenant_not_globally(db_path, two_config, clock):
    # identical random sequences: both tenants draw the same code, which is allowed
    a = CalendarService(db_path, two_config, clock, rng=random.Random(3))
    b = CalendarService(db_path, two_config, clock, rng=random.Random(3))
    stay = a.create_booking(PETS, StayRequest("dog", date(2026, 12, 1), date(2026, 12, 3)),
                            Customer("A", SAME_PHONE, "en"))
    visit = b.create_booking(CLINIC, AppointmentRequest("checkup", local(2026, 12, 1, 10)),
                             Customer("B", SAME_PHONE, "en"))
    assert stay.code == visit.code
    assert a.cancel(CLINIC, visit.code).kind == "appointment"
    assert a.get(PETS, stay.code).status == "confirmed"
    # within a tenant a colliding code is retried
    again = b.create_booking(PETS, StayRequest("dog", date(2026, 12, 5), date(2026, 12, 6)),
                             Customer("C", SAME_PHONE, "en"))
    assert again.code != stay.code
    a.close()
    b.close()
