"""Staff commands over the calendar: bookings, calendar view, callbacks, customers, demo data."""

from __future__ import annotations

from datetime import datetime

import click
from rich.table import Table

from receptionist.booking.demo import seed_demo
from receptionist import profiles
from receptionist.booking.models import Booking, Customer, Request
from receptionist.booking.phones import format_phone
from receptionist.booking.serialize import (
    availability_to_dict, booking_to_dict, callback_to_dict, customer_to_dict, occupancy_to_dict,
)
from receptionist.cli.context import (
    DATE, DATETIME, StaffContext, as_date, console, handle_errors, json_option, local_datetime, print_json,
    staff_context, tenant_option,
)
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError


@click.group()
def bookings() -> None:
    """List, show, create, move and cancel bookings.

    \b
    Example:
      receptionist bookings list --from 2026-12-01 --to 2026-12-07
    """


@bookings.command("list")
@click.option("--from", "start", type=DATE, metavar="YYYY-MM-DD", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=DATE, metavar="YYYY-MM-DD", help="Last day, inclusive (YYYY-MM-DD).")
@click.option("--status", type=click.Choice(["held", "confirmed", "cancelled"]))
@click.option("--resource", metavar="ID", help="Room type or practitioner id.")
@tenant_option
@json_option
@click.pass_context
@handle_errors
def list_cmd(ctx: click.Context, start: datetime | None, end: datetime | None, status: str | None,
             resource: str | None, tenant_id: str | None, as_json: bool) -> None:
    """List bookings touching the given days.

    \b
    Example:
      receptionist bookings list --from 2026-12-01 --to 2026-12-07 --status confirmed --json
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    found = staff.calendar.list_bookings(tenant.id, start=as_date(start), end=as_date(end), status=status,
                                         resource=resource)
    if as_json:
        print_json([booking_to_dict(b) for b in found])
    else:
        _print_bookings(tenant, found)


@bookings.command("show")
@click.argument("code")
@tenant_option
@json_option
@click.pass_context
@handle_errors
def show_cmd(ctx: click.Context, code: str, tenant_id: str | None, as_json: bool) -> None:
    """Show one booking by its confirmation code.

    \b
    Example:
      receptionist bookings show BK-482913
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    booking = staff.calendar.get(tenant.id, code)
    if as_json:
        print_json(booking_to_dict(booking))
    else:
        _print_bookings(tenant, [booking])


_TYPES = {"text": click.STRING, "date": DATE, "datetime": DATETIME, "count": click.IntRange(1, 100)}
_METAVARS = {"date": "YYYY-MM-DD", "datetime": "'YYYY-MM-DD HH:MM'"}


def request_options(func=None, *, create: bool = False):
    """The options describing what to book, as the profiles declare them (BusinessProfile.staff_flags);
    with `create`, also the details of a new booking (the pet's name, dietary notes)."""
    def decorate(func):
        for opt in reversed(profiles.staff_flags()):
            if create or not opt.create_only:
                func = click.option(opt.flag, opt.name, type=_TYPES[opt.type], metavar=_METAVARS.get(opt.type),
                                    help=opt.help)(func)
        return func
    return decorate(func) if func is not None else decorate


def _given(tenant: TenantConfig, options: dict) -> dict:
    """The options given, by name, typed for the profile: dates as dates, times in the tenant's zone."""
    kinds = {opt.name: opt.type for opt in profiles.staff_flags()}
    typed = {"date": lambda v: v.date(), "datetime": lambda v: local_datetime(tenant, v)}
    return {k: typed.get(kinds[k], lambda v: v)(v) for k, v in options.items() if k in kinds and v}


def build_request(tenant: TenantConfig, options: dict) -> Request:
    """The request the options describe, built by the tenant's profile (its required options must be given)."""
    profile = profiles.of(tenant)
    given = _given(tenant, options)
    needed = [opt for opt in profile.staff_flags if opt.required]
    if not all(opt.name in given for opt in needed):
        flags = [opt.flag for opt in needed]
        listed = ", ".join(flags[:-1]) + " and " + flags[-1] if len(flags) > 1 else flags[0]
        raise click.UsageError(f"{tenant.id} books {profile.name}s: give {listed}")
    return profile.staff_request(tenant, given)


