"""Changing or cancelling an existing booking: verify that the caller owns it (receptionist/agent/verify.py),
read it back, confirm, then act. Nothing about a booking is said before the caller is verified."""

from __future__ import annotations

from dataclasses import replace

from receptionist import profiles
from receptionist.agent import facts, otp
from receptionist.agent.booking_flow import BookingFlow
from receptionist.agent.callbacks import CallbackDesk
from receptionist.agent.lockout import Who
from receptionist.agent.nlu import find_choice
from receptionist.agent.session import Manage
from receptionist.agent.tools import Tools
from receptionist.agent.turn import Turn
from receptionist.agent.verify import TRUSTED_CHANNELS, VERIFY_STAGES, Context, Outcome, Said, Verifier, is_active
from receptionist.booking.models import Booking, Request
from receptionist.booking.phones import normalize_phone
from receptionist.errors import BackendUnavailable, BookingError


class ManageFlow:
    """Cancelling or moving an existing booking: verification first (agent/verify.py), then the booking is
    read back, the new day or time understood, confirmed and written once (with an idempotency key)."""

    def __init__(self, tools: Tools, booking_flow: BookingFlow, callbacks: CallbackDesk, verifier: Verifier) -> None:
        self.tools = tools
        self.booking_flow = booking_flow
        self.callbacks = callbacks
        self.verifier = verifier

    async def start(self, turn: Turn, action: str) -> None:
        turn.update(mode="manage", manage=Manage(action=action), alternatives=())
        await self.step(turn)

    async def step(self, turn: Turn) -> None:
        m = turn.state.manage
        assert m is not None
        if not m.verified and m.stage not in VERIFY_STAGES:  # e.g. a state saved before verification existed
            m = Manage(action=m.action)
            turn.update(manage=m)
        try:
            if m.stage in VERIFY_STAGES:
                await self._verify(turn, m)
            elif m.stage == "confirm_cancel":
                await self._confirm_cancel(turn, m)
            elif m.stage == "new_dates":
                await self._new_dates(turn, m)
            elif m.stage == "confirm_move":
                await self._confirm_move(turn, m)
        except BackendUnavailable:
            await self.booking_flow.backend_down(turn)
        except BookingError as exc:
            turn.notes["manage_error"] = exc.code
            if exc.code == "not-found":
                turn.say("not_found")
                turn.update(mode="idle", manage=None, asked=None)
            elif m.stage in ("new_dates", "confirm_move"):
                self._date_error(turn, m, exc)
            else:
                turn.say_error("booking-failed")

    # -- verification ----------------------------------------------------------------------------------

    async def _verify(self, turn: Turn, m: Manage) -> None:
        h = turn.heard
        said = Said(code=h.code, phone=h.phone, otp=otp.parse_code(h.text) if m.stage == "otp" else None,
                    choice=find_choice(h.text, len(m.candidates)) if m.stage == "choose" else None,
                    words=h.text, resource=h.resource, day=h.dates.single or h.dates.start)
        outcome = await self.verifier.step(m, said, self._context(turn))
        turn.notes["verify"] = outcome.event
        if outcome.locked:
            turn.notes["locked"] = outcome.locked
        if outcome.lockout:
            turn.notes["lockout"] = outcome.lockout  # counted by ops.metrics (receptionist_lookup_lockouts_total)
        for key in outcome.say:
            if key == "several_found":  # the caller id owns these: listing them is fine
                turn.say(key, bookings=turn.P.either([f"{b.code} ({facts.booking_summary(turn.P, turn.tenant, b)})"
                                                      for b in outcome.listed]))  # which pet, which days
            else:
                turn.say(key)
        await self._after(turn, m, outcome)

    async def _after(self, turn: Turn, m: Manage, o: Outcome) -> None:
        if o.next == "verified" and o.booking is not None:
            await self._read_back(turn, o.manage, o.booking)
        elif o.next == "callback_taken" and o.callback_to:
            code = o.manage.claim_code or ""
            if not await self.callbacks.take(turn, o.callback_to, f"{m.action} request for {code}, unverified"):
                turn.parts.clear()
                turn.say_error("internal")
                turn.say("how_can_i_help")
            turn.update(mode="idle", manage=None, asked=None)
        elif o.next == "ask_callback":
            turn.update(mode="callback", manage=None, callback_reason=f"{m.action} request, not verified",
                        asked="phone")
        else:
            turn.update(manage=o.manage, asked="otp" if o.manage.stage == "otp" else "code_or_phone")
            for booking in o.listed:
                turn.offer(booking.code)

    def _context(self, turn: Turn) -> Context:
        P, tenant = turn.P, turn.tenant
        return Context(tenant=tenant, who=Who(tenant.id, turn.state.session_id, turn.client), today=turn.today,
                       caller_id=trusted_caller(turn),
                       otp_text=lambda code, minutes: P("otp_sms", business=tenant.name, otp=code, minutes=minutes))

    async def _read_back(self, turn: Turn, m: Manage, booking: Booking) -> None:
        """The caller is verified: read the booking and continue with the cancel / new-dates steps."""
        if not is_active(booking, turn.tenant, turn.today):
            turn.say("not_changeable", code=booking.code)
            turn.update(mode="idle", manage=None, asked=None)
            return
        summary = facts.booking_summary(turn.P, turn.tenant, booking)
        if m.action == "cancel":
            turn.update(manage=replace(m, stage="confirm_cancel", code=booking.code), asked="confirm")
            turn.say("confirm_cancel", code=booking.code, summary=summary)
            turn.offer_yes_no()
        else:
            moved = replace(m, stage="new_dates", code=booking.code)
            turn.update(manage=moved, asked="new_dates", asked_times=1)
            if _new_dates_in(turn, booking):  # "move my booking to next Friday": the new day came along
                await self._new_dates(turn, moved)
                return
            turn.say("ask_new_dates", code=booking.code, summary=summary)

    # -- acting on the verified booking ------------------------------------------------------------------

    async def _confirm_cancel(self, turn: Turn, m: Manage) -> None:
        yes = turn.heard.yes_no
        if not yes and (turn.heard.intent == "change" or _new_dates_in(turn, await self._booking(turn, m))):
            m = replace(m, action="change", stage="new_dates")  # "no, don't cancel - move it to Friday"
            turn.update(manage=m)
            await self._new_dates(turn, m)
            return
        if yes is None:
            turn.say("confirm_yes_no")
            turn.offer_yes_no()
            return
        if yes:
            code = m.code or ""
            booking = await self.tools.cancel(turn.tenant.id, code, key=self.tools.write_key(turn.state, "cancel", code))
            turn.record(booking, "cancelled", facts.booking_summary(turn.P, turn.tenant, booking))
            turn.say("cancelled", code=booking.code)
        else:
            turn.say("kept")
        turn.update(mode="idle", manage=None, asked=None)

    async def _new_dates(self, turn: Turn, m: Manage) -> None:
        current = await self._booking(turn, m)
        choice = turn.heard.choice
        if choice and turn.state.alternatives:
            request = facts.request_from_slots(turn.tenant, turn.state.alternatives[choice - 1])
        else:
            request = _moved(turn, current)
        if request is None:
            times = turn.state.asked_times + 1 if turn.state.asked == "new_dates" else 1
            if times >= 3:  # never a third time: a colleague calls back
                turn.say("loop_offer_person")
                turn.update(mode="callback", manage=None, asked="phone", asked_times=1,
                            callback_reason=f"change request for {current.code}: new dates not understood")
                turn.say("callback_ask_phone")
                return
            turn.update(asked="new_dates", asked_times=times)
            turn.say("ask_new_dates", code=current.code, summary=facts.booking_summary(turn.P, turn.tenant, current))
            if times == 2:
                turn.say(f"example_{profiles.for_request(current.request).day_slot}")
            return
        availability = await self.tools.check_availability(turn.tenant.id, request)
        if not availability.available and not _same_slot(current, request):
            self.booking_flow.offer_alternatives(turn, availability)
            turn.update(mode="manage", asked="new_dates")
            return
        turn.update(manage=replace(m, stage="confirm_move", new=facts.patch_for(request, turn.tenant)), asked="confirm",
                    alternatives=())
        turn.say("confirm_move", code=current.code, summary=_describe_request(turn, request, current))
        turn.offer_yes_no()

    async def _confirm_move(self, turn: Turn, m: Manage) -> None:
        yes = turn.heard.yes_no
        if yes is None:
            turn.say("confirm_yes_no")
            turn.offer_yes_no()
            return
        if not yes:
            turn.say("kept")
            turn.update(mode="idle", manage=None, asked=None)
            return
        request = facts.request_from_slots(turn.tenant, m.new)
        assert request is not None
        code = m.code or ""
        booking = await self.tools.reschedule(turn.tenant.id, code, request,
                                              key=self.tools.write_key(turn.state, "reschedule", code,
                                                                       facts.fingerprint(request)))
        summary = facts.booking_summary(turn.P, turn.tenant, booking)
        turn.record(booking, "moved", summary)
        turn.say("moved", code=booking.code, summary=summary)
        turn.update(mode="idle", manage=None, asked=None)

    async def _booking(self, turn: Turn, m: Manage) -> Booking:
        found = await self.tools.find(turn.tenant.id, code=m.code)
        if not found:
            raise BookingError("booking vanished", code="not-found")
        return found[0]

    def _date_error(self, turn: Turn, m: Manage, exc: BookingError) -> None:
        turn.say_error(exc.code if exc.code in ("past-date", "invalid-date") else "booking-failed")
        turn.update(manage=replace(m, stage="new_dates"), asked="new_dates")


def trusted_caller(turn: Turn) -> str | None:
    """The caller's own number (E.164) when the channel vouches for it (phone line, SMS), else None."""
    raw = turn.state.caller_id
    if turn.channel not in TRUSTED_CHANNELS or not raw:
        return None
    try:
        return normalize_phone(raw, turn.tenant.phone_region)
    except BookingError:
        return None


def _moved(turn: Turn, current: Booking) -> Request | None:
    """The booking moved to the dates/time the caller just gave (its profile decides: stays keep their length)."""
    return profiles.for_request(current.request).moved(turn.tenant, current.request, turn.heard.dates)


def _new_dates_in(turn: Turn, current: Booking) -> bool:
    """The change request itself names the new day or time ("reschedule to Thursday at 2 pm"),
    and not the booking's own start ("move it from the 10th" names the old one)."""
    d = turn.heard.dates
    if d.shift or (d.more_nights and d.nights):
        return True  # "two days later", "two more nights"
    return profiles.for_request(current.request).names_new_time(turn.tenant, current.request, d)


def _same_slot(current: Booking, request: Request) -> bool:
    return current.request == request


def _describe_request(turn: Turn, request: Request, current: Booking) -> str:
    return profiles.for_request(request).describe_change(turn.P, turn.tenant, request)
