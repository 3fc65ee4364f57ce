"""A demo calendar: a handful of bookings over the next weeks. Idempotent (skips if already seeded)."""

from __future__ import annotations

from datetime import timedelta

from receptionist.booking.hours import slot_starts, today
from receptionist.booking.models import AppointmentRequest, Booking, Customer, StayRequest
from receptionist.booking.service import CalendarService
from receptionist.errors import BookingError

DEMO_CHANNEL = "demo"

_PETS = [  # (days from today, nights, room type index, pet, owner, phone, language)
    (1, 3, 0, ("Rex", "dog"), "Kati Kask", "+372 5123 4567", "et"),
    (2, 5, 1, ("Muri", "cat"), "Olga Ivanova", "+372 5234 5678", "ru"),
    (4, 2, 0, ("Bella", "dog"), "John Smith", "+372 5345 6789", "en"),
    (7, 7, 0, ("Max", "dog"), "Mart Tamm", "+372 5456 7890", "et"),
    (10, 4, 1, ("Liisu", "cat"), "Liis Saar", "+372 5567 8901", "et"),
    (15, 2, 0, ("Sharik", "dog"), "Ivan Petrov", "+372 5678 9012", "ru"),
]
_PATIENTS = [  # (days from today, service index, slot index, patient, phone, language)
    (1, 0, 2, "Mari Mets", "+372 5123 4567", "et"),
    (1, 1, 5, "Sergei Orlov", "+372 5234 5678", "ru"),
    (2, 2, 0, "Emma Brown", "+372 5345 6789", "en"),
    (3, 3, 1, "Peeter Kukk", "+372 5456 7890", "et"),
    (6, 0, 8, "Anna Lepp", "+372 5567 8901", "et"),
    (9, 1, 3, "Natalia Sokolova", "+372 5678 9012", "ru"),
]


def seed_demo(calendar: CalendarService, tenant_id: str) -> list[Booking]:
    """Create the demo bookings for a tenant; returns [] when demo bookings already exist."""
    existing = calendar.list_bookings(tenant_id)  # BookingError unknown-tenant first
    if any(b.channel == DEMO_CHANNEL for b in existing):
        return []
    tenant = calendar.config.tenant(tenant_id)
    base = today(tenant, calendar.clock.now())
    made: list[Booking] = []
    if tenant.profile == "stay":
        for offset, nights, room_index, (pet, kind), owner, phone, lang in _PETS:
            room = tenant.room_types[room_index % len(tenant.room_types)]
            language = lang if lang in tenant.languages else tenant.default_language
            for shift in range(7):  # slide past closed days
                start = base + timedelta(days=offset + shift)
                try:
                    made.append(calendar.create_booking(
                        tenant.id, StayRequest(room.id, start, start + timedelta(days=nights)),
                        Customer(owner, phone, language), details={"pet_name": pet, "pet_type": kind},
                        channel=DEMO_CHANNEL))
                    break
                except BookingError:
                    continue
        return made
    if not tenant.services:  # demo bookings exist for the pet hotel and the clinic only
        return made
    for offset, service_index, slot_index, patient, phone, lang in _PATIENTS:
        service = tenant.services[service_index % len(tenant.services)]
        language = lang if lang in tenant.languages else tenant.default_language
        for shift in range(7):
            day = base + timedelta(days=offset + shift)
            starts = sorted({s for p in tenant.practitioners_for(service.id)
                             for s in slot_starts(tenant, p, day, service.duration_min)})
            if not starts:
                continue
            start = starts[slot_index % len(starts)]
            if start <= calendar.clock.now():
                continue
            try:
                made.append(calendar.create_booking(
                    tenant.id, AppointmentRequest(service.id, start), Customer(patient, phone, language),
                    channel=DEMO_CHANNEL))
                break
            except BookingError:
                continue
    return made
