"""The restaurant profile's calendar (examples/restaurant.toml): the smallest free table that seats the
party, sittings inside one opening interval, alternatives for the same party, party sizes read in en/et/ru."""

from __future__ import annotations

import random

import pytest

from receptionist.booking.service import CalendarService
from receptionist.config.app import load_config
from receptionist.profiles.table import TableRequest, evening, party_size
from tests.booking.conftest import customer, error_code, local
from tests.conftest import REPO


@pytest.fixture
def tables(db_path, clock):
    config = load_config(REPO / "examples/restaurant.toml")
    calendar = CalendarService(db_path, config, clock, rng=random.Random(7))
    yield calendar
    calendar.close()


def test_the_smallest_free_table_that_seats_the_party_is_taken(tables):
    at = local(2026, 12, 1, 19)
    made = [tables.create_booking("kolm-kokka", TableRequest(3, at), customer(i)).resource_id for i in range(4)]
    assert made == ["t3", "t4", "t5", "t6"]
    assert error_code(tables.create_booking, "kolm-kokka", TableRequest(3, at), customer(9)) == "full"
    assert tables.check_availability("kolm-kokka", TableRequest(2, local(2026, 12, 1, 20))).resource_id == "t1"


def test_a_sitting_fits_one_opening_interval_and_alternatives_keep_the_party(tables):
    lunch_overrun = tables.check_availability("kolm-kokka", TableRequest(2, local(2026, 12, 1, 14)))
    assert (lunch_overrun.available, lunch_overrun.reason) == (False, "closed")  # 14:00 + 2 h crosses 15:00
    assert all(alt.party_size == 2 for alt in lunch_overrun.alternatives) and lunch_overrun.alternatives
    monday = tables.check_availability("kolm-kokka", TableRequest(2, local(2026, 11, 30, 19)))
    assert monday.reason == "closed" and monday.alternatives[0].start.date().isoformat() == "2026-12-01"
    assert error_code(tables.check_availability, "kolm-kokka", TableRequest(9, local(2026, 12, 1, 19))) == "too-long"


@pytest.mark.parametrize("said,size", [
    ("table for 4 tomorrow at 7", 4), ("we are 5, Thursday", 5), ("a party of 6", 6), ("2 people at 8", 2),
    ("laud 4 homme kell 7", 4), ("lauda 2 inimesele", 2), ("meid on 3", 3),
    ("столик на 4 завтра в 7", 4), ("нас будет 5", 5), ("на 6 человек", 6),
    ("a room from the 10th to the 12th", None), ("на 4 декабря в 19", None),
])
def test_party_size_is_read_from_the_words(said, size):
    assert party_size(said) == size


def test_a_bare_evening_hour_is_read_as_the_evening_when_the_morning_is_closed():
    tenant = load_config(REPO / "examples/restaurant.toml").default_tenant
    day = local(2026, 12, 1, 0).date()  # a Tuesday: 12-15 and 17-22
    assert (evening(tenant, day, "07:00"), evening(tenant, day, "12:30"), evening(tenant, day, "20:00")) == (
        "19:00", "12:30", "20:00")
