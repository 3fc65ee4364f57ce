"""Time arithmetic in a tenant's zone: "today", practitioner working intervals, candidate slots. Pure."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from receptionist.config.resources import Practitioner
from receptionist.config.tenant import TenantConfig


def today(tenant: TenantConfig, now: datetime) -> date:
    """The tenant's local date at instant `now`."""
    return now.astimezone(tenant.tz).date()


def at_local(tenant: TenantConfig, day: date, clock_time: time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=tenant.tz)


def iso_utc(moment: datetime) -> str:
    """The one storage format for instants: "2026-12-01T08:00:00+00:00" (sorts as text)."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def works_on(tenant: TenantConfig, practitioner: Practitioner, day: date) -> bool:
    return bool(practitioner.hours.on(day.weekday())) and not tenant.is_closure(day)


def fits_hours(tenant: TenantConfig, practitioner: Practitioner, start: datetime, duration_min: int) -> bool:
    """Whether [start, start + duration) lies inside one working interval (so it crosses no break)."""
    local = start.astimezone(tenant.tz)
    end = local + timedelta(minutes=duration_min)  # wall-clock arithmetic in the tenant's zone
    if end.date() != local.date() and end.time() != time(0, 0):
        return False
    end_time = time(23, 59, 59) if end.date() != local.date() else end.time().replace(tzinfo=None)
    start_time = local.time().replace(tzinfo=None)
    return any(iv.contains(start_time, end_time) for iv in practitioner.hours.on(local.weekday()))


def slot_starts(tenant: TenantConfig, practitioner: Practitioner, day: date, duration_min: int) -> list[datetime]:
    """Start times offered on `day`: every slot_step_min from each interval's start while the
    appointment still ends inside the interval. Empty on closures and days off."""
    if not works_on(tenant, practitioner, day):
        return []
    step = timedelta(minutes=tenant.slot_step_min)
    length = timedelta(minutes=duration_min)
    starts: list[datetime] = []
    for iv in practitioner.hours.on(day.weekday()):
        t = at_local(tenant, day, iv.start)
        end = at_local(tenant, day, iv.end)
        while t + length <= end:
            starts.append(t)
            t += step
    return starts
