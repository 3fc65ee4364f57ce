"""Calendar values: what callers ask for and what the calendar answers. Frozen, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Mapping

BookingStatus = Literal["held", "confirmed", "cancelled"]
CallbackStatus = Literal["open", "done"]
STATUSES: tuple[str, ...] = ("held", "confirmed", "cancelled")
ACTIVE_STATUSES: tuple[str, ...] = ("held", "confirmed")


@dataclass(frozen=True, slots=True)
class StayRequest:
    """Overnight stay of one pet in a room type, check-in date `start`, check-out date `end`."""

    resource_type: str  # room type id, e.g. "dog"
    start: date
    end: date

    @property
    def nights(self) -> int:
        return (self.end - self.start).days

    @property
    def kind(self) -> str:
        return "stay"


@dataclass(frozen=True, slots=True)
class AppointmentRequest:
    service_id: str
    start: datetime  # timezone-aware
    practitioner_id: str | None = None  # None: any practitioner offering the service

    @property
    def kind(self) -> str:
        return "appointment"


Request = StayRequest | AppointmentRequest


@dataclass(frozen=True, slots=True)
class Availability:
    request: Request
    available: bool
    price: Decimal
    currency: str
    resource_id: str | None  # room type / practitioner that would be booked
    alternatives: tuple[Request, ...] = ()  # nearest free options when not available (at most 3)
    reason: str | None = None  # error code when not available: "full" | "closed"


@dataclass(frozen=True, slots=True)
class Customer:
    name: str
    phone: str  # as typed / heard; the calendar stores E.164
    language: str


@dataclass(frozen=True, slots=True)
class Booking:
    code: str  # "BK-482913" (older ones "BK-4521"), unique per tenant
    tenant_id: str
    status: BookingStatus
    request: Request  # appointments carry the booked practitioner_id
    resource_id: str
    customer_name: str
    phone: str  # E.164
    language: str
    price: Decimal
    currency: str
    details: Mapping[str, str] = field(default_factory=dict)  # e.g. pet_name, pet_type
    channel: str = "cli"
    created_at: datetime | None = None
    hold_expires_at: datetime | None = None

    @property
    def kind(self) -> str:
        return self.request.kind


@dataclass(frozen=True, slots=True)
class Callback:
    id: int
    tenant_id: str
    phone: str  # E.164
    name: str | None
    reason: str
    language: str
    status: CallbackStatus
    created_at: datetime
    conversation_id: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OccupancyRow:
    """One resource across the viewed days: rooms taken per night, or appointments per day."""

    resource_id: str
    label: str
    capacity: int | None  # rooms of this type; None for practitioners
    counts: tuple[int, ...]
    open: tuple[bool, ...]  # bookable that day (reception / practitioner hours, closures)


@dataclass(frozen=True, slots=True)
class Occupancy:
    tenant_id: str
    start: date
    days: tuple[date, ...]
    rows: tuple[OccupancyRow, ...]