@bookings.command("check")
@request_options
@tenant_option
@json_option
@click.pass_context
@handle_errors
def check_cmd(ctx: click.Context, tenant_id, as_json, **options) -> None:
    """Check availability and price (with alternatives when full or closed).

    \b
    Example:
      receptionist bookings check --room-type dog --from 2026-12-01 --to 2026-12-04
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    request = build_request(tenant, options)
    result = staff.calendar.check_availability(tenant.id, request)
    if as_json:
        print_json(availability_to_dict(result))
        return
    verdict = "available" if result.available else f"not available ({result.reason})"
    click.echo(f"{_describe(tenant, request)}: {verdict}, {result.price} {result.currency}")
    for alt in result.alternatives:
        click.echo(f"  alternative: {_describe(tenant, alt)}")


@bookings.command("create")
@request_options(create=True)
@click.option("--name", required=True, help="Customer (owner / patient) name.")
@click.option("--phone", required=True, help="Customer phone; local numbers use the tenant's region.")
@click.option("--language", help="en, et or ru (default: the tenant's default language).")
@tenant_option
@json_option
@click.pass_context
@handle_errors
def create_cmd(ctx: click.Context, name, phone, language, tenant_id, as_json, **options) -> None:
    """Create a confirmed booking.

    \b
    Examples:
      receptionist bookings create --room-type dog --from 2026-12-01 --to 2026-12-04 \\
          --pet-name Rex --name "Kati Kask" --phone "5123 4567"
      receptionist --config examples/clinic.toml bookings create --service checkup \\
          --at "2026-12-01 10:00" --name "Mari Tamm" --phone "+372 5123 4567"
      receptionist --config examples/restaurant.toml bookings create --party 4 \\
          --at "2026-12-01 19:00" --name "Mari Tamm" --phone "5123 4567" --dietary "one vegan"
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    request = build_request(tenant, options)
    details = profiles.of(tenant).staff_details(request, _given(tenant, options))
    booking = staff.calendar.create_booking(
        tenant.id, request, Customer(name, phone, language or tenant.default_language), details=details, channel="cli")
    _report(tenant, booking, "booked", as_json)


@bookings.command("cancel")
@click.argument("code")
@tenant_option
@json_option
@click.pass_context
@handle_errors
def cancel_cmd(ctx: click.Context, code: str, tenant_id: str | None, as_json: bool) -> None:
    """Cancel a booking.

    \b
    Example:
      receptionist bookings cancel BK-482913
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    _report(tenant, staff.calendar.cancel(tenant.id, code), "cancelled", as_json)


@bookings.command("move")
@click.argument("code")
@request_options
@tenant_option
@json_option
@click.pass_context
@handle_errors
def move_cmd(ctx: click.Context, code, tenant_id, as_json, **options) -> None:
    """Move a booking to new dates (stay) or a new time (appointment).

    Unchanged parts are kept: a stay moved with only --from keeps its number of nights.

    \b
    Examples:
      receptionist bookings move BK-482913 --from 2026-12-03 --to 2026-12-06
      receptionist --config examples/clinic.toml bookings move BK-731204 --at "2026-12-02 14:00"
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    current = staff.calendar.get(tenant.id, code).request
    profile = profiles.for_request(current)
    request = profile.staff_move(tenant, current, _given(tenant, options))
    if request is None:
        missing = [opt.flag for opt in profile.staff_flags if opt.type == "datetime"]
        raise click.UsageError(f"give the new time with {' or '.join(missing) or 'the new time'}")
    _report(tenant, staff.calendar.reschedule(tenant.id, code, request), "moved", as_json)


@click.command("calendar")
@click.option("--from", "start", type=DATE, metavar="YYYY-MM-DD", help="First day (default: today).")
@click.option("--days", type=click.IntRange(1, 92), default=7, show_default=True)
@tenant_option
@json_option
@click.pass_context
@handle_errors
def calendar_cmd(ctx: click.Context, start: datetime | None, days: int, tenant_id: str | None, as_json: bool) -> None:
    """Occupancy view: rooms taken per night, or appointments per practitioner per day.

    \b
    Example:
      receptionist calendar --from 2026-12-01 --days 14
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    view = staff.calendar.occupancy(tenant.id, as_date(start) or staff.today(tenant), days)
    if as_json:
        print_json(occupancy_to_dict(view))
        return
    nightly = profiles.of(tenant).date_shape == "range"
    table = Table(title=f"{tenant.name}: {'rooms taken / rooms' if nightly else 'bookings per day'}")
    table.add_column("resource", no_wrap=True)
    for d in view.days:
        table.add_column(f"{d:%a}\n{d:%d.%m}", justify="right", no_wrap=True)
    for row in view.rows:
        cells = [("-" if not is_open and not n else f"{n}/{row.capacity}" if row.capacity else str(n))
                 for n, is_open in zip(row.counts, row.open)]
        table.add_row(row.resource_id, *cells)
    console().print(table)


@click.group()
def callbacks() -> None:
    """Callback requests left by callers.

    \b
    Example:
      receptionist callbacks list --status open
    """


@callbacks.command("list")
@click.option("--status", type=click.Choice(["open", "done", "all"]), default="open", show_default=True)
@tenant_option
@json_option
@click.pass_context
@handle_errors
def callbacks_list(ctx: click.Context, status: str, tenant_id: str | None, as_json: bool) -> None:
    """List callback requests.

    \b
    Example:
      receptionist callbacks list --status all --json
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    found = staff.calendar.list_callbacks(tenant.id, None if status == "all" else status)
    if as_json:
        print_json([callback_to_dict(c) for c in found])
        return
    table = Table(title=f"{tenant.name}: callbacks ({status})")
    for column in ("id", "created", "phone", "name", "lang", "reason", "status"):
        table.add_column(column, no_wrap=column != "reason")
    for c in found:
        table.add_row(str(c.id), f"{c.created_at.astimezone(tenant.tz):%Y-%m-%d %H:%M}", format_phone(c.phone),
                      c.name or "", c.language, c.reason, c.status)
    console().print(table)


