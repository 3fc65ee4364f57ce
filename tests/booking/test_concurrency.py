"""50 simultaneous attempts on the last free room / slot, each thread with its own connection."""

from __future__ import annotations

import threading
from datetime import date

from receptionist.booking.db import connect
from receptionist.booking.models import AppointmentRequest, StayRequest
from receptionist.booking.service import CalendarService
from receptionist.errors import BookingError
from tests.booking.conftest import customer, fill, local

ATTEMPTS = 50


def race(db_path, config, clock, tenant_id, request) -> tuple[list, list[str]]:
    calendars = [CalendarService(connect(db_path), config, clock) for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)
    booked, errors = [], []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            result = calendars[n].create_booking(tenant_id, request, customer(n % 60), channel="web")
            with lock:
                booked.append(result)
        except BookingError as exc:
            with lock:
                errors.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for c in calendars:
        c.close()
    return booked, errors


def test_last_room_goes_to_exactly_one_caller(pet_calendar, db_path, pet_config, clock):
    request = StayRequest("dog", date(2026, 12, 1), date(2026, 12, 4))
    fill(pet_calendar, "pawsome", request, 5)
    booked, errors = race(db_path, pet_config, clock, "pawsome", request)
    assert len(booked) == 1 and errors == ["full"] * (ATTEMPTS - 1)
    assert len(pet_calendar.list_bookings("pawsome", status="confirmed")) == 6


def test_last_slot_goes_to_exactly_one_caller(clinic_calendar, db_path, clinic_config, clock):
    request = AppointmentRequest("checkup", local(2026, 12, 1, 10))  # only dr-tamm works on Tuesdays
    booked, errors = race(db_path, clinic_config, clock, "kesklinna", request)
    assert len(booked) == 1 and errors == ["full"] * (ATTEMPTS - 1)
    assert len(clinic_calendar.list_bookings("kesklinna")) == 1
