from __future__ import annotations

from receptionist.booking.demo import DEMO_CHANNEL, seed_demo


def test_demo_calendar_is_seeded_once_for_both_profiles(two_calendar):
    for tenant_id in ("pawsome", "kesklinna"):
        made = seed_demo(two_calendar, tenant_id)
        assert len(made) >= 5 and all(b.channel == DEMO_CHANNEL and b.status == "confirmed" for b in made)
        assert seed_demo(two_calendar, tenant_id) == []
        assert len(two_calendar.list_bookings(tenant_id)) == len(made)
    pets = two_calendar.list_bookings("pawsome")
    assert all(b.details.get("pet_name") for b in pets)


def test_a_restaurant_gets_demo_tables_inside_its_opening_hours(db_path, clock):
    """Demo data is the profile's (BusinessProfile.demo): the third profile has its own, unchanged seeding code."""
    import random

    from receptionist.booking.service import CalendarService
    from receptionist.config import load_config
    from receptionist.profiles.table import fits_opening
    from tests.conftest import REPO

    config = load_config(REPO / "examples/restaurant.toml")
    calendar = CalendarService(db_path, config, clock, rng=random.Random(7))
    try:
        tenant = config.default_tenant
        made = seed_demo(calendar, tenant.id)
        assert len(made) >= 4 and seed_demo(calendar, tenant.id) == []
    finally:
        calendar.close()
    assert all(int(b.details["party_size"]) == b.request.party_size and b.request.start > clock.now() for b in made)
    assert all(fits_opening(tenant, b.request.start.astimezone(tenant.tz), tenant.options.sitting_min) for b in made)
    assert any(b.details.get("dietary") for b in made)
