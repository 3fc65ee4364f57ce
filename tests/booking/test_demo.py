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
