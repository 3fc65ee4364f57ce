"""Nearest free options when a request is full or closed: the tenant's profile searches, over a
`free` predicate (receptionist/profiles/)."""

from __future__ import annotations

from datetime import datetime

from receptionist import profiles
from receptionist.booking.models import Request
from receptionist.config.tenant import TenantConfig
from receptionist.profiles.base import FreeResource

MAX_ALTERNATIVES = 3


def alternatives(tenant: TenantConfig, request: Request, now: datetime, free: FreeResource,
                 limit: int = MAX_ALTERNATIVES) -> tuple[Request, ...]:
    """Up to `limit` bookable requests near `request` (the same kind and length where it has one)."""
    return profiles.for_request(request).alternatives(tenant, request, now, free, limit)


__all__ = ["MAX_ALTERNATIVES", "FreeResource", "alternatives"]
