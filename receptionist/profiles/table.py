"""The restaurant: a table for a party at a time, for a default sitting length, inside the opening
hours of that day. The smallest free table that seats the party is taken; one party per table at a
time. Words: `receptionist/lang/<code>/profile_table.toml` (party-size patterns, reply templates)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Mapping

from receptionist.booking.hours import at_local, iso_utc, today
from receptionist.booking.rules import Plan
from receptionist.config.fields import Section
from receptionist.config.resources import slug, unique_ids
from receptionist.errors import BookingError, ConfigError
from receptionist.profiles.appointment import aware, instant_span, utc_text
from receptionist.profiles.base import (Bookable, DemoBooking, FreeResource, QueryParam, Question, Renderer, Resource,
                                        StaffOption, bookable)
from receptionist.profiles.moves import move_moment, names_new_moment
from receptionist.profiles.table_words import nothing_to_add, party_size

SEARCH_DAYS = 7  # alternatives: free times on the requested day and up to this many days after
NO_NOTES = "-"  # the dietary slot when the caller has nothing to add
_BARE = re.compile(r"^\D*?(\d{1,2})\D*$")


@dataclass(frozen=True, slots=True)
class TableRequest:
    """A table for `party_size` guests from `start` (timezone-aware) for the tenant's sitting length."""

    party_size: int
    start: datetime
    table_id: str | None = None  # None: the smallest free table that seats the party

    @property
    def kind(self) -> str:
        return "table"


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    seats: int


@dataclass(frozen=True, slots=True)
class TableSetup:
    """`[[tenants.tables]]` and `[tenants.table]`: the tables and how long a party keeps one."""

    tables: tuple[Table, ...]
    sitting_min: int = 120

    @property
    def max_party(self) -> int:
        return max(t.seats for t in self.tables)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


