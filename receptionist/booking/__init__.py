"""The local SQLite calendar: availability, prices, bookings, customers, callbacks."""

from receptionist.booking.db import connect, open_calendar, sync_tenants
from receptionist.booking.migrations import MIGRATIONS, Migration, migrate
from receptionist.booking.models import (
    AppointmentRequest, Availability, Booking, Callback, Customer, Occupancy, OccupancyRow, Request, StayRequest,
)
from receptionist.booking.phones import normalize_phone
from receptionist.booking.service import CalendarService

__all__ = [
    "MIGRATIONS", "AppointmentRequest", "Availability", "Booking", "CalendarService", "Callback", "Customer",
    "Migration", "Occupancy", "OccupancyRow", "Request", "StayRequest", "connect", "migrate", "normalize_phone",
    "open_calendar", "sync_tenants",
]
