"""Business profiles: one module per kind of business behind `BusinessProfile` (base.py).

Adding a kind of business is one module here plus its line in `_MODULES`, its words in each language
folder (`receptionist/lang/<code>/profile_<name>.toml`), a config example (examples/<name>.toml) and its
knowledge folder (knowledge/<tenant>/faq.toml). The module declares everything else the shared code asks
for: its slots, calendar rules, wire and row forms, the booking API's availability query, the staff
CLI's options, demo bookings. Modules are imported on first use, so the booking and config layers can
name this package without cycles.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Mapping

from receptionist.profiles.base import (Bookable, BusinessProfile, DemoBooking, QueryParam, Question, Renderer,
                                        Resource, StaffOption, bookable)

if TYPE_CHECKING:  # pragma: no cover - types only
    from receptionist.config.tenant import TenantConfig

_MODULES: dict[str, str] = {
    "stay": "receptionist.profiles.stay",  # pet hotel: overnight stays per room type
    "appointment": "receptionist.profiles.appointment",  # clinic: services with practitioners at a time
    "table": "receptionist.profiles.table",  # restaurant: a table for a party at a time
}
_loaded: dict[str, BusinessProfile] = {}


def names() -> tuple[str, ...]:
    """The profile names a tenant may choose (`profile = "..."`)."""
    return tuple(_MODULES)


def get(name: str) -> BusinessProfile:
    """The profile called `name` (also a booking's kind). KeyError for an unknown name."""
    if name not in _loaded:
        if name not in _MODULES:
            raise KeyError(f"unknown business profile {name!r} (known: {', '.join(_MODULES)})")
        _loaded[name] = importlib.import_module(_MODULES[name]).PROFILE
    return _loaded[name]


def of(tenant: "TenantConfig | Any") -> BusinessProfile:
    """The profile a tenant runs."""
    return get(tenant.profile)


def for_request(request: Any) -> BusinessProfile:
    """The profile a calendar request belongs to (by its `kind`)."""
    return get(request.kind)


def request_from_dict(data: Any, tz: Any = None) -> Any:
    """A request from its wire form: {"kind": ..., ...} or, without "kind", the profile whose keys it
    has ({"room_type", "start", "end"} is a stay). Naive times are read in `tz`. BookingError
    (invalid-request, invalid-date) on bad input."""
    from receptionist.errors import BookingError

    if not isinstance(data, Mapping):
        raise BookingError("request must be an object", code="invalid-request")
    kind = data.get("kind") or next((n for n in _MODULES if any(data.get(k) for k in get(n).wire_keys)), None)
    if kind not in _MODULES:
        raise BookingError("request needs the fields of one kind of booking: " + "; ".join(
            f"{n}: {', '.join(get(n).wire_keys[-1:])}, start" for n in _MODULES), code="invalid-request")
    return get(kind).request_from_dict(data, tz)


def query_params() -> tuple[QueryParam, ...]:
    """Every availability query parameter some profile reads (the first profile to declare a name wins)."""
    seen: dict[str, QueryParam] = {}
    for name in _MODULES:
        for param in get(name).query_params:
            seen.setdefault(param.name, param)
    return tuple(seen.values())


def staff_flags() -> tuple[StaffOption, ...]:
    """Every staff CLI booking option some profile reads, in profile order (a flag two profiles share once)."""
    seen: dict[str, StaffOption] = {}
    for name in _MODULES:
        for option in get(name).staff_flags:
            seen.setdefault(option.flag, option)
    return tuple(seen.values())


def config_keys() -> tuple[str, ...]:
    """Every tenant key some profile reads (a tenant may use only its own profile's)."""
    return tuple(dict.fromkeys(k for n in _MODULES for k in get(n).config_keys))


__all__ = ["Bookable", "BusinessProfile", "DemoBooking", "QueryParam", "Question", "Renderer", "Resource",
           "StaffOption", "bookable", "config_keys", "for_request", "get", "names", "of", "query_params",
           "request_from_dict", "staff_flags"]
