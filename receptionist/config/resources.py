"""What a tenant offers: room types (stay profile), services and practitioners (appointment profile)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Mapping

from receptionist import lang as langdata
from receptionist.config.fields import Section
from receptionist.config.hours import WeeklyHours, parse_time, parse_weekly_hours
from receptionist.errors import ConfigError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")


def installed_languages() -> tuple[str, ...]:
    """The language codes that have a folder (receptionist/lang/<code>/ or under `[agent] language_dirs`)."""
    return tuple(langdata.folders())


@dataclass(frozen=True, slots=True)
class RoomType:
    id: str
    capacity: int  # number of rooms of this type
    price_per_night: Decimal
    names: Mapping[str, str]  # language -> display name
    aliases: Mapping[str, tuple[str, ...]]  # language -> words callers use

    def name(self, language: str) -> str:
        return self.names.get(language) or next(iter(self.names.values()))


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    id: str
    duration_min: int
    price: Decimal
    names: Mapping[str, str]
    aliases: Mapping[str, tuple[str, ...]]

    def name(self, language: str) -> str:
        return self.names.get(language) or next(iter(self.names.values()))


@dataclass(frozen=True, slots=True)
class Practitioner:
    id: str
    name: str
    services: tuple[str, ...]  # service ids
    hours: WeeklyHours  # breaks are gaps between intervals


@dataclass(frozen=True, slots=True)
class StayPolicy:
    check_in: time = time(14, 0)
    check_out: time = time(11, 0)
    max_nights: int = 60


def slug(s: Section, name: str) -> str:
    value = s.str(name)
    if not _SLUG.match(value):
        raise ConfigError(f"{s.key(name)} must be a lowercase id of letters, digits, - or _ (got {value!r})")
    return value


def price(s: Section, name: str) -> Decimal:
    """A non-negative amount with at most 2 decimals, from a string ("35.50") or a number."""
    value = s.raw(name)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(f"{s.key(name)} must be a price like \"35.00\" (got {value!r})")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(f"{s.key(name)} must be a price like \"35.00\" (got {value!r})") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ConfigError(f"{s.key(name)} must be a non-negative amount with at most 2 decimals (got {value!r})")
    return amount.quantize(Decimal("0.01"))


def localized_names(s: Section, languages: tuple[str, ...]) -> Mapping[str, str]:
    names = s.section("names")
    names.reject_unknown(installed_languages())
    out = {lang: names.str(lang) for lang in installed_languages() if names.has(lang)}
    missing = [lang for lang in languages if lang not in out]
    if missing:
        raise ConfigError(f"{names.key(missing[0])} is required (names must cover the tenant's languages)")
    return MappingProxyType(out)


def localized_aliases(s: Section) -> Mapping[str, tuple[str, ...]]:
    aliases = s.section("aliases")
    aliases.reject_unknown(installed_languages())
    return MappingProxyType({lang: tuple(w.strip().lower() for w in aliases.str_list(lang))
                             for lang in installed_languages() if aliases.has(lang)})


def parse_room_type(s: Section, languages: tuple[str, ...]) -> RoomType:
    s.reject_unknown(("id", "capacity", "price_per_night", "names", "aliases"))
    return RoomType(
        id=slug(s, "id"),
        capacity=s.int("capacity", lo=1, hi=500),
        price_per_night=price(s, "price_per_night"),
        names=localized_names(s, languages),
        aliases=localized_aliases(s),
    )


def parse_service(s: Section, languages: tuple[str, ...]) -> ServiceConfig:
    s.reject_unknown(("id", "duration_min", "price", "names", "aliases"))
    return ServiceConfig(
        id=slug(s, "id"),
        duration_min=s.int("duration_min", lo=5, hi=8 * 60),
        price=price(s, "price"),
        names=localized_names(s, languages),
        aliases=localized_aliases(s),
    )


def parse_practitioner(s: Section) -> Practitioner:
    s.reject_unknown(("id", "name", "services", "hours"))
    return Practitioner(
        id=slug(s, "id"),
        name=s.str("name"),
        services=s.str_list("services", nonempty=True),
        hours=parse_weekly_hours(s.section("hours")),
    )


def parse_stay_policy(s: Section) -> StayPolicy:
    s.reject_unknown(("check_in", "check_out", "max_nights"))
    d = StayPolicy()
    return StayPolicy(
        check_in=parse_time(s.key("check_in"), s.str("check_in", f"{d.check_in:%H:%M}")),
        check_out=parse_time(s.key("check_out"), s.str("check_out", f"{d.check_out:%H:%M}")),
        max_nights=s.int("max_nights", d.max_nights, lo=1, hi=365),
    )


def unique_ids(s: Section, name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, rid in enumerate(ids):
        if rid in seen:
            raise ConfigError(f"{s.key(name)}[{i}].id {rid!r} is used twice")
        seen.add(rid)
