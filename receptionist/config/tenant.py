"""`[[tenants]]`: one business served by the appliance (a pet hotel, a clinic ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from receptionist import lang as langdata
from receptionist import profiles
from receptionist.config.fields import Section
from receptionist.config.hours import WeeklyHours, parse_dates, parse_weekly_hours
from receptionist.config.resources import Practitioner, RoomType, ServiceConfig, StayPolicy, installed_languages, slug
from receptionist.errors import ConfigError

Profile = str  # a business profile's name: receptionist.profiles.names() ("stay", "appointment", ...)
PROFILES: tuple[str, ...] = profiles.names()
COMMON_KEYS = (
    "id", "name", "assistant_name", "profile", "timezone", "languages", "default_language", "currency",
    "phone_region", "address", "phone", "email", "knowledge_dir", "hours", "closures",
    "booking_horizon_days", "required_slots", "slot_step_min",
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
    options: Any = None  # the profile's own settings, when it keeps them apart (profiles/<name>.py)

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
    s.reject_unknown(COMMON_KEYS + profiles.config_keys())
    profile = s.str("profile", choices=PROFILES)
    business = profiles.get(profile)
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
        required_slots=s.str_list("required_slots", business.default_required, nonempty=True),
        slot_step_min=s.int("slot_step_min", 15, lo=5, hi=240),
        **_profile_resources(s, profile, languages),
    )
    business.check_config(s, tenant)
    return tenant


def _profile_resources(s: Section, profile: str, languages: tuple[str, ...]) -> dict:
    """The profile's own fields; a key of another profile is refused, naming the profile it belongs to."""
    own = profiles.get(profile).config_keys
    for name in profiles.config_keys():
        if name not in own and s.has(name):
            other = next(n for n in profiles.names() if name in profiles.get(n).config_keys)
            raise ConfigError(f"{s.key(name)} is only for profile = \"{other}\" (this tenant is \"{profile}\")")
    return dict(profiles.get(profile).parse_config(s, languages))


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
