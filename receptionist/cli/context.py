"""What staff commands share: the lazily loaded config and calendar, the --tenant option, error exits,
JSON output. Tests inject a clock with `main(..., obj={"clock": FakeClock()})`."""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from typing import Any, Callable, TypeVar

import click
from rich.console import Console

from receptionist.booking.db import open_calendar
from receptionist.booking.hours import today
from receptionist.booking.service import CalendarService
from receptionist.clock import Clock, SystemClock
from receptionist.config.app import AppConfig, load_config
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError, ConfigError

F = TypeVar("F", bound=Callable[..., Any])

DATE = click.DateTime(formats=["%Y-%m-%d"])
DATETIME = click.DateTime(formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"])


class StaffContext:
    """Loads the config and opens the calendar on first use (creating folders, migrating, syncing)."""

    def __init__(self, config_path: str, clock: Clock | None = None) -> None:
        self.config_path = config_path
        self.clock: Clock = clock or SystemClock()
        self._config: AppConfig | None = None
        self._calendar: CalendarService | None = None

    @property
    def config(self) -> AppConfig:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def calendar(self) -> CalendarService:
        if self._calendar is None:
            db = open_calendar(self.config.app.database, self.config, now=self.clock.now())
            self._calendar = CalendarService(db, self.config, self.clock)
        return self._calendar

    def tenant(self, tenant_id: str | None) -> TenantConfig:
        try:
            return self.config.tenant(tenant_id)
        except ConfigError as exc:
            if tenant_id is None:
                raise
            raise BookingError(exc.message, code="unknown-tenant") from None

    def today(self, tenant: TenantConfig) -> date:
        return today(tenant, self.clock.now())

    def close(self) -> None:
        if self._calendar is not None:
            self._calendar.close()
            self._calendar = None


def staff_context(ctx: click.Context) -> StaffContext:
    obj = ctx.find_root().ensure_object(dict)
    if "staff" not in obj:
        obj["staff"] = StaffContext(obj.get("config_path", "config.toml"), obj.get("clock"))
        ctx.find_root().call_on_close(obj["staff"].close)
    return obj["staff"]


def handle_errors(func: F) -> F:
    """BookingError → "error [code]: …" on stderr, exit 2; ConfigError → exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BookingError as exc:
            click.echo(f"error [{exc.code}]: {exc.message}", err=True)
            raise SystemExit(2) from None
        except ConfigError as exc:
            click.echo(f"config error: {exc.message}", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


def tenant_option(func: F) -> F:
    return click.option("--tenant", "tenant_id", default=None, metavar="ID",
                        help="Tenant id (default: the first tenant in the config).")(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(func)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def console() -> Console:
    """Rich output on stdout; piped output (scripts, tests) gets wide lines instead of folded cells."""
    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = 200
    return out


def as_date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def local_datetime(tenant: TenantConfig, value: datetime) -> datetime:
    """A naive "2026-12-01 10:00" typed by staff, read in the tenant's time zone."""
    return value.replace(tzinfo=tenant.tz)
