"""The pet hotel: overnight stays of a pet in a room type, priced per night, with check-in and
check-out on open reception days. Capacity is counted per night."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Mapping

from receptionist.booking.hours import today
from receptionist.booking.models import Availability, Booking, StayRequest
from receptionist.booking.rules import Plan
from receptionist.config.fields import Section
from receptionist.config.resources import parse_room_type, parse_stay_policy, unique_ids
from receptionist.errors import BookingError, ConfigError
from receptionist.profiles.base import (Bookable, DemoBooking, FreeResource, QueryParam, Question, Renderer, Resource,
                                        StaffOption, bookable)
from receptionist.profiles.moves import bare_shift

SHIFT_DAYS = 14  # alternatives: the same stay shifted up to this many days either way


@dataclass(frozen=True, slots=True)
class StayProfile:
    name: str = "stay"
    resource_kind: str = "room_type"
    config_keys: tuple[str, ...] = ("stay", "room_types")
    slot_order: tuple[str, ...] = ("pet_type", "start_date", "end_date", "pet_name", "phone")
    core_slots: frozenset[str] = frozenset({"pet_type", "start_date", "end_date"})
    default_required: tuple[str, ...] = ("pet_name", "pet_type", "start_date", "end_date", "phone")
    name_slot: str = "pet_name"
    names_a_person: bool = False
    resource_slot: str | None = "pet_type"
    date_slots: tuple[str, ...] = ("start_date", "end_date")
    day_slot: str = "start_date"
    wire_keys: tuple[str, ...] = ("resource_type", "room_type")
    free_text_slots: tuple[str, ...] = ()
    date_shape: str = "range"
    staff_flags: tuple[StaffOption, ...] = (
        StaffOption("--room-type", "room_type", help="Stay: room type id, e.g. dog.", required=True),
        StaffOption("--from", "start", "date", "Stay: check-in date (YYYY-MM-DD).", True),
        StaffOption("--to", "end", "date", "Stay: check-out date (YYYY-MM-DD).", True),
        StaffOption("--pet-name", "pet_name", help="Stay: the pet's name.", create_only=True),
        StaffOption("--pet-type", "pet_type", help="Stay: dog, cat … (default: the room type).", create_only=True))
    query_params: tuple[QueryParam, ...] = (QueryParam("room_type", "Room type id (stays)"),
                                            QueryParam("end", "Check-out date (stays)", "date"))

    # -- configuration ---------------------------------------------------------------------------------

    def parse_config(self, s: Section, languages: tuple[str, ...]) -> Mapping[str, Any]:
        rooms = tuple(parse_room_type(r, languages) for r in s.sections("room_types"))
        if not rooms:
            raise ConfigError(f"{s.key('room_types')} needs at least one [[{s.key('room_types')}]] "
                              "for profile = \"stay\"")
        unique_ids(s, "room_types", [r.id for r in rooms])
        return {"stay": parse_stay_policy(s.section("stay")), "room_types": rooms}

    def check_config(self, s: Section, tenant: Any) -> None:
        if not any(tenant.hours.days):
            raise ConfigError(f"{s.key('hours')} must list at least one open day (check-in/out need reception hours)")

    def resources(self, tenant: Any) -> tuple[Resource, ...]:
        return tuple(Resource(r.id, self.resource_kind, r.name(tenant.default_language), r.capacity)
                     for r in tenant.room_types)

    def bookables(self, tenant: Any) -> tuple[Bookable, ...]:
        return tuple(Bookable(r.id, r.names, r.aliases) for r in tenant.room_types)

    def open_on(self, tenant: Any, resource_id: str, day: date) -> bool:
        return tenant.is_open_day(day)

    def kind_of(self, word: str, lang: str, tenant: Any) -> str | None:
        from receptionist.agent.extract import pet_type  # the shared pet words (lang/<code>/choices.toml)

        kind = pet_type(word, lang)
        return kind if kind is not None and tenant.room_type(kind) is not None else None

    # -- the calendar ------------------------------------------------------------------------------------

    def plan(self, tenant: Any, req: StayRequest, now: datetime) -> Plan:
        if tenant.profile != "stay" or tenant.stay is None:
            raise BookingError(f"{tenant.name} takes appointments, not stays", code="invalid-request")
        room = tenant.room_type(req.resource_type)
        if room is None:
            known = ", ".join(r.id for r in tenant.room_types)
            raise BookingError(f"unknown room type {req.resource_type!r} (known: {known})", code="invalid-request")
        if not isinstance(req.start, date) or not isinstance(req.end, date) \
                or isinstance(req.start, datetime) or isinstance(req.end, datetime):
            raise BookingError("stay dates must be dates", code="invalid-date")
        if req.end <= req.start:
            raise BookingError(f"check-out {req.end} must be after check-in {req.start}", code="invalid-date")
        local_today = today(tenant, now)
        if req.start < local_today:
            raise BookingError(f"check-in {req.start} is in the past (today is {local_today})", code="past-date")
        if req.nights > tenant.stay.max_nights:
            raise BookingError(f"{req.nights} nights is more than the maximum of {tenant.stay.max_nights}",
                               code="invalid-date")
        horizon = local_today + timedelta(days=tenant.booking_horizon_days)
        if req.start > horizon:
            raise BookingError(f"check-in {req.start} is too far ahead (bookings open until {horizon})",
                               code="invalid-date")
        for label, day in (("check-in", req.start), ("check-out", req.end)):
            if not tenant.is_open_day(day):
                why = "a holiday" if tenant.is_closure(day) else "a day we are closed"
                raise BookingError(f"{label} day {day} is {why}", code="closed")
        return Plan(request=req, kind="stay", start_at=req.start.isoformat(), end_at=req.end.isoformat(),
                    candidates=(room.id,), capacity=room.capacity, price=room.price_per_night * req.nights)

    def has_room(self, plan: Plan, taken: list[tuple[str, str]]) -> bool:
        """Every night has fewer bookings than rooms."""
        per_night: Counter[str] = Counter()
        for night in plan.nights():
            per_night[night] = sum(1 for s, e in taken if s <= night < e)
        return max(per_night.values(), default=0) < plan.capacity

    def alternatives(self, tenant: Any, request: StayRequest, now: datetime, free: FreeResource,
                     limit: int) -> tuple[StayRequest, ...]:
        """Stays of the same length and room type, shifted 1, -1, 2, -2 … days."""
        found: list[StayRequest] = []
        for distance in range(1, SHIFT_DAYS + 1):
            for shift in (distance, -distance):
                candidate = StayRequest(request.resource_type, request.start + timedelta(days=shift),
                                        request.end + timedelta(days=shift))
                if bookable(self, tenant, candidate, now, free):
                    found.append(candidate)
                    if len(found) == limit:
                        return tuple(found)
        return tuple(found)

    def list_price(self, tenant: Any, request: StayRequest) -> Decimal:
        return tenant.room_type(request.resource_type).price_per_night * request.nights

    def span(self, tenant: Any, start: date | None, end: date | None) -> tuple[str | None, str | None, bool]:
        return (start.isoformat() if start else None, end.isoformat() if end else None, True)

    def full_message(self) -> str:
        return "no free room of that type for those nights"

    def request_from_row(self, row: Mapping[str, Any], tz: Any) -> StayRequest:
        return StayRequest(row["resource_id"], date.fromisoformat(row["start_at"]), date.fromisoformat(row["end_at"]))

    def request_to_dict(self, request: StayRequest) -> dict[str, Any]:
        return {"kind": "stay", "resource_type": request.resource_type, "start": request.start.isoformat(),
                "end": request.end.isoformat(), "nights": request.nights}

    def request_from_dict(self, data: Mapping[str, Any], tz: Any) -> StayRequest:
        room = data.get("resource_type", data.get("room_type"))
        if not isinstance(room, str) or not room:
            raise BookingError("a stay needs room_type, start and end", code="invalid-request")
        return StayRequest(room, _date(data.get("start")), _date(data.get("end")))

    def availability_query(self, request: StayRequest) -> dict[str, str]:
        return {"room_type": request.resource_type, "start": request.start.isoformat(), "end": request.end.isoformat()}

    def request_fields(self, request: StayRequest) -> dict[str, Any]:
        return {"kind": "stay", "room_type": request.resource_type, "start": request.start.isoformat(),
                "end": request.end.isoformat()}

    def first_day(self, request: StayRequest, tz: Any) -> date:
        return request.start

    def last_day(self, request: StayRequest, tz: Any) -> date:
        return request.end

    # -- the conversation ----------------------------------------------------------------------------------

    def hear(self, text: str, digits: str, lang: str, tenant: Any) -> Mapping[str, str]:
        return {}

    def fill(self, slots: dict[str, str], heard: Any, asked: str | None, tenant: Any) -> str | None:
        return None

    def request_from_slots(self, tenant: Any, slots: Mapping[str, str]) -> StayRequest | None:
        if not all(k in slots for k in ("pet_type", "start_date", "end_date")):
            return None
        return StayRequest(slots["pet_type"], date.fromisoformat(slots["start_date"]),
                           date.fromisoformat(slots["end_date"]))

    def slots_for(self, tenant: Any, request: StayRequest) -> dict[str, str]:
        return {"pet_type": request.resource_type, "start_date": request.start.isoformat(),
                "end_date": request.end.isoformat()}

    def after_check(self, availability: Availability) -> dict[str, str | None]:
        return {}

    def fingerprint(self, request: StayRequest) -> str:
        return f"stay:{request.resource_type}:{request.start}:{request.end}"

    def customer(self, slots: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        return slots.get("owner_name") or slots["pet_name"], {"pet_name": slots["pet_name"], "pet_type": slots["pet_type"]}

    def ask(self, P: Renderer, tenant: Any, need: str, slots: Mapping[str, str]) -> Question | None:
        if need == "pet_type":
            return Question(P("ask_pet_type"), tuple(r.name(P.lang) for r in tenant.room_types))
        if need == "pet_name":
            return Question(P("ask_pet_name", pet=P.pet_type(slots.get("pet_type", ""))))
        return None

    def available(self, P: Renderer, tenant: Any, a: Availability) -> str:
        r = a.request
        return P("stay_available", room=_room(P, tenant, r.resource_type), start=P.day(r.start), end=P.day(r.end),
                 nights=P.nights(r.nights), price=P.price(a.price, a.currency))

    def full(self, P: Renderer, tenant: Any, a: Availability) -> str:
        r = a.request
        return P("stay_full", room=_room(P, tenant, r.resource_type), start=P.day(r.start), end=P.day(r.end))

    def label(self, P: Renderer, tenant: Any, request: StayRequest) -> str:
        return f"{P.day_short(request.start)} – {P.day_short(request.end)}"

    def summary(self, P: Renderer, tenant: Any, s: Mapping[str, str], price: str, phone: str) -> str:
        start, end = date.fromisoformat(s["start_date"]), date.fromisoformat(s["end_date"])
        stay = tenant.stay
        return P("summary_stay", room=_room(P, tenant, s["pet_type"]), name=s["pet_name"], start=P.day(start),
                 end=P.day(end), nights=P.nights((end - start).days), price=price,
                 check_in=f"{stay.check_in:%H:%M}" if stay else "", check_out=f"{stay.check_out:%H:%M}" if stay else "",
                 phone=phone)

    def booking_summary(self, P: Renderer, tenant: Any, booking: Booking) -> str:
        req = booking.request
        pet = booking.details.get("pet_name", "")
        return (f"{_room(P, tenant, req.resource_type)}, {pet}, "
                f"{P.day_short(req.start)} – {P.day_short(req.end)}, {P.nights(req.nights)}")

    def describe_change(self, P: Renderer, tenant: Any, request: StayRequest) -> str:
        return f"{P.day(request.start)} – {P.day(request.end)}, {P.nights(request.nights)}"

    def moved(self, tenant: Any, req: StayRequest, d: Any) -> StayRequest | None:
        """A stay keeps its length unless the caller gives both ends or a number of nights."""
        room = req.resource_type
        as_booked = d.start in (None, req.start) and d.end in (None, req.end) and d.single in (None, req.start)
        if d.more_nights and d.nights and as_booked:  # "two more nights"; "it's 5-8, could she stay two days longer?"
            return StayRequest(room, req.start, req.end + timedelta(days=d.nights))
        if d.fewer_nights and d.nights and as_booked:  # "one night less"
            end = req.end - timedelta(days=d.nights)
            return StayRequest(room, req.start, end) if end > req.start else None
        if d.keep_end and (start := d.start or d.single) and start < req.end and not d.end:
            return StayRequest(room, start, req.end)  # "a day later, on the 6th - same pick-up day"
        if shift := bare_shift(d):  # "two days later": the same stay, moved
            return StayRequest(room, req.start + shift, req.end + shift)
        if d.shift and d.single and d.single == req.end + timedelta(days=d.shift) and d.single > req.start:
            return StayRequest(room, req.start, d.single)  # "collect him two days earlier, the 14th"
        if d.start and d.end and d.start == req.start:  # "move it from the 10th to the 12th"
            return StayRequest(room, d.end, d.end + timedelta(days=req.nights))
        if d.start and d.end:
            return StayRequest(room, d.start, d.end)
        if start := d.start or d.single:
            return StayRequest(room, start, start + timedelta(days=d.nights or req.nights))
        if d.end and d.end > req.start:
            return StayRequest(room, req.start, d.end)
        if d.nights:
            return StayRequest(room, req.start, req.start + timedelta(days=d.nights))
        return None

    def names_new_time(self, tenant: Any, req: StayRequest, d: Any) -> bool:
        said = {x for x in (d.start, d.single) if x is not None}
        return bool(said or d.end) and (req.start not in said or d.end is not None)

    def price_list(self, P: Renderer, tenant: Any) -> list[str]:
        return [P("price_item_stay", room=r.name(P.lang), price=P.price(r.price_per_night, tenant.currency))
                for r in tenant.room_types]

    def hours_notes(self, P: Renderer, tenant: Any) -> list[str]:
        if tenant.stay is None:
            return []
        return [P("check_times", check_in=f"{tenant.stay.check_in:%H:%M}", check_out=f"{tenant.stay.check_out:%H:%M}")]

    def too_long(self, P: Renderer, tenant: Any) -> str | None:
        return P("too_long", max=tenant.stay.max_nights) if tenant.stay is not None else None

    def business(self, tenant: Any) -> str:
        return "a hotel for dogs and cats (overnight stays)"

    # -- staff ---------------------------------------------------------------------------------------------

    def staff_describe(self, tenant: Any, request: StayRequest) -> str:
        return f"{request.resource_type} {request.start} → {request.end} ({request.nights} nights)"

    def staff_request(self, tenant: Any, given: Mapping[str, Any]) -> StayRequest:
        return self.request_from_dict({"room_type": given["room_type"], "start": given["start"].isoformat(),
                                       "end": given["end"].isoformat()}, tenant.tz)

    def staff_move(self, tenant: Any, current: StayRequest, given: Mapping[str, Any]) -> StayRequest:
        """Unchanged parts are kept: a stay moved with only --from keeps its number of nights."""
        start = given.get("start") or current.start
        end = given.get("end") or start + timedelta(days=current.nights)
        return StayRequest(given.get("room_type") or current.resource_type, start, end)

    def staff_details(self, request: StayRequest, given: Mapping[str, Any]) -> dict[str, str]:
        details = {"pet_name": given.get("pet_name") or "", "pet_type": given.get("pet_type") or request.resource_type}
        return {k: v for k, v in details.items() if v}

    def demo(self, tenant: Any, first_day: date, now: datetime) -> tuple[DemoBooking, ...]:
        made = []
        for offset, nights, room_index, (pet, kind), owner, phone, lang in _DEMO:
            room = tenant.room_types[room_index % len(tenant.room_types)].id
            starts = [first_day + timedelta(days=offset + shift) for shift in range(7)]  # slide past closed days
            made.append(DemoBooking(tuple(StayRequest(room, s, s + timedelta(days=nights)) for s in starts),
                                    owner, phone, lang, {"pet_name": pet, "pet_type": kind}))
        return tuple(made)


_DEMO = [  # (days from today, nights, room type index, pet, owner, phone, language)
    (1, 3, 0, ("Rex", "dog"), "Kati Kask", "+372 5123 4567", "et"),
    (2, 5, 1, ("Muri", "cat"), "Olga Ivanova", "+372 5234 5678", "ru"),
    (4, 2, 0, ("Bella", "dog"), "John Smith", "+372 5345 6789", "en"),
    (7, 7, 0, ("Max", "dog"), "Mart Tamm", "+372 5456 7890", "et"),
    (10, 4, 1, ("Liisu", "cat"), "Liis Saar", "+372 5567 8901", "et"),
    (15, 2, 0, ("Sharik", "dog"), "Ivan Petrov", "+372 5678 9012", "ru"),
]


def _room(P: Renderer, tenant: Any, room_id: str) -> str:
    room = tenant.room_type(room_id)
    return room.name(P.lang) if room else room_id


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise BookingError("invalid request dates: dates must be YYYY-MM-DD strings", code="invalid-date")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise BookingError(f"invalid request dates: {exc}", code="invalid-date") from None


PROFILE = StayProfile()