@callbacks.command("done")
@click.argument("callback_id", type=int, metavar="ID")
@tenant_option
@click.pass_context
@handle_errors
def callbacks_done(ctx: click.Context, callback_id: int, tenant_id: str | None) -> None:
    """Mark a callback request as done.

    \b
    Example:
      receptionist callbacks done 12
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    c = staff.calendar.mark_callback_done(tenant.id, callback_id)
    click.echo(f"callback #{c.id} ({format_phone(c.phone)}) marked done")


@click.group()
def customers() -> None:
    """Customers known to the calendar.

    \b
    Example:
      receptionist customers show "+372 5123 4567"
    """


@customers.command("show")
@click.argument("phone")
@tenant_option
@json_option
@click.pass_context
@handle_errors
def customers_show(ctx: click.Context, phone: str, tenant_id: str | None, as_json: bool) -> None:
    """Show a customer and their bookings.

    \b
    Example:
      receptionist customers show "5123 4567" --json
    """
    staff = staff_context(ctx)
    tenant = staff.tenant(tenant_id)
    customer = staff.calendar.customer(tenant.id, phone)
    if customer is None:
        raise BookingError(f"no customer with phone {phone}", code="not-found")
    history = staff.calendar.find(tenant.id, phone=customer.phone)
    if as_json:
        print_json({**customer_to_dict(customer), "bookings": [booking_to_dict(b) for b in history]})
        return
    click.echo(f"{customer.name}  {format_phone(customer.phone)}  language: {customer.language}")
    _print_bookings(tenant, history)


@click.command("demo-data")
@tenant_option
@click.pass_context
@handle_errors
def demo_data(ctx: click.Context, tenant_id: str | None) -> None:
    """Fill the calendar with a handful of demo bookings over the next weeks (idempotent).

    Without --tenant, every tenant in the config gets demo bookings.

    \b
    Example:
      receptionist --config examples/two-tenants.toml demo-data
    """
    staff = staff_context(ctx)
    tenants = [staff.tenant(tenant_id)] if tenant_id else list(staff.config.tenants)
    for tenant in tenants:
        made = seed_demo(staff.calendar, tenant.id)
        click.echo(f"{tenant.id}: {len(made)} demo bookings created" if made
                   else f"{tenant.id}: demo bookings already present")


def _describe(tenant: TenantConfig, request: Request) -> str:
    return profiles.for_request(request).staff_describe(tenant, request)


def _report(tenant: TenantConfig, booking: Booking, verb: str, as_json: bool) -> None:
    if as_json:
        print_json(booking_to_dict(booking))
    else:
        click.echo(f"{verb} {booking.code}: {_describe(tenant, booking.request)}, {booking.customer_name}, "
                   f"{booking.price} {booking.currency} [{booking.status}]")


def _print_bookings(tenant: TenantConfig, found: list[Booking]) -> None:
    table = Table(title=f"{tenant.name}: {len(found)} booking(s)")
    for column in ("code", "status", "what", "customer", "phone", "price", "details"):
        table.add_column(column, no_wrap=column in ("code", "status", "phone"))
    for b in found:
        table.add_row(b.code, b.status, _describe(tenant, b.request), b.customer_name, format_phone(b.phone),
                      f"{b.price} {b.currency}", ", ".join(f"{k}={v}" for k, v in b.details.items()))
    console().print(table)


COMMANDS = [bookings, calendar_cmd, callbacks, customers, demo_data]

__all__ = ["COMMANDS", "StaffContext"]
