"""Pure slot filling: fold what was heard into the collected slots (any order, any number,
corrections included). Values are already validated by the extractors; the calendar validates
the rest (dates in the future, opening hours, capacity)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Mapping

from receptionist.agent.nlu import Heard
from receptionist.config.tenant import TenantConfig

STAY_ORDER = ("pet_type", "start_date", "end_date", "pet_name", "phone")
APPOINTMENT_ORDER = ("service", "date", "time", "patient_name", "phone")
_NOT_NAMES = re.compile(r"\d|[?@]")
_FILLERS = {"it's", "its", "it", "is", "the", "name", "his", "her", "called", "my", "ok", "okay",
            "see", "on", "tema", "nimi", "nimega", "его", "её", "ее", "зовут", "это", "кличка", "имя"}


def order(tenant: TenantConfig) -> tuple[str, ...]:
    """The slots to ask for, in the order that lets availability be checked earliest. The slots that
    make up the calendar request are always needed; the rest as configured in required_slots."""
    if tenant.profile == "stay":
        base, core = STAY_ORDER, {"pet_type", "start_date", "end_date"}
    else:
        base, core = APPOINTMENT_ORDER, {"service", "date", "time"}
    wanted = core | set(tenant.required_slots)
    return tuple(s for s in base if s in wanted)


def missing(tenant: TenantConfig, slots: Mapping[str, str]) -> str | None:
    return next((s for s in order(tenant) if s not in slots), None)


def bare_name(heard: Heard, max_words: int = 3) -> str | None:
    """A short answer to "what's the name?" taken as the name itself ("Max", "Mari Tamm")."""
    if heard.yes_no is not None or _NOT_NAMES.search(heard.text):
        return None
    words = [w for w in re.findall(r"[^\W\d_][^\W\d_'’-]*", heard.text) if w.lower() not in _FILLERS]
    if not 1 <= len(words) <= max_words:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in words)


def fill(tenant: TenantConfig, slots: Mapping[str, str], heard: Heard, asked: str | None) -> dict[str, str]:
    """The slots after this utterance."""
    s = dict(slots)
    if heard.resource:
        s["service" if tenant.profile == "appointment" else "pet_type"] = heard.resource
    if heard.phone:
        s["phone"] = heard.phone
    if tenant.profile == "stay":
        name = heard.pet_name or (bare_name(heard, 2) if asked == "pet_name" else None)
        if name:
            s["pet_name"] = name
        if heard.person_name:
            s["owner_name"] = heard.person_name
        _fill_stay_dates(s, heard, asked)
    else:
        name = heard.person_name or (bare_name(heard, 4) if asked == "patient_name" else None)
        if name:
            s["patient_name"] = name
        d = heard.dates
        day = d.single or d.start
        if day:
            s["date"] = day.isoformat()
        if d.time:
            s["time"] = d.time.strftime("%H:%M")
    return s


def _fill_stay_dates(s: dict[str, str], heard: Heard, asked: str | None) -> None:
    d = heard.dates
    start = date.fromisoformat(s["start_date"]) if "start_date" in s else None
    end = date.fromisoformat(s["end_date"]) if "end_date" in s else None
    nights = d.nights
    if d.start and d.end:
        start, end = d.start, d.end
    elif d.start:
        start = d.start
        if nights:
            end = start + timedelta(days=nights)
        elif end is not None and end <= start:
            end = None
    elif d.end:
        end = d.end
    elif d.single:
        one = d.single
        if asked == "end_date" or (start is not None and end is None and one > start and asked != "start_date"):
            end = one
        elif start is not None and end is not None and asked != "start_date":
            if one >= end:
                end = one
            else:  # a correction of the check-in day ("no, the 12th")
                start = one
                if end <= start:
                    end = None
        else:
            start = one
            if end is not None and end <= start:
                end = None
    elif nights:
        if start is not None:
            end = start + timedelta(days=nights)
        else:
            s["nights"] = str(nights)
    if start is not None and end is None and "nights" in s:
        end = start + timedelta(days=int(s.pop("nights")))
    for key, value in (("start_date", start), ("end_date", end)):
        if value is None:
            s.pop(key, None)
        else:
            s[key] = value.isoformat()
