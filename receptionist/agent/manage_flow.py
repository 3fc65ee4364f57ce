"""Changing or cancelling an existing booking: identify it by confirmation code or the phone
number on file, confirm, then act."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from receptionist.agent import facts
from receptionist.agent.booking_flow import BookingFlow
from receptionist.agent.session import Manage
from receptionist.agent.tools import Tools
from receptionist.agent.turn import Turn
from receptionist.booking.models import AppointmentRequest, Booking, Request, StayRequest
from receptionist.errors import BackendUnavailable, BookingError


class ManageFlow:
    def __init__(self, tools: Tools, booking_flow: BookingFlow) -> None:
        self.tools = tools
        self.booking_flow = booking_flow

    async def start(self, turn: Turn, action: str) -> None:
        turn.update(mode="manage", manage=Manage(action=action), alternatives=())
        if turn.heard.code or turn.heard.phone:
            await self.step(turn)
            return
        turn.update(asked="code_or_phone")
        turn.say("ask_code_or_phone")

    async def step(self, turn: Turn) -> None:
        m = turn.state.manage
        assert m is not None
        try:
            if m.stage == "identify":
                await self._identify(turn, m)
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
                turn.update(manage=Manage(action=m.action), asked="code_or_phone")
            elif m.stage in ("new_dates", "confirm_move"):
                self._date_error(turn, m, exc)
            else:
                turn.say("clarify")

    async def _identify(self, turn: Turn, m: Manage) -> None:
        h = turn.heard
        if not (h.code or h.phone):
            turn.say("ask_code_or_phone")
            return
        found = await self.tools.find(turn.tenant.id, code=h.code, phone=None if h.code else h.phone)
        active = [b for b in found if b.status != "cancelled" and _upcoming(turn, b)]
        if not active:
            turn.say("not_found")
            return
        if len(active) > 1:
            turn.say("several_found", bookings=turn.P.either([b.code for b in active]))
            for b in active:
                turn.offer(b.code)
            return
        booking = active[0]
        summary = facts.booking_summary(turn.P, turn.tenant, booking)
        if m.action == "cancel":
            turn.update(manage=replace(m, stage="confirm_cancel", code=booking.code), asked="confirm")
            turn.say("confirm_cancel", code=booking.code, summary=summary)
            turn.offer_yes_no()
        else:
            turn.update(manage=replace(m, stage="new_dates", code=booking.code), asked="new_dates")
            turn.say("ask_new_dates", code=booking.code, summary=summary)

    async def _confirm_cancel(self, turn: Turn, m: Manage) -> None:
        yes = turn.heard.yes_no
        if yes is None:
            turn.say("confirm_yes_no")
            turn.offer_yes_no()
            return
        if yes:
            booking = await self.tools.cancel(turn.tenant.id, m.code or "")
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
            turn.say("ask_new_dates", code=current.code, summary=facts.booking_summary(turn.P, turn.tenant, current))
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
        booking = await self.tools.reschedule(turn.tenant.id, m.code or "", request)
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
        key = {"past-date": "past_date", "invalid-date": "invalid_date"}.get(exc.code, "clarify")
        turn.say(key)
        turn.update(manage=replace(m, stage="new_dates"), asked="new_dates")


def _upcoming(turn: Turn, booking: Booking) -> bool:
    req = booking.request
    day = req.end if isinstance(req, StayRequest) else req.start.astimezone(turn.tenant.tz).date()
    return day >= turn.today


def _moved(turn: Turn, current: Booking) -> Request | None:
    """The booking moved to the dates/time the caller just gave (stays keep their length)."""
    d = turn.heard.dates
    req = current.request
    if isinstance(req, StayRequest):
        if d.start and d.end:
            return StayRequest(req.resource_type, d.start, d.end)
        start = d.start or d.single
        if start:
            nights = d.nights or req.nights
            return StayRequest(req.resource_type, start, start + timedelta(days=nights))
        if d.end and d.end > req.start:
            return StayRequest(req.resource_type, req.start, d.end)
        if d.nights:
            return StayRequest(req.resource_type, req.start, req.start + timedelta(days=d.nights))
        return None
    local = req.start.astimezone(turn.tenant.tz)
    day: date = d.single or d.start or local.date()
    at = d.time or (local.time() if (d.single or d.start) else None)
    if at is None:
        return None
    return AppointmentRequest(req.service_id, datetime.combine(day, at, tzinfo=turn.tenant.tz), None)


def _same_slot(current: Booking, request: Request) -> bool:
    return current.request == request


def _describe_request(turn: Turn, request: Request, current: Booking) -> str:
    P, t = turn.P, turn.tenant
    if isinstance(request, StayRequest):
        return f"{P.day(request.start)} – {P.day(request.end)}, {P.nights(request.nights)}"
    local = request.start.astimezone(t.tz)
    return f"{facts.resource_name(P, t, request.service_id)}, {P.day(local.date())} {local:%H:%M}"
