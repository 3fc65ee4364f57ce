"""The one interface every kind of business implements: a `BusinessProfile`.

A profile owns everything that differs between a pet hotel (overnight stays), a clinic (timed
appointments) and a restaurant (tables for a party at a time): the config keys it reads, the
slots the agent collects and their order, how collected slots become a calendar request, how the
calendar plans (validates, prices, picks resources for) that request, the alternatives offered
when it is full, how requests travel on the wire and sit in a database row, the facts read back
to the caller, and the columns staff see. Everything else (channels, voice, language, the
conversation machinery, the database) is shared and never asks which profile it serves.

Profiles are looked up by name (`receptionist.profiles.get`); the name is also the booking kind
stored in the database. Texts are rendered through a `Renderer` (the agent's `Phrases`), so a
profile never imports the agent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol

if TYPE_CHECKING:  # pragma: no cover - types only
    from receptionist.booking.models import Availability, Booking, Request
    from receptionist.booking.rules import Plan
    from receptionist.config.fields import Section
    from receptionist.config.tenant import TenantConfig

FreeResource = Callable[["Plan"], "str | None"]  # the resource with room for a plan, or None when full


class Renderer(Protocol):
    """What a profile needs to word facts in the caller's language (receptionist.agent.replies.Phrases)."""

    lang: str

    def __call__(self, key: str, **values: object) -> str: ...
    def day(self, d: date) -> str: ...
    def day_short(self, d: date) -> str: ...
    def nights(self, n: int) -> str: ...
    def price(self, amount: Decimal, currency: str = "EUR") -> str: ...
    def either(self, items: list[str]) -> str: ...
    def pet_type(self, kind: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Bookable:
    """Something a caller names to choose what to book (a room type, a service): id, display names
    per language and the words callers use for it."""

    id: str
    names: Mapping[str, str]
    aliases: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Resource:
    """A row of the `resources` table: one bookable thing of the tenant (a room type, a
    practitioner, a table). `kind` is the profile's `resource_kind`."""

    id: str
    kind: str
    name: str
    capacity: int


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A query parameter of the booking API's availability check (GET /api/v1/availability) that a profile
    reads, besides the shared `tenant` and `start`; the OpenAPI document lists it."""

    name: str
    description: str
    format: str | None = None  # JSON schema format ("date")


@dataclass(frozen=True, slots=True)
class StaffOption:
    """An option of the staff CLI's booking commands (`receptionist bookings check|create|move`) that a
    profile reads. The CLI hands the profile the values given, by `name`, typed by `type`: "text" (str),
    "date" (a date), "datetime" (an aware datetime in the tenant's zone), "count" (an int 1..100)."""

    flag: str  # "--room-type"
    name: str  # the value's key ("room_type"); profiles sharing a flag share its name and type
    type: str = "text"
    help: str = ""
    required: bool = False  # needed to check availability or book
    create_only: bool = False  # a detail of a new booking (the pet's name), not part of the request


@dataclass(frozen=True, slots=True)
class DemoBooking:
    """One booking of the demo calendar (`receptionist demo-data`): the requests to try in order (the first
    the calendar takes is booked: later days slide past closed ones), and who it is for."""

    candidates: tuple[Any, ...]
    name: str
    phone: str
    language: str  # used when the tenant speaks it, else the tenant's default
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Question:
    """The words asking for one slot, and the options a text channel may show as buttons."""

    text: str
    options: tuple[str, ...] = ()


class BusinessProfile(Protocol):
    """A kind of business. Implementations are stateless singletons (see stay.py, appointment.py,
    table.py); every method gets the tenant it serves. Errors: `BookingError` (codes invalid-request,
    invalid-date, past-date, closed) from `plan` and `request_from_dict`; `ConfigError` naming the key
    from `parse_config`."""

    name: str  # the config value (`profile = "stay"`) and the booking kind stored in the database
    resource_kind: str  # what its resources are: "room_type", "practitioner", "table"
    config_keys: tuple[str, ...]  # the tenant keys this profile reads (others' keys are refused)
    slot_order: tuple[str, ...]  # every slot it can ask for, in the order asked
    core_slots: frozenset[str]  # the slots the calendar request is made of (always asked)
    default_required: tuple[str, ...]  # required_slots when the config does not list them
    name_slot: str  # the slot holding the name said ("pet_name", "patient_name", "guest_name")
    names_a_person: bool  # the name slot is a person's name (False: a pet's)
    resource_slot: str | None  # where a chosen Bookable goes ("pet_type", "service"), None: nothing to choose
    date_slots: tuple[str, ...]  # the slots cleared when the calendar refuses the day ("start_date", "end_date")
    day_slot: str  # the slot holding the day the conversation is about ("start_date", "date")
    wire_keys: tuple[str, ...]  # a wire request without "kind" that has one of these keys is this profile's
    free_text_slots: tuple[str, ...]  # slots whose answer is kept as said (dietary notes): never a question
    date_shape: str  # "range" (a first and last day, nights) | "moment" (a day and a time)
    query_params: tuple[QueryParam, ...]  # what the availability check's query adds to tenant and start
    staff_flags: tuple[StaffOption, ...]  # the staff CLI's options for this profile's bookings

    # -- configuration ---------------------------------------------------------------------------------
    def parse_config(self, s: Section, languages: tuple[str, ...]) -> Mapping[str, Any]:
        """The TenantConfig fields this profile adds, read from its keys of the tenant section."""
    def check_config(self, s: Section, tenant: TenantConfig) -> None:
        """Cross-checks once the tenant is built (ConfigError naming the key)."""
    def resources(self, tenant: TenantConfig) -> tuple[Resource, ...]:
        """The tenant's resources, as the database keeps them."""
    def bookables(self, tenant: TenantConfig) -> tuple[Bookable, ...]:
        """What a caller may name to choose what to book (empty: nothing to choose)."""
    def open_on(self, tenant: TenantConfig, resource_id: str, day: date) -> bool:
        """Whether the resource can be booked that day (reception or working hours, closures)."""
    def kind_of(self, word: str, lang: str, tenant: TenantConfig) -> str | None:
        """A bookable id named by a word the aliases miss (a pet word for a room type), or None."""

    # -- the calendar ------------------------------------------------------------------------------------
    def plan(self, tenant: TenantConfig, request: Request, now: datetime) -> Plan:
        """Validate and price the request, and list the resources that could take it."""
    def has_room(self, plan: Plan, taken: list[tuple[str, str]]) -> bool:
        """Whether one candidate resource with these active (start_at, end_at) spans fits the plan."""
    def alternatives(self, tenant: TenantConfig, request: Request, now: datetime, free: FreeResource,
                     limit: int) -> tuple[Request, ...]:
        """The nearest bookable requests when this one is full or closed."""
    def list_price(self, tenant: TenantConfig, request: Request) -> Decimal:
        """The price of a request the calendar could not plan (closed day)."""
    def span(self, tenant: TenantConfig, start: date | None, end: date | None) -> tuple[str | None, str | None, bool]:
        """Storage bounds of the days start..end (inclusive) and whether the bounds are inclusive."""
    def full_message(self) -> str:
        """The BookingError message when no resource is free."""
    def request_from_row(self, row: Mapping[str, Any], tz: Any) -> Request:
        """A bookings row back into the request it stored."""
    def request_to_dict(self, request: Request) -> dict[str, Any]:
        """The wire form (JSON-ready), with "kind"."""
    def request_from_dict(self, data: Mapping[str, Any], tz: Any) -> Request:
        """The wire form back into a request (naive times read in `tz`)."""
    def availability_query(self, request: Request) -> dict[str, str]:
        """The availability check's query for a request (`start` and its `query_params`; no tenant)."""
    def request_fields(self, request: Request) -> dict[str, Any]:
        """Plain values identifying the request (instants in UTC), for idempotency fingerprints."""
    def first_day(self, request: Request, tz: Any) -> date:
        """The local day the booking starts."""
    def last_day(self, request: Request, tz: Any) -> date:
        """The local day the booking is over (a stay's check-out day)."""

    # -- the conversation ----------------------------------------------------------------------------------
    def hear(self, text: str, digits: str, lang: str, tenant: TenantConfig) -> Mapping[str, str]:
        """Slot values only this profile understands (a party size), from the caller's words."""
    def fill(self, slots: dict[str, str], heard: Any, asked: str | None, tenant: TenantConfig) -> str | None:
        """Fold the profile's own values of `heard` into `slots` (after the shared filling); a problem or None."""
    def request_from_slots(self, tenant: TenantConfig, slots: Mapping[str, str]) -> Request | None:
        """The calendar request the collected slots describe, once its parts are all known."""
    def slots_for(self, tenant: TenantConfig, request: Request) -> dict[str, str]:
        """The slot values that select this request (alternatives, a change of booking)."""
    def after_check(self, availability: Availability) -> dict[str, str | None]:
        """Slots to set once the calendar said yes (the practitioner found)."""
    def fingerprint(self, request: Request) -> str:
        """A short stable text identifying the request."""
    def customer(self, slots: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """The customer's name and the booking's details from the collected slots."""
    def ask(self, P: Renderer, tenant: TenantConfig, need: str, slots: Mapping[str, str]) -> Question | None:
        """The question for a slot, when it is not the plain `ask_<slot>` template."""
    def available(self, P: Renderer, tenant: TenantConfig, availability: Availability) -> str:
        """"Good news: ... is free" for an available request."""
    def full(self, P: Renderer, tenant: TenantConfig, availability: Availability) -> str:
        """"I'm sorry, ... is taken" for a full request."""
    def label(self, P: Renderer, tenant: TenantConfig, request: Request) -> str:
        """A compact label for an offered alternative."""
    def summary(self, P: Renderer, tenant: TenantConfig, slots: Mapping[str, str], price: str, phone: str) -> str:
        """The read-back before the caller confirms."""
    def booking_summary(self, P: Renderer, tenant: TenantConfig, booking: Booking) -> str:
        """A made booking in a few words."""
    def describe_change(self, P: Renderer, tenant: TenantConfig, request: Request) -> str:
        """A booking's new day/time as read back before moving it."""
    def moved(self, tenant: TenantConfig, request: Request, dates: Any) -> Request | None:
        """The booking moved to the dates/time the caller just gave (`dates`: the agent's heard dates, see
        moves.py), None when they do not say where to."""
    def names_new_time(self, tenant: TenantConfig, request: Request, dates: Any) -> bool:
        """Whether `dates` name a new day or time for this booking rather than the one it has."""
    def price_list(self, P: Renderer, tenant: TenantConfig) -> list[str]:
        """The price list's items."""
    def hours_notes(self, P: Renderer, tenant: TenantConfig) -> list[str]:
        """Sentences added after the opening hours (check-in times, last sitting)."""
    def too_long(self, P: Renderer, tenant: TenantConfig) -> str | None:
        """What to say when the request is longer than allowed, None when that cannot happen."""
    def business(self, tenant: TenantConfig) -> str:
        """What the business does, in English, for the language model's system prompt."""

    # -- staff ---------------------------------------------------------------------------------------------
    def staff_describe(self, tenant: TenantConfig, request: Request) -> str:
        """What was booked and when, as the staff listing shows it ("dog 2026-12-10 → 2026-12-15 (5 nights)")."""
    def staff_request(self, tenant: TenantConfig, given: Mapping[str, Any]) -> Request:
        """The request the staff CLI's options describe (`given`: values by StaffOption name, every required
        one present). BookingError (invalid-request, invalid-date) on bad values."""
    def staff_move(self, tenant: TenantConfig, current: Request, given: Mapping[str, Any]) -> Request | None:
        """`current` moved as the options say (unchanged parts kept), None when they lack the new time."""
    def staff_details(self, request: Request, given: Mapping[str, Any]) -> dict[str, str]:
        """The booking details the create options give (the pet's name, dietary notes)."""
    def demo(self, tenant: TenantConfig, first_day: date, now: datetime) -> tuple[DemoBooking, ...]:
        """A handful of demo bookings over the weeks from `first_day` (booking/demo.py seeds them)."""


def bookable(profile: BusinessProfile, tenant: TenantConfig, request: Request, now: datetime,
             free: FreeResource) -> bool:
    """Whether `request` passes the profile's rules and a resource is free for it."""
    from receptionist.errors import BookingError

    try:
        plan = profile.plan(tenant, request, now)
    except BookingError:
        return False
    return free(plan) is not None
