"""Who may read, change or cancel a booking: the verification state machine of the manage flow.

Rules (issue 11):
* Phone line and SMS (and the local `receptionist chat --caller-id`): the caller's number (caller id /
  sender) is trusted. Their upcoming bookings are found by that number directly, and a code whose booking
  has that phone is theirs. A code whose booking has another phone makes the caller a stranger (below).
* Anyone else (web chat, a call from another number): the confirmation code AND the phone number on the
  booking, then a one-time code texted to that phone. A phone number the caller merely says is only a
  claim, used together with the code; it never lists bookings. Without SMS (or when the phone already got
  too many codes), staff get a callback to the booking's phone and nothing is changed.
* Until verified, nothing about a booking is said: "no such code" and "the phone does not match" get the
  same reply. Failed look-ups are counted per session, client and tenant (`lockout.LookupGuard`).

`Verifier.step` takes the manage state and what the caller said, and returns an `Outcome`: the new state,
the reply keys to say and what the flow must do next. It never speaks or touches the turn itself.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Callable, Literal, Protocol

from receptionist import profiles
from receptionist.agent import otp
from receptionist.agent.extract.names import name_occurs_in
from receptionist.agent.lockout import LookupGuard, Who
from receptionist.agent.session import Manage
from receptionist.booking.models import Booking
from receptionist.clock import Clock
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError

log = logging.getLogger(__name__)

TRUSTED_CHANNELS = frozenset({"voice", "sms", "cli"})  # where the caller id is the caller's own number
VERIFY_STAGES = frozenset({"identify", "choose", "otp"})
Next = Literal["ask", "verified", "callback_taken", "ask_callback"]


class OtpSender(Protocol):
    async def send(self, tenant_id: str, phone: str, text: str) -> None:
        """Queue one text message to `phone` (E.164). Raise on failure; the caller falls back to staff."""


class Finder(Protocol):
    async def __call__(self, tenant_id: str, *, code: str | None = None,
                       phone: str | None = None) -> list[Booking]: ...


@dataclass(frozen=True, slots=True)
class Said:
    """What the caller offered this turn (already parsed): a booking code, a phone (E.164), a one-time code,
    a pick among listed bookings (1-based)."""

    code: str | None = None
    phone: str | None = None
    otp: str | None = None
    choice: int | None = None
    words: str = ""  # the caller's words, to pick among their own bookings by pet, service or day
    resource: str | None = None  # a room type or service named ("the cat one")
    day: date | None = None  # a day named ("the one on the 10th")


@dataclass(frozen=True, slots=True)
class Context:
    """Who is asking and how to word the one-time-code text. `caller_id` is the trusted caller number
    (E.164) or None; `otp_text(code, minutes)` renders the text message in the caller's language."""

    tenant: TenantConfig
    who: Who
    today: date
    caller_id: str | None
    otp_text: Callable[[str, int], str]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened: `say` are reply-template keys (without values); `next` tells the flow what to do:
    ask (stay in manage with `manage` and wait for the caller), verified (continue with `booking`),
    callback_taken (staff must call `callback_to` back; nothing changed), ask_callback (offer a callback:
    ask for a number). `listed` are bookings the verified caller id owns, to offer by code.
    `event` is a log word (no caller content); `locked` the scope refusing, `lockout` the scope this turn
    locked (for the metric)."""

    manage: Manage
    say: tuple[str, ...]
    next: Next = "ask"
    event: str = "asked"
    booking: Booking | None = None
    listed: tuple[Booking, ...] = ()
    callback_to: str | None = None
    locked: str | None = None
    lockout: str | None = None


def is_upcoming(booking: Booking, tenant: TenantConfig, today: date) -> bool:
    """Not over yet: a stay until its last day, an appointment until its day."""
    return profiles.for_request(booking.request).last_day(booking.request, tenant.tz) >= today


def is_active(booking: Booking, tenant: TenantConfig, today: date) -> bool:
    return booking.status != "cancelled" and is_upcoming(booking, tenant, today)


class Verifier:
    """The verification steps. `find` is the booking look-up (Tools.find); `sender` is None when SMS is
    not configured; `rng` is injectable for tests (default: the OS's CSPRNG)."""

    def __init__(self, find: Finder, guard: LookupGuard, clock: Clock, *, sender: OtpSender | None,
                 otp_valid: timedelta = timedelta(minutes=10), otp_tries: int = 3, rng: random.Random | None = None) -> None:
        self.find = find
        self.guard = guard
        self.clock = clock
        self.sender = sender
        self.otp_valid = otp_valid
        self.otp_tries = otp_tries
        self.rng = rng

    async def step(self, m: Manage, said: Said, ctx: Context) -> Outcome:
        if m.stage == "otp":
            return await self._otp(m, said, ctx)
        if m.stage == "choose":
            return await self._choose(m, said, ctx)
        return await self._identify(m, said, ctx)

    # -- identify -----------------------------------------------------------------------------------

    async def _identify(self, m: Manage, said: Said, ctx: Context) -> Outcome:
        cid = ctx.caller_id
        code = said.code or m.claim_code
        phone = said.phone or m.claim_phone
        if cid is not None and said.code:
            booking = await self._by_code(ctx, said.code)
            if booking is not None and booking.phone == cid:
                return self._verified(m, booking, "caller-id")
            # otherwise a stranger for this code: the claim path below, the same reply whether or not it exists
        elif cid is not None and not code and phone in (None, cid):
            return await self._by_caller(m, ctx, cid, said)
        return await self._claim(replace(m, stage="identify", claim_code=code, claim_phone=phone), ctx)

    async def _by_caller(self, m: Manage, ctx: Context, cid: str, said: Said | None = None) -> Outcome:
        own = [b for b in await self.find(ctx.tenant.id, phone=cid) if is_active(b, ctx.tenant, ctx.today)]
        # In the request itself a day is the new day of a change, not which booking: pet or service only.
        by_what = replace(said, day=None) if said is not None else None
        described = [b for b in own if by_what is not None and _described(b, by_what, ctx)]
        if len(own) == 1 or len(described) == 1:  # "scrap the booking for the cat" picks it at once
            return self._verified(m, own[0] if len(own) == 1 else described[0], "caller-id")
        if own:
            listed = tuple(own)
            return Outcome(replace(m, stage="choose", candidates=tuple(b.code for b in own)), ("several_found",),
                           event="caller-id-list", listed=listed)
        return Outcome(replace(m, stage="identify"), ("none_for_caller",), event="caller-id-none")

    async def _claim(self, m: Manage, ctx: Context) -> Outcome:
        locked = await self.guard.locked(ctx.who)
        if locked is not None:
            return Outcome(Manage(action=m.action), ("lookup_locked",), "ask_callback", "locked", locked=locked)
        if not m.claim_code and not m.claim_phone:
            return Outcome(m, ("ask_code_and_phone",))
        if not m.claim_phone:
            return Outcome(m, ("ask_booking_phone",))
        if not m.claim_code:
            return Outcome(m, ("ask_code_only",))
        booking = await self._by_code(ctx, m.claim_code)
        if booking is None or booking.phone != m.claim_phone:
            lockout = await self.guard.fail(ctx.who)
            if lockout is not None:
                log.warning("booking look-ups locked out (tenant %s, scope %s)", ctx.tenant.id, lockout)
                return Outcome(Manage(action=m.action), ("lookup_locked",), "ask_callback", "locked",
                               locked=lockout, lockout=lockout)
            return Outcome(replace(m, claim_code=None, claim_phone=None), ("not_verified",), event="mismatch")
        return await self._challenge(m, booking, ctx)

    async def _challenge(self, m: Manage, booking: Booking, ctx: Context) -> Outcome:
        """The code and phone match: prove the caller holds that phone, with a text (or staff call back)."""
        if self.sender is None or not await self.guard.may_text(ctx.who, booking.phone):
            return self._to_staff(m, booking, "callback")
        issued = otp.issue(self.clock.now(), self.otp_valid, self.rng)
        minutes = max(1, round(self.otp_valid.total_seconds() / 60))
        try:
            await self.sender.send(ctx.tenant.id, booking.phone, ctx.otp_text(issued.code, minutes))
        except Exception:  # the text cannot go out: staff take over, never a dead end
            log.exception("queueing a one-time code failed")
            return self._to_staff(m, booking, "callback-send-failed")
        state = replace(m, stage="otp", claim_code=booking.code, claim_phone=booking.phone, otp_digest=issued.digest,
                        otp_salt=issued.salt, otp_expires_at=issued.expires_at.isoformat(),
                        otp_tries_left=self.otp_tries)
        return Outcome(state, ("otp_sent",), event="otp-sent")

    def _to_staff(self, m: Manage, booking: Booking, event: str) -> Outcome:
        return Outcome(Manage(action=m.action, claim_code=booking.code), ("verify_callback",), "callback_taken",
                       event, callback_to=booking.phone)

    # -- choose among the caller id's own bookings ---------------------------------------------------------

    async def _choose(self, m: Manage, said: Said, ctx: Context) -> Outcome:
        pick = None
        if said.code in m.candidates:
            pick = said.code
        elif said.code is None and said.choice and 1 <= said.choice <= len(m.candidates):
            pick = m.candidates[said.choice - 1]
        listed = await self.find(ctx.tenant.id, phone=ctx.caller_id) if ctx.caller_id else []
        mine = [b for b in listed if b.code in m.candidates]
        if pick is None and said.code is None:
            matching = [b for b in mine if _described(b, said, ctx)]
            pick = matching[0].code if len(matching) == 1 else None  # "the cat one", "Tiiu oma", "та, что для Муси"
        if pick is not None and ctx.caller_id is not None:
            booking = await self._by_code(ctx, pick)
            if booking is not None and booking.phone == ctx.caller_id:
                return self._verified(m, booking, "caller-id")
        if said.code is not None:  # not one of theirs: a stranger for this code
            return await self._identify(replace(m, stage="identify", candidates=()), said, ctx)
        return Outcome(m, ("pick_booking",), event="caller-id-list", listed=tuple(mine))

    # -- the one-time code -----------------------------------------------------------------------------

    async def _otp(self, m: Manage, said: Said, ctx: Context) -> Outcome:
        expires = datetime.fromisoformat(m.otp_expires_at) if m.otp_expires_at else None
        if expires is None or self.clock.now() >= expires or not (m.otp_digest and m.otp_salt):
            return Outcome(Manage(action=m.action), ("otp_expired",), event="otp-expired")
        if said.otp is None:
            return Outcome(m, ("otp_ask",), event="otp-asked")
        if otp.matches(said.otp, m.otp_salt, m.otp_digest):
            booking = await self._by_code(ctx, m.claim_code or "")
            if booking is not None and booking.phone == m.claim_phone:
                return self._verified(m, booking, "otp", say=("verified",))
            return Outcome(Manage(action=m.action), ("not_verified",), event="mismatch")
        tries = m.otp_tries_left - 1
        if tries > 0:
            return Outcome(replace(m, otp_tries_left=tries), ("otp_wrong",), event="otp-wrong")
        lockout = await self.guard.fail(ctx.who)
        if lockout is not None:
            log.warning("booking look-ups locked out (tenant %s, scope %s)", ctx.tenant.id, lockout)
        return Outcome(Manage(action=m.action), ("otp_failed",), "ask_callback", "otp-failed", lockout=lockout)

    # -- helpers -------------------------------------------------------------------------------------

    def _verified(self, m: Manage, booking: Booking, event: str, say: tuple[str, ...] = ()) -> Outcome:
        state = Manage(action=m.action, stage="verified", code=booking.code, verified=True)
        return Outcome(state, say, "verified", event, booking=booking)

    async def _by_code(self, ctx: Context, code: str) -> Booking | None:
        """The booking with this code, or None (a malformed code is simply not found)."""
        try:
            found = await self.find(ctx.tenant.id, code=code)
        except BookingError as exc:
            if exc.code in ("not-found", "invalid-request"):
                return None
            raise
        return found[0] if found else None


def _described(booking: Booking, said: Said, ctx: Context) -> bool:
    """Whether the caller's words single out this booking of theirs: its pet's name, its room type
    or service, or its day."""
    pet = booking.details.get("pet_name")
    if pet and said.words and name_occurs_in(pet, said.words):
        return True
    if said.resource and said.resource in (booking.resource_id, getattr(booking.request, "resource_type", None),
                                           getattr(booking.request, "service_id", None)):
        return True
    if said.day is not None:
        req = booking.request
        day = profiles.for_request(req).first_day(req, ctx.tenant.tz)
        return day == said.day
    return False
