"""The staff calendar view: per resource of the tenant's profile, rooms taken per night (stays) or
bookings per day (bookings at a time: practitioners, tables)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlite_utils

from receptionist import profiles
from receptionist.booking.hours import at_local, iso_utc
from receptionist.booking.models import Occupancy, OccupancyRow
from receptionist.booking.store import ACTIVE, rows
from receptionist.config.tenant import TenantConfig


def occupancy(db: sqlite_utils.Database, tenant: TenantConfig, start: date, days: int, now: datetime) -> Occupancy:
    profile = profiles.of(tenant)
    nightly = profile.date_shape == "range"
    dates = tuple(start + timedelta(days=n) for n in range(days))
    end = start + timedelta(days=days)
    if nightly:
        lo, hi = start.isoformat(), end.isoformat()
    else:
        lo, hi = iso_utc(at_local(tenant, start, time(0, 0))), iso_utc(at_local(tenant, end, time(0, 0)))
    found = rows(db, f"SELECT resource_id, start_at, end_at FROM bookings WHERE tenant_id = :t AND kind = :k "
                     f"AND start_at < :hi AND end_at > :lo AND {ACTIVE}",
                 {"t": tenant.id, "k": tenant.profile, "lo": lo, "hi": hi, "now": iso_utc(now)})
    table: list[OccupancyRow] = []
    for resource in profile.resources(tenant):
        mine = [(r["start_at"], r["end_at"]) for r in found if r["resource_id"] == resource.id]
        if nightly:
            counts = tuple(sum(1 for s, e in mine if s <= d.isoformat() < e) for d in dates)
        else:
            local_days = [datetime.fromisoformat(s).astimezone(tenant.tz).date() for s, _ in mine]
            counts = tuple(local_days.count(d) for d in dates)
        table.append(OccupancyRow(resource.id, resource.name, resource.capacity if nightly else None, counts,
                                  tuple(profile.open_on(tenant, resource.id, d) for d in dates)))
    return Occupancy(tenant.id, start, dates, tuple(table))