@dataclass(frozen=True, slots=True)
class TableProfile:
    name: str = "table"
    resource_kind: str = "table"
    config_keys: tuple[str, ...] = ("tables", "table")
    slot_order: tuple[str, ...] = ("party_size", "date", "time", "guest_name", "dietary", "phone")
    core_slots: frozenset[str] = frozenset({"party_size", "date", "time"})
    default_required: tuple[str, ...] = ("party_size", "date", "time", "guest_name", "dietary", "phone")
    name_slot: str = "guest_name"
    names_a_person: bool = True
    resource_slot: str | None = None
    date_slots: tuple[str, ...] = ("date", "time")
    day_slot: str = "date"
    wire_keys: tuple[str, ...] = ("party", "party_size")
    free_text_slots: tuple[str, ...] = ("dietary",)
    date_shape: str = "moment"
    staff_flags: tuple[StaffOption, ...] = (
        StaffOption("--party", "party", "count", "Table: number of guests.", True),
        StaffOption("--at", "at", "datetime", "Appointment or table: local start time.", True),
        StaffOption("--table", "table",
                    help="Table: table id (default: the smallest free table that seats the party)."),
        StaffOption("--dietary", "dietary", help="Table: dietary notes (allergies, vegan …), as said.",
                    create_only=True))
    query_params: tuple[QueryParam, ...] = (QueryParam("party", "Number of guests (tables)"),
                                            QueryParam("table", "Table id (tables)"))

    # -- configuration ---------------------------------------------------------------------------------

    def parse_config(self, s: Section, languages: tuple[str, ...]) -> Mapping[str, Any]:
        tables = []
        for t in s.sections("tables"):
            t.reject_unknown(("id", "seats"))
            tables.append(Table(slug(t, "id"), t.int("seats", lo=1, hi=50)))
        if not tables:
            raise ConfigError(f"{s.key('tables')} needs at least one [[{s.key('tables')}]] for profile = \"table\"")
        unique_ids(s, "tables", [t.id for t in tables])
        policy = s.section("table")
        policy.reject_unknown(("sitting_min",))
        return {"options": TableSetup(tuple(tables), policy.int("sitting_min", 120, lo=15, hi=8 * 60))}

    def check_config(self, s: Section, tenant: Any) -> None:
        if not any(tenant.hours.days):
            raise ConfigError(f"{s.key('hours')} must list at least one open day (tables are booked in opening hours)")

    def resources(self, tenant: Any) -> tuple[Resource, ...]:
        return tuple(Resource(t.id, self.resource_kind, f"table {t.id} ({t.seats} seats)", t.seats)
                     for t in _setup(tenant).tables)

    def bookables(self, tenant: Any) -> tuple[Bookable, ...]:
        return ()

    def kind_of(self, word: str, lang: str, tenant: Any) -> str | None:
        return None

    def open_on(self, tenant: Any, resource_id: str, day: date) -> bool:
        return tenant.is_open_day(day)

    # -- the calendar ------------------------------------------------------------------------------------

    def plan(self, tenant: Any, req: TableRequest, now: datetime) -> Plan:
        setup = _setup(tenant)
        if not isinstance(req.party_size, int) or req.party_size < 1:
            raise BookingError("a table needs a party of at least one", code="invalid-request")
        if req.party_size > setup.max_party:
            raise BookingError(f"our largest table seats {setup.max_party}", code="too-long")
        if not isinstance(req.start, datetime) or req.start.tzinfo is None:
            raise BookingError("a table's start must be a timezone-aware datetime", code="invalid-date")
        if req.start <= now:
            raise BookingError(f"{req.start.astimezone(tenant.tz):%Y-%m-%d %H:%M} is in the past", code="past-date")
        local = req.start.astimezone(tenant.tz)
        horizon = today(tenant, now) + timedelta(days=tenant.booking_horizon_days)
        if local.date() > horizon:
            raise BookingError(f"{local:%Y-%m-%d} is too far ahead (bookings open until {horizon})", code="invalid-date")
        if not fits_opening(tenant, local, setup.sitting_min):
            raise BookingError(f"{local:%Y-%m-%d %H:%M} is outside the opening hours (or a holiday)", code="closed")
        tables = sorted((t for t in setup.tables if t.seats >= req.party_size), key=lambda t: (t.seats, t.id))
        if req.table_id is not None:
            tables = [t for t in tables if t.id == req.table_id]
            if not tables:
                raise BookingError(f"table {req.table_id!r} does not seat {req.party_size}", code="invalid-request")
        end = req.start + timedelta(minutes=setup.sitting_min)
        return Plan(request=req, kind="table", start_at=iso_utc(req.start), end_at=iso_utc(end),
                    candidates=tuple(t.id for t in tables), capacity=1, price=Decimal("0.00"),
                    details={"party_size": str(req.party_size)})

    def has_room(self, plan: Plan, taken: list[tuple[str, str]]) -> bool:
        return len(taken) < plan.capacity

    def alternatives(self, tenant: Any, request: TableRequest, now: datetime, free: FreeResource,
                     limit: int) -> tuple[TableRequest, ...]:
        """Free times nearest to the one asked, that day or the days after, for the same party."""
        setup = _setup(tenant)
        wanted = request.start.astimezone(tenant.tz)
        options: list[datetime] = []
        for offset in range(SEARCH_DAYS):
            day = wanted.date() + timedelta(days=offset)
            for start in seatings(tenant, day, setup.sitting_min):
                if start != wanted and bookable(self, tenant, TableRequest(request.party_size, start), now, free):
                    options.append(start)
            if len(options) >= limit:
                break
        nearest = sorted(options, key=lambda s: abs((s - wanted).total_seconds()))[:limit]
        return tuple(TableRequest(request.party_size, s) for s in sorted(nearest))

    def list_price(self, tenant: Any, request: TableRequest) -> Decimal:
        return Decimal("0.00")

    def span(self, tenant: Any, start: date | None, end: date | None) -> tuple[str | None, str | None, bool]:
        return instant_span(tenant, start, end)

    def full_message(self) -> str:
        return "no free table for that party at that time"

    def request_from_row(self, row: Mapping[str, Any], tz: Any) -> TableRequest:
        party = int(json.loads(row.get("details_json") or "{}").get("party_size") or 0)
        return TableRequest(party, datetime.fromisoformat(row["start_at"]).astimezone(tz), row["resource_id"])

    def request_to_dict(self, request: TableRequest) -> dict[str, Any]:
        return {"kind": "table", "party_size": request.party_size, "start": request.start.isoformat(),
                "table_id": request.table_id}

    def request_from_dict(self, data: Mapping[str, Any], tz: Any) -> TableRequest:
        party = data.get("party_size", data.get("party"))
        try:
            size = int(party)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise BookingError("a table needs party_size and start", code="invalid-request") from None
        table = data.get("table_id", data.get("table"))
        return TableRequest(size, aware(data.get("start"), tz), str(table) if table else None)

    def availability_query(self, request: TableRequest) -> dict[str, str]:
        query = {"party": str(request.party_size), "start": request.start.isoformat()}
        return query | ({"table": request.table_id} if request.table_id else {})

    def request_fields(self, request: TableRequest) -> dict[str, Any]:
        return {"kind": "table", "party": request.party_size, "start": utc_text(request.start),
                "table": request.table_id}

    def first_day(self, request: TableRequest, tz: Any) -> date:
        return request.start.astimezone(tz).date()

    def last_day(self, request: TableRequest, tz: Any) -> date:
        return request.start.astimezone(tz).date()

    # -- the conversation ----------------------------------------------------------------------------------

    def hear(self, text: str, digits: str, lang: str, tenant: Any) -> Mapping[str, str]:
        size = party_size(digits or text)
        return {"party_size": str(size)} if size else {}

    def fill(self, slots: dict[str, str], heard: Any, asked: str | None, tenant: Any) -> str | None:
        size = heard.extra.get("party_size")
        if size is None and asked == "party_size" and heard.dates.empty and not heard.phone:
            m = _BARE.match(heard.digits or heard.text)
            size = m[1] if m and 1 <= int(m[1]) <= 99 and len(heard.text.split()) <= 4 else None
        if size is not None:
            slots["party_size"] = str(int(size))
        if asked == "dietary" and "dietary" not in slots and not heard.phone and not heard.extra:
            if heard.yes_no is False or nothing_to_add(heard.text):
                slots["dietary"] = NO_NOTES
            elif heard.yes_no is None and len(heard.text.strip()) > 1:
                slots["dietary"] = heard.text.strip()[:200]
        if "date" in slots and "time" in slots:
            slots["time"] = evening(tenant, date.fromisoformat(slots["date"]), slots["time"])
        return None

    def request_from_slots(self, tenant: Any, slots: Mapping[str, str]) -> TableRequest | None:
        if not all(k in slots for k in ("party_size", "date", "time")):
            return None
        start = datetime.combine(date.fromisoformat(slots["date"]), time.fromisoformat(slots["time"]), tzinfo=tenant.tz)
        return TableRequest(int(slots["party_size"]), start, slots.get("table"))

    def slots_for(self, tenant: Any, request: TableRequest) -> dict[str, str]:
        local = request.start.astimezone(tenant.tz)
        patch = {"party_size": str(request.party_size), "date": local.date().isoformat(), "time": local.strftime("%H:%M")}
        if request.table_id:
            patch["table"] = request.table_id
        return patch

    def after_check(self, availability: Any) -> dict[str, str | None]:
        return {}

    def fingerprint(self, request: TableRequest) -> str:
        return f"table:{request.party_size}:{request.start.isoformat()}:{request.table_id or ''}"

    def customer(self, slots: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        details = {"party_size": slots["party_size"]}
        if slots.get("dietary") and slots["dietary"] != NO_NOTES:
            details["dietary"] = slots["dietary"]
        return slots["guest_name"], details

    def ask(self, P: Renderer, tenant: Any, need: str, slots: Mapping[str, str]) -> Question | None:
        if need == "time":
            return Question(P("ask_time", date=P.day(date.fromisoformat(slots["date"]))))
        return None

    def available(self, P: Renderer, tenant: Any, a: Any) -> str:
        local = a.request.start.astimezone(tenant.tz)
        return P("table_available", party=a.request.party_size, date=P.day(local.date()), time=f"{local:%H:%M}")

    def full(self, P: Renderer, tenant: Any, a: Any) -> str:
        local = a.request.start.astimezone(tenant.tz)
        return P("table_full", party=a.request.party_size, date=P.day(local.date()), time=f"{local:%H:%M}")

    def label(self, P: Renderer, tenant: Any, request: TableRequest) -> str:
        local = request.start.astimezone(tenant.tz)
        return f"{P.day_short(local.date())} {local:%H:%M}"

    def summary(self, P: Renderer, tenant: Any, s: Mapping[str, str], price: str, phone: str) -> str:
        notes = s.get("dietary", NO_NOTES)
        return P("summary_table", party=s["party_size"], date=P.day(date.fromisoformat(s["date"])), time=s["time"],
                 name=s["guest_name"], notes=P("table_notes", notes=notes) if notes != NO_NOTES else "",
                 minutes=_setup(tenant).sitting_min, phone=phone)

    def booking_summary(self, P: Renderer, tenant: Any, booking: Any) -> str:
        local = booking.request.start.astimezone(tenant.tz)
        return P("table_booking", party=booking.request.party_size, date=P.day(local.date()), time=f"{local:%H:%M}")

    def describe_change(self, P: Renderer, tenant: Any, request: TableRequest) -> str:
        local = request.start.astimezone(tenant.tz)
        return P("table_booking", party=request.party_size, date=P.day(local.date()), time=f"{local:%H:%M}")

    def moved(self, tenant: Any, request: TableRequest, dates: Any) -> TableRequest | None:
        return move_moment(self, tenant, request, dates)

    def names_new_time(self, tenant: Any, request: TableRequest, dates: Any) -> bool:
        return names_new_moment(tenant, request, dates)

    def price_list(self, P: Renderer, tenant: Any) -> list[str]:
        return [P("table_free_of_charge")]

    def hours_notes(self, P: Renderer, tenant: Any) -> list[str]:
        return [P("table_sitting", minutes=_setup(tenant).sitting_min)]

    def too_long(self, P: Renderer, tenant: Any) -> str | None:
        return P("table_party_too_large", max=_setup(tenant).max_party)

    def business(self, tenant: Any) -> str:
        return "a restaurant (table bookings for a party at a time)"

    # -- staff ---------------------------------------------------------------------------------------------

    def staff_describe(self, tenant: Any, request: TableRequest) -> str:
        where = f" at table {request.table_id}" if request.table_id else ""
        return f"{request.party_size} guests {request.start.astimezone(tenant.tz):%Y-%m-%d %H:%M}{where}"

    def staff_request(self, tenant: Any, given: Mapping[str, Any]) -> TableRequest:
        return self.request_from_dict({"party_size": given["party"], "start": given["at"].isoformat(),
                                       "table_id": given.get("table")}, tenant.tz)

    def staff_move(self, tenant: Any, current: TableRequest, given: Mapping[str, Any]) -> TableRequest | None:
        """The new time (--at) is needed; the table is chosen anew unless named."""
        if not given.get("at"):
            return None
        return self.request_from_dict({"party_size": given.get("party") or current.party_size,
                                       "start": given["at"].isoformat(), "table_id": given.get("table")}, tenant.tz)

    def staff_details(self, request: TableRequest, given: Mapping[str, Any]) -> dict[str, str]:
        return {"dietary": given["dietary"]} if given.get("dietary") else {}

    def demo(self, tenant: Any, first_day: date, now: datetime) -> tuple[DemoBooking, ...]:
        sitting = _setup(tenant).sitting_min
        made = []
        for offset, party, seating, guest, phone, lang, notes in _DEMO:
            days = [first_day + timedelta(days=offset + shift) for shift in range(7)]  # slide past closed days
            starts = [s[seating % len(s)] for s in (seatings(tenant, d, sitting) for d in days) if s]
            made.append(DemoBooking(tuple(TableRequest(party, s) for s in starts if s > now), guest, phone, lang,
                                    {"party_size": str(party), **({"dietary": notes} if notes else {})}))
        return tuple(made)


_DEMO = [  # (days from today, party, seating index, guest, phone, language, dietary notes)
    (1, 4, 4, "Kati Kask", "+372 5123 4567", "et", ""),
    (1, 2, 6, "Olga Ivanova", "+372 5234 5678", "ru", "vegetarian"),
    (2, 6, 2, "John Smith", "+372 5345 6789", "en", "one nut allergy"),
    (4, 3, 5, "Mart Tamm", "+372 5456 7890", "et", ""),
    (6, 2, 1, "Ivan Petrov", "+372 5678 9012", "ru", ""),
]


def _setup(tenant: Any) -> TableSetup:
    if not isinstance(tenant.options, TableSetup):
        raise BookingError(f"{tenant.name} does not take table bookings", code="invalid-request")
    return tenant.options


def fits_opening(tenant: Any, local: datetime, sitting_min: int) -> bool:
    """Whether [local, local + sitting) lies inside one opening interval of that day (not a holiday)."""
    if tenant.is_closure(local.date()):
        return False
    end = local + timedelta(minutes=sitting_min)
    if end.date() != local.date():
        return False
    start_t, end_t = local.time().replace(tzinfo=None), end.time().replace(tzinfo=None)
    return any(iv.contains(start_t, end_t) for iv in tenant.hours.on(local.weekday()))


def seatings(tenant: Any, day: date, sitting_min: int) -> list[datetime]:
    """Start times offered on `day`: every slot_step_min from opening while the sitting still fits."""
    if not tenant.is_open_day(day):
        return []
    step, length = timedelta(minutes=tenant.slot_step_min), timedelta(minutes=sitting_min)
    starts: list[datetime] = []
    for iv in tenant.hours.on(day.weekday()):
        t, end = at_local(tenant, day, iv.start), at_local(tenant, day, iv.end)
        while t + length <= end:
            starts.append(t)
            t += step
    return starts


def evening(tenant: Any, day: date, hhmm: str) -> str:
    """"At seven" is 19:00 when 7:00 is not in the opening hours and 19:00 is (restaurants open late)."""
    at = time.fromisoformat(hhmm)
    if at.hour >= 12 or not tenant.hours.on(day.weekday()):
        return hhmm
    later = time(at.hour + 12, at.minute)
    inside = [iv for iv in tenant.hours.on(day.weekday()) if iv.start <= at < iv.end]
    if not inside and any(iv.start <= later < iv.end for iv in tenant.hours.on(day.weekday())):
        return later.strftime("%H:%M")
    return hhmm


PROFILE = TableProfile()
