"""The staff calendar view: rooms taken per night, or appointments per practitioner per day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlite_utils

from receptionist.booking.hours import at_local, iso_utc, works_on
from receptionist.booking.models import Occupancy, OccupancyRow
from receptionist.booking.store import ACTIVE, rows
from receptionist.config.tenant import TenantConfig


def occupancy(db: sqlite_utils.Database, tenant: TenantConfig, start: date, days: int, now: datetime) -> Occupancy:
    dates = tuple(start + timedelta(days=n) for n in range(days))
    end = start + timedelta(days=days)
    if tenant.profile == "stay":
        lo, hi = start.isoformat(), end.isoformat()
    else:
        lo, hi = iso_utc(at_local(tenant, start, time(0, 0))), iso_utc(at_local(tenant, end, time(0, 0)))
    found = rows(db, f"SELECT resource_id, start_at, end_at FROM bookings WHERE tenant_id = :t AND kind = :k "
                     f"AND start_at < :hi AND end_at > :lo AND {ACTIVE}",
                 {"t": tenant.id, "k": tenant.profile, "lo": lo, "hi": hi, "now": iso_utc(now)})
    table: list[OccupancyRow] = []
    if tenant.profile == "stay":
        for room in tenant.room_types:
            mine = [(r["start_at"], r["end_at"]) for r in found if r["resource_id"] == room.id]
            counts = tuple(sum(1 for s, e in mine if s <= d.isoformat() < e) for d in dates)
            table.append(OccupancyRow(room.id, room.name(tenant.default_language), room.capacity, counts,
                                      tuple(tenant.is_open_day(d) for d in dates)))
    else:
        for p in tenant.practitioners:
            local_days = [datetime.fromisoformat(r["start_at"]).astimezone(tenant.tz).date()
                          for r in found if r["resource_id"] == p.id]
            counts = tuple(local_days.count(d) for d in dates)
            table.append(OccupancyRow(p.id, p.name, None, counts, tuple(works_on(tenant, p, d) for d in dates)))
    return Occupancy(tenant.id, start, dates, tuple(table))

