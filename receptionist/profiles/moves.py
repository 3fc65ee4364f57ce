"""Moving a booking to the day or time a caller names, for profiles whose bookings are a moment (a day and
a time: appointments, tables). Stays move by their own rules (stay.py: they keep their length).

`dates` is what the agent heard (receptionist.agent.extract's dates): `start`, `end`, `single` (dates or
None), `shift` (days, 0 when none), `nights`, `more_nights` and `time` (a time or None). Profiles never
import the agent, so it is read by attribute.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def bare_shift(dates: Any) -> timedelta | None:
    """"Two days later" said without a date: the shift, else None."""
    return timedelta(days=dates.shift) if dates.shift and not (dates.start or dates.end or dates.single) else None


def move_moment(profile: Any, tenant: Any, request: Any, dates: Any) -> Any:
    """The same booking at the day/time said (its resource chosen anew), None when neither a new day nor a
    time can be told. "Reschedule to Thursday": one day, however introduced; "со второго на четвёртое":
    not the day it has now; a day alone keeps the booking's time."""
    d = dates
    local = request.start.astimezone(tenant.tz)
    said = next((x for x in (d.end, d.single, d.start) if x is not None and x != local.date()), None)
    shift = bare_shift(d)
    if said is None and shift:
        said = local.date() + shift
    day: date = said or local.date()
    at = d.time or (local.time() if said else None)
    if at is None:
        return None
    kept = {k: v for k, v in profile.slots_for(tenant, request).items() if k in profile.slot_order}
    return profile.request_from_slots(tenant, {**kept, "date": day.isoformat(), "time": at.strftime("%H:%M")})


def names_new_moment(tenant: Any, request: Any, dates: Any) -> bool:
    """Whether `dates` name a day other than the booking's, or another time."""
    d = dates
    local = request.start.astimezone(tenant.tz)
    other_days = {x for x in (d.start, d.single, d.end) if x is not None and x != local.date()}
    return bool(other_days) or (d.time is not None and d.time != local.time().replace(tzinfo=None))
