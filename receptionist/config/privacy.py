"""[privacy] section: how long callers' data is kept, and what an erasure keeps of past bookings.

    [privacy]
    retention_days = 90              # conversations, messages, sent texts and recordings older than this are deleted
    keep_bookings_for_days = 2555    # past bookings are kept (anonymised on erasure) this long, then deleted
    keep_fields = ["service_id", "price_cents", "currency", "created_at"]
                                     # what an erased past booking keeps besides its code, kind, status, resource
                                     # and times (the calendar fact); names and phone numbers are never kept
    purge_interval_h = 6             # how often the service applies retention_days
"""

from __future__ import annotations

from dataclasses import dataclass

from receptionist.config.fields import Section
from receptionist.errors import ConfigError

# An erased past booking always keeps code, kind, status, resource_id, start_at and end_at (the calendar
# fact) and never customer_name or phone; these columns are kept only when listed in keep_fields.
KEEPABLE_FIELDS = ("service_id", "price_cents", "currency", "language", "channel", "created_at", "details")
DEFAULT_KEEP_FIELDS = ("service_id", "price_cents", "currency", "created_at")


@dataclass(frozen=True, slots=True)
class PrivacyConfig:
    retention_days: int = 90
    keep_bookings_for_days: int = 7 * 365  # accounting records (Estonian Accounting Act: 7 years)
    keep_fields: tuple[str, ...] = DEFAULT_KEEP_FIELDS
    purge_interval_h: float = 6.0


def parse_privacy(s: Section) -> PrivacyConfig:
    s.reject_unknown(PrivacyConfig.__slots__)
    d = PrivacyConfig()
    keep = s.str_list("keep_fields", list(d.keep_fields))
    for i, name in enumerate(keep):
        if name not in KEEPABLE_FIELDS:
            raise ConfigError(f"{s.key('keep_fields')}[{i}] must be one of {', '.join(KEEPABLE_FIELDS)} "
                              f"(got {name!r}; names and phone numbers are never kept)")
    return PrivacyConfig(
        retention_days=s.int("retention_days", d.retention_days, lo=1, hi=3650),
        keep_bookings_for_days=s.int("keep_bookings_for_days", d.keep_bookings_for_days, lo=0, hi=20 * 365),
        keep_fields=tuple(dict.fromkeys(keep)),
        purge_interval_h=s.float("purge_interval_h", d.purge_interval_h, lo=0.01, hi=24 * 7),
    )
