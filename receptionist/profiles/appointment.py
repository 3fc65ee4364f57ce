"""The clinic: timed appointments for a service with a practitioner who offers it, inside the
practitioner's working hours (breaks are gaps between intervals). One appointment per practitioner
at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Mapping

from receptionist.booking.hours import at_local, fits_hours, iso_utc, slot_starts, today, works_on
from receptionist.booking.models import AppointmentRequest, Availability, Booking
from receptionist.booking.rules import Plan
from receptionist.config.fields import Section
from receptionist.config.resources import parse_practitioner, parse_service, unique_ids
from receptionist.errors import BookingError, ConfigError
from receptionist.profiles.base import (Bookable, DemoBooking, FreeResource, QueryParam, Question, Renderer, Resource,
                                        StaffOption, bookable)
from receptionist.profiles.moves import move_moment, names_new_moment

SEARCH_DAYS = 14  # alternatives: free slots on the requested day and up to this many days after


@dataclass(frozen=True, slots=True)
class AppointmentProfile:
    name: str = "appointment"
    resource_kind: str = "practitioner"
    config_keys: tuple[str, ...] = ("services", "practitioners")
    slot_order: tuple[str, ...] = ("service", "date", "time", "patient_name", "phone")
    core_slots: frozenset[str] = frozenset({"service", "date", "time"})
    default_required: tuple[str, ...] = ("patient_name", "service", "start", "phone")
    name_slot: str = "patient_name"
    names_a_person: bool = True
    resource_slot: str | None = "service"
    date_slots: tuple[str, ...] = ("date", "time")
    day_slot: str = "date"
    wire_keys: tuple[str, ...] = ("service_id", "service")
    free_text_slots: tuple[str, ...] = ()
    date_shape: str = "moment"
    staff_flags: tuple[StaffOption, ...] = (
        StaffOption("--service", "service", help="Appointment: service id, e.g. checkup.", required=True),
        StaffOption("--at", "at", "datetime", "Appointment or table: local start time.", True),
        StaffOption("--practitioner", "practitioner", help="Appointment: practitioner id (default: anyone free)."))
    query_params: tuple[QueryParam, ...] = (QueryParam("service", "Service id (appointments)"),
                                            QueryParam("practitioner", "Practitioner id (appointments)"))

    # -- configuration ---------------------------------------------------------------------------------

    def parse_config(self, s: Section, languages: tuple[str, ...]) -> Mapping[str, Any]:
        services = tuple(parse_service(v, languages) for v in s.sections("services"))
        practitioners = tuple(parse_practitioner(p) for p in s.sections("practitioners"))
        for name, items in (("services", services), ("practitioners", practitioners)):
            if not items:
                raise ConfigError(f"{s.key(name)} needs at least one [[{s.key(name)}]] for profile = \"appointment\"")
            unique_ids(s, name, [x.id for x in items])
        known = {v.id for v in services}
        for i, p in enumerate(practitioners):
            for j, sid in enumerate(p.services):
                if sid not in known:
                    raise ConfigError(f"{s.key('practitioners')}[{i}].services[{j}] names an unknown service {sid!r} "
                                      f"(known: {', '.join(sorted(known))})")
            if not any(p.hours.days):
                raise ConfigError(f"{s.key('practitioners')}[{i}].hours must list at least one working day")
        for i, v in enumerate(services):
            if not any(v.id in p.services for p in practitioners):
                raise ConfigError(f"{s.key('services')}[{i}] ({v.id!r}) is offered by no practitioner")
        return {"services": services, "practitioners": practitioners}

    def check_config(self, s: Section, tenant: Any) -> None:
        return None

    def resources(self, tenant: Any) -> tuple[Resource, ...]:
        return tuple(Resource(p.id, self.resource_kind, p.name, 1) for p in tenant.practitioners)

    def bookables(self, tenant: Any) -> tuple[Bookable, ...]:
        return tuple(Bookable(s.id, s.names, s.aliases) for s in tenant.services)

    def open_on(self, tenant: Any, resource_id: str, day: date) -> bool:
        p = tenant.practitioner(resource_id)
        return p is not None and works_on(tenant, p, day)

    def kind_of(self, word: str, lang: str, tenant: Any) -> str | None:
        return None

    # -- the calendar ------------------------------------------------------------------------------------

    def plan(self, tenant: Any, req: AppointmentRequest, now: datetime) -> Plan:
        if tenant.profile != "appointment":
            raise BookingError(f"{tenant.name} takes stays, not appointments", code="invalid-request")
        service = tenant.service(req.service_id)
        if service is None:
            known = ", ".join(s.id for s in tenant.services)
            raise BookingError(f"unknown service {req.service_id!r} (known: {known})", code="invalid-request")
        if not isinstance(req.start, datetime) or req.start.tzinfo is None:
            raise BookingError("appointment start must be a timezone-aware datetime", code="invalid-date")
        offering = tenant.practitioners_for(service.id)
        if req.practitioner_id is not None:
            chosen = tenant.practitioner(req.practitioner_id)
            if chosen is None:
                raise BookingError(f"unknown practitioner {req.practitioner_id!r}", code="invalid-request")
            if chosen not in offering:
                raise BookingError(f"{chosen.name} does not offer {service.id!r}", code="invalid-request")
            offering = (chosen,)
        if req.start <= now:
            raise BookingError(f"{req.start.astimezone(tenant.tz):%Y-%m-%d %H:%M} is in the past", code="past-date")
        local_start = req.start.astimezone(tenant.tz)
        horizon = today(tenant, now) + timedelta(days=tenant.booking_horizon_days)
        if local_start.date() > horizon:
            raise BookingError(f"{local_start:%Y-%m-%d} is too far ahead (bookings open until {horizon})",
                               code="invalid-date")
        if tenant.is_closure(local_start.date()):
            raise BookingError(f"{local_start:%Y-%m-%d} is a holiday", code="closed")
        working = tuple(p.id for p in offering if fits_hours(tenant, p, req.start, service.duration_min))
        if not working:  # a day someone works is not "closed": only this time is outside their hours
            raise BookingError(f"no one offers {service.id!r} at {local_start:%Y-%m-%d %H:%M} "
                               "(outside working hours)", code="outside-hours" if tenant.is_open_day(local_start.date())
                               else "closed")
        end = req.start + timedelta(minutes=service.duration_min)
        return Plan(request=req, kind="appointment", start_at=iso_utc(req.start), end_at=iso_utc(end),
                    candidates=working, capacity=1, price=service.price, service_id=service.id)

    def has_room(self, plan: Plan, taken: list[tuple[str, str]]) -> bool:
        """Nothing overlaps."""
        return len(taken) < plan.capacity

    def alternatives(self, tenant: Any, request: AppointmentRequest, now: datetime, free: FreeResource,
                     limit: int) -> tuple[AppointmentRequest, ...]:
        """Free slots nearest to the requested time, on the same day or the following days, with any
        practitioner offering the service. One option per start time."""
        service = tenant.service(request.service_id)
        if service is None:
            return ()
        practitioners = tenant.practitioners_for(service.id)
        wanted = request.start.astimezone(tenant.tz)
        options: dict[datetime, AppointmentRequest] = {}
        for offset in range(SEARCH_DAYS):
            day = wanted.date() + timedelta(days=offset)
            for p in practitioners:
                for start in slot_starts(tenant, p, day, service.duration_min):
                    if start in options or (start == wanted and p.id == request.practitioner_id):
                        continue
                    candidate = AppointmentRequest(service.id, start, p.id)
                    if bookable(self, tenant, candidate, now, free):
                        options[start] = candidate
            if len(options) >= limit:
                break
        nearest = sorted(options, key=lambda s: abs((s - wanted).total_seconds()))[:limit]
        return tuple(options[s] for s in sorted(nearest))

    def list_price(self, tenant: Any, request: AppointmentRequest) -> Decimal:
        return tenant.service(request.service_id).price

    def span(self, tenant: Any, start: date | None, end: date | None) -> tuple[str | None, str | None, bool]:
        return instant_span(tenant, start, end)

    def full_message(self) -> str:
        return "that time is already taken"

    def request_from_row(self, row: Mapping[str, Any], tz: Any) -> AppointmentRequest:
        return AppointmentRequest(row["service_id"], datetime.fromisoformat(row["start_at"]).astimezone(tz),
                                  row["resource_id"])

    def request_to_dict(self, request: AppointmentRequest) -> dict[str, Any]:
        return {"kind": "appointment", "service_id": request.service_id, "start": request.start.isoformat(),
                "practitioner_id": request.practitioner_id}

    def request_from_dict(self, data: Mapping[str, Any], tz: Any) -> AppointmentRequest:
        service = data.get("service_id", data.get("service"))
        if not isinstance(service, str) or not service:
            raise BookingError("an appointment needs service and start", code="invalid-request")
        practitioner = data.get("practitioner_id", data.get("practitioner"))
        return AppointmentRequest(service, aware(data.get("start"), tz), str(practitioner) if practitioner else None)

    def availability_query(self, request: AppointmentRequest) -> dict[str, str]:
        query = {"service": request.service_id, "start": request.start.isoformat()}
        return query | ({"practitioner": request.practitioner_id} if request.practitioner_id else {})

    def request_fields(self, request: AppointmentRequest) -> dict[str, Any]:
        return {"kind": "appointment", "service": request.service_id, "start": utc_text(request.start),
                "practitioner": request.practitioner_id}

    def first_day(self, request: AppointmentRequest, tz: Any) -> date:
        return request.start.astimezone(tz).date()

    def last_day(self, request: AppointmentRequest, tz: Any) -> date:
        return request.start.astimezone(tz).date()

    # -- the conversation ----------------------------------------------------------------------------------

    def hear(self, text: str, digits: str, lang: str, tenant: Any) -> Mapping[str, str]:
        return {}

    def fill(self, slots: dict[str, str], heard: Any, asked: str | None, tenant: Any) -> str | None:
        return None

    def request_from_slots(self, tenant: Any, slots: Mapping[str, str]) -> AppointmentRequest | None:
        if not all(k in slots for k in ("service", "date", "time")):
            return None
        start = datetime.combine(date.fromisoformat(slots["date"]), time.fromisoformat(slots["time"]), tzinfo=tenant.tz)
        return AppointmentRequest(slots["service"], start, slots.get("practitioner"))

    def slots_for(self, tenant: Any, request: AppointmentRequest) -> dict[str, str]:
        local = request.start.astimezone(tenant.tz)
        patch = {"service": request.service_id, "date": local.date().isoformat(), "time": local.strftime("%H:%M")}
        if request.practitioner_id:
            patch["practitioner"] = request.practitioner_id
        return patch

    def after_check(self, availability: Availability) -> dict[str, str | None]:
        return {"practitioner": availability.resource_id}

    def fingerprint(self, request: AppointmentRequest) -> str:
        return f"appt:{request.service_id}:{request.start.isoformat()}:{request.practitioner_id or ''}"

    def customer(self, slots: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        return slots["patient_name"], {}

    def ask(self, P: Renderer, tenant: Any, need: str, slots: Mapping[str, str]) -> Question | None:
        if need == "service":
            return Question(P("ask_service", services=P.either([s.name(P.lang) for s in tenant.services])),
                            tuple(s.name(P.lang) for s in tenant.services))
        if need == "time":
            return Question(P("ask_time", date=P.day(date.fromisoformat(slots["date"]))))
        return None

    def available(self, P: Renderer, tenant: Any, a: Availability) -> str:
        local = a.request.start.astimezone(tenant.tz)
        return P("appt_available", service=_service(P, tenant, a.request.service_id), date=P.day(local.date()),
                 time=f"{local:%H:%M}", price=P.price(a.price, a.currency))

    def full(self, P: Renderer, tenant: Any, a: Availability) -> str:
        local = a.request.start.astimezone(tenant.tz)
        return P("appt_not_at_time" if a.reason == "outside-hours" else "appt_full", service=_service(P, tenant, a.request.service_id), date=P.day(local.date()),
                 time=f"{local:%H:%M}")

    def label(self, P: Renderer, tenant: Any, request: AppointmentRequest) -> str:
        local = request.start.astimezone(tenant.tz)
        label = f"{P.day_short(local.date())} {local:%H:%M}"
        name = _practitioner(tenant, request.practitioner_id)
        return f"{label} ({name})" if name else label

    def summary(self, P: Renderer, tenant: Any, s: Mapping[str, str], price: str, phone: str) -> str:
        return P("summary_appt", service=_service(P, tenant, s["service"]), name=s["patient_name"],
                 date=P.day(date.fromisoformat(s["date"])), time=s["time"],
                 practitioner=_practitioner(tenant, s.get("practitioner")), price=price, phone=phone)

    def booking_summary(self, P: Renderer, tenant: Any, booking: Booking) -> str:
        req = booking.request
        local = req.start.astimezone(tenant.tz)
        who = _practitioner(tenant, req.practitioner_id)
        text = f"{_service(P, tenant, req.service_id)}, {P.day(local.date())} {local:%H:%M}"
        return f"{text}, {who}" if who else text

    def describe_change(self, P: Renderer, tenant: Any, request: AppointmentRequest) -> str:
        local = request.start.astimezone(tenant.tz)
        return f"{_service(P, tenant, request.service_id)}, {P.day(local.date())} {local:%H:%M}"

    def moved(self, tenant: Any, request: AppointmentRequest, dates: Any) -> AppointmentRequest | None:
        return move_moment(self, tenant, request, dates)

    def names_new_time(self, tenant: Any, request: AppointmentRequest, dates: Any) -> bool:
        return names_new_moment(tenant, request, dates)

    def price_list(self, P: Renderer, tenant: Any) -> list[str]:
        return [P("price_item_service", service=s.name(P.lang), minutes=s.duration_min,
                  price=P.price(s.price, tenant.currency)) for s in tenant.services]

    def hours_notes(self, P: Renderer, tenant: Any) -> list[str]:
        return []

    def too_long(self, P: Renderer, tenant: Any) -> str | None:
        return None

    def business(self, tenant: Any) -> str:
        return "a clinic (appointments: " + ", ".join(s.name("en") for s in tenant.services) + ")"

    # -- staff ---------------------------------------------------------------------------------------------

    def staff_describe(self, tenant: Any, request: AppointmentRequest) -> str:
        who = f" with {request.practitioner_id}" if request.practitioner_id else ""
        return f"{request.service_id} {request.start.astimezone(tenant.tz):%Y-%m-%d %H:%M}{who}"

    def staff_request(self, tenant: Any, given: Mapping[str, Any]) -> AppointmentRequest:
        return self.request_from_dict({"service": given["service"], "start": given["at"].isoformat(),
                                       "practitioner": given.get("practitioner")}, tenant.tz)

    def staff_move(self, tenant: Any, current: AppointmentRequest,
                   given: Mapping[str, Any]) -> AppointmentRequest | None:
        """The new time (--at) is needed; the practitioner is chosen anew unless named."""
        if not given.get("at"):
            return None
        return self.request_from_dict({"service_id": given.get("service") or current.service_id,
                                       "start": given["at"].isoformat(),
                                       "practitioner_id": given.get("practitioner")}, tenant.tz)

    def staff_details(self, request: AppointmentRequest, given: Mapping[str, Any]) -> dict[str, str]:
        return {}

    def demo(self, tenant: Any, first_day: date, now: datetime) -> tuple[DemoBooking, ...]:
        made = []
        for offset, service_index, slot_index, patient, phone, lang in _DEMO if tenant.services else ():
            service = tenant.services[service_index % len(tenant.services)]
            candidates = []
            for shift in range(7):  # slide past closed days
                day = first_day + timedelta(days=offset + shift)
                starts = sorted({s for p in tenant.practitioners_for(service.id)
                                 for s in slot_starts(tenant, p, day, service.duration_min)})
                if starts and (start := starts[slot_index % len(starts)]) > now:
                    candidates.append(AppointmentRequest(service.id, start))
            made.append(DemoBooking(tuple(candidates), patient, phone, lang))
        return tuple(made)


_DEMO = [  # (days from today, service index, slot index, patient, phone, language)
    (1, 0, 2, "Mari Mets", "+372 5123 4567", "et"),
    (1, 1, 5, "Sergei Orlov", "+372 5234 5678", "ru"),
    (2, 2, 0, "Emma Brown", "+372 5345 6789", "en"),
    (3, 3, 1, "Peeter Kukk", "+372 5456 7890", "et"),
    (6, 0, 8, "Anna Lepp", "+372 5567 8901", "et"),
    (9, 1, 3, "Natalia Sokolova", "+372 5678 9012", "ru"),
]


def _service(P: Renderer, tenant: Any, service_id: str) -> str:
    item = tenant.service(service_id)
    return item.name(P.lang) if item else service_id


def _practitioner(tenant: Any, practitioner_id: str | None) -> str:
    p = tenant.practitioner(practitioner_id) if practitioner_id else None
    return p.name if p else ""


def instant_span(tenant: Any, start: date | None, end: date | None) -> tuple[str | None, str | None, bool]:
    """Storage bounds (UTC instants, exclusive) of the local days start..end, for bookings at a time."""
    lo = iso_utc(at_local(tenant, start, time(0))) if start else None
    hi = iso_utc(at_local(tenant, end + timedelta(days=1), time(0))) if end else None
    return lo, hi, False


def aware(value: Any, tz: Any) -> datetime:
    """An ISO date-time from the wire, naive ones read in `tz` (BookingError invalid-date)."""
    try:
        start = datetime.fromisoformat(str(value))
        if start.tzinfo is None:
            if tz is None:
                raise ValueError("start needs a time zone")
            start = start.replace(tzinfo=tz)
    except (TypeError, ValueError) as exc:
        raise BookingError(f"invalid request dates: {exc}", code="invalid-date") from None
    return start


def utc_text(moment: datetime) -> str:
    from datetime import timezone

    return moment.astimezone(timezone.utc).isoformat()


PROFILE = AppointmentProfile()
