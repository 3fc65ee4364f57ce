"""`[[tenants]]`: one business served by the appliance (a pet hotel, a clinic ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from receptionist import lang as langdata
from receptionist.config.fields import Section
from receptionist.config.hours import WeeklyHours, parse_dates, parse_weekly_hours
from receptionist.config.resources import (
    Practitioner, RoomType, ServiceConfig, StayPolicy, installed_languages, parse_practitioner,
    parse_room_type, parse_service, parse_stay_policy, slug, unique_ids,
)
from receptionist.errors import ConfigError

Profile = Literal["stay", "appointment"]
PROFILES: tuple[str, ...] = ("stay", "appointment")
DEFAULT_REQUIRED_SLOTS: dict[str, tuple[str, ...]] = {
    "stay": ("pet_name", "pet_type", "start_date", "end_date", "phone"),
    "appointment": ("patient_name", "service", "start", "phone"),
}
TENANT_KEYS = (
    "id", "name", "assistant_name", "profile", "timezone", "languages", "default_language", "currency",
    "phone_region", "address", "phone", "email", "knowledge_dir", "hours", "closures",
    "booking_horizon_days", "required_slots", "stay", "room_types", "services", "practitioners",
    "slot_step_min",
)


@dataclass(frozen=True, slots=True)
class TenantConfig:
    id: str
    name: str
    assistant_name: str
    profile: Profile
    timezone: str
    languages: tuple[str, ...]
    default_language: str
    currency: str
    phone_region: str
    address: str
    phone: str
    email: str | None
    knowledge_dir: Path | None
    hours: WeeklyHours
    closures: tuple[date, ...]
    booking_horizon_days: int
    required_slots: tuple[str, ...]
    stay: StayPolicy | None = None  # stay profile only
    room_types: tuple[RoomType, ...] = ()  # stay profile only
    services: tuple[ServiceConfig, ...] = ()  # appointment profile only
    practitioners: tuple[Practitioner, ...] = ()  # appointment profile only
    slot_step_min: int = 15

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def room_type(self, room_type_id: str) -> RoomType | None:
        return next((r for r in self.room_types if r.id == room_type_id), None)

    def service(self, service_id: str) -> ServiceConfig | None:
        return next((s for s in self.services if s.id == service_id), None)

    def practitioner(self, practitioner_id: str) -> Practitioner | None:
        return next((p for p in self.practitioners if p.id == practitioner_id), None)

    def practitioners_for(self, service_id: str) -> tuple[Practitioner, ...]:
        return tuple(p for p in self.practitioners if service_id in p.services)

    def is_closure(self, day: date) -> bool:
        return day in self.closures

    def is_open_day(self, day: date) -> bool:
        """Reception open that day: weekly hours say so and it is not a holiday closure."""
        return self.hours.is_open(day.weekday()) and day not in self.closures


def parse_tenant(s: Section) -> TenantConfig:
    s.reject_unknown(TENANT_KEYS)
    profile = s.str("profile", choices=PROFILES)
    # Any installed language folder; by default the ones shipped with the appliance.
    languages = s.str_list("languages", langdata.folders(builtin=True), choices=installed_languages(), nonempty=True)
    if len(set(languages)) != len(languages):
        raise ConfigError(f"{s.key('languages')} lists a language twice")
    for lang in languages:
        if not langdata.section(lang, "replies").get("templates"):
            raise ConfigError(f"{s.key('languages')}: language {lang!r} has no reply templates "
                              f"(its folder needs a replies.toml like receptionist/lang/en/replies.toml)")
    default_language = s.str("default_language", languages[0])
    if default_language not in languages:
        raise ConfigError(f"{s.key('default_language')} must be one of the tenant's languages "
                          f"{', '.join(languages)} (got {default_language!r})")
    tenant = TenantConfig(
        id=slug(s, "id"),
        name=s.str("name"),
        assistant_name=s.str("assistant_name"),
        profile=profile,  # type: ignore[arg-type]
        timezone=_timezone(s),
        languages=languages,
        default_language=default_language,
        currency=_currency(s),
        phone_region=_region(s),
        address=s.str("address"),
        phone=s.str("phone"),
        email=s.opt_str("email"),
        knowledge_dir=s.path_value("knowledge_dir", None),
        hours=parse_weekly_hours(s.section("hours")),
        closures=parse_dates(s, "closures"),
        booking_horizon_days=s.int("booking_horizon_days", 365, lo=1, hi=3 * 365),
        required_slots=s.str_list("required_slots", DEFAULT_REQUIRED_SLOTS[profile], nonempty=True),
        slot_step_min=s.int("slot_step_min", 15, lo=5, hi=240),
        **_profile_resources(s, profile, languages),
    )
    if profile == "stay" and not any(tenant.hours.days):
        raise ConfigError(f"{s.key('hours')} must list at least one open day (check-in/out need reception hours)")
    return tenant


def _profile_resources(s: Section, profile: str, languages: tuple[str, ...]) -> dict:
    own = ("stay", "room_types") if profile == "stay" else ("services", "practitioners")
    for name in ("stay", "room_types", "services", "practitioners"):
        if name not in own and s.has(name):
            other = "appointment" if profile == "stay" else "stay"
            raise ConfigError(f"{s.key(name)} is only for profile = \"{other}\" (this tenant is \"{profile}\")")
    if profile == "stay":
        rooms = tuple(parse_room_type(r, languages) for r in s.sections("room_types"))
        if not rooms:
            raise ConfigError(f"{s.key('room_types')} needs at least one [[{s.key('room_types')}]] "
                              "for profile = \"stay\"")
        unique_ids(s, "room_types", [r.id for r in rooms])
        return {"stay": parse_stay_policy(s.section("stay")), "room_types": rooms}

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


def _timezone(s: Section) -> str:
    name = s.str("timezone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{s.key('timezone')} is not a known time zone (got {name!r})") from None
    return name


def _currency(s: Section) -> str:
    value = s.str("currency", "EUR")
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ConfigError(f"{s.key('currency')} must be a 3-letter ISO code like \"EUR\" (got {value!r})")
    return value


def _region(s: Section) -> str:
    value = s.str("phone_region", "EE")
    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"{s.key('phone_region')} must be a 2-letter region like \"EE\" (got {value!r})")
    return value
