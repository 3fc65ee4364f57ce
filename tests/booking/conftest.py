from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from receptionist.booking.models import Customer
from receptionist.errors import BookingError

TALLINN = ZoneInfo("Europe/Tallinn")


def customer(n: int = 0, language: str = "en", name: str | None = None) -> Customer:
    return Customer(name or f"Owner {n}", f"+372 51{n:02d} {n:04d}", language)


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TALLINN)


def fill(calendar, tenant_id: str, request, count: int, *, first: int = 0) -> list:
    return [calendar.create_booking(tenant_id, request, customer(first + i)) for i in range(count)]


def error_code(fn, *args, **kwargs) -> str:
    with pytest.raises(BookingError) as info:
        fn(*args, **kwargs)
    return info.value.code
