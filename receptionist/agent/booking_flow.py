"""The booking flow: fill slots, check availability as soon as possible, offer alternatives,
summarise, ask for explicit confirmation, then book and read back the confirmation code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import phonenumbers

from receptionist.agent import facts, slots as slotting
from receptionist.agent.callbacks import CallbackDesk
from receptionist.agent.extract import extract_phone
from receptionist.agent.extract.phones import with_tail
from receptionist.agent.tools import Tools
from receptionist.agent.turn import Turn
from receptionist import profiles
from receptionist.booking.models import Availability, Customer
from receptionist.errors import BackendUnavailable, BookingError

# Calendar answers about the date or time asked for: the caller is told why (the error table) and asked again.
_DATE_PROBLEMS = frozenset({"past-date", "closed", "invalid-date", "too-long", "outside-hours"})


def spoken_phone(e164: str) -> str:
    """A phone number read back in groups ("+372 5123 4567"); the E.164 text if it cannot be parsed."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


WHAT_TO_CHANGE = "what_to_change"  # `asked` after "no" to the summary: what should change?

class BookingFlow:
    """Collects the slots of a new booking, checks availability as soon as it can, offers alternatives,
    reads the summary and books on an explicit yes (see the module docstring)."""

    def __init__(self, tools: Tools, callbacks: CallbackDesk) -> None:
        self.tools = tools
        self.callbacks = callbacks

    # -- entry points ---------------------------------------------------------------------------

    def absorb(self, turn: Turn) -> bool:
        """Fold the utterance into the slots; True when anything changed or a date problem
        (a past day, an end before the start) must be told to the caller."""
        state = turn.state
        new, problem = slotting.fill_checked(turn.tenant, state.slots, turn.heard, state.asked)
        if state.alternatives and turn.heard.choice:
            new.update(state.alternatives[turn.heard.choice - 1])
        if turn.heard.phone_tail and not turn.heard.phone and (given := new.get("phone") or caller_phone(turn)):
            if fixed := with_tail(given, turn.heard.phone_tail):  # "the last digit is a 7, not a 6"
                new["phone"] = fixed
        if turn.heard.own_number and not turn.heard.phone:  # "use the number I'm calling from"
            if own := caller_phone(turn):
                new["phone"] = own
            else:
                turn.notes["no_caller_id"] = True  # said before the phone question: understood, not a loop
                if new == dict(state.slots):
                    return True  # nothing else said: "I can't see your number", then the question
        if problem:
            turn.notes["date_problem"] = problem
        if new == dict(state.slots):
            return problem is not None
        turn.notes["progress"] = True
        turn.notes["changed"] = tuple(k for k in new if new.get(k) != state.slots.get(k))
        if state.asked and state.asked in new and state.asked not in state.slots:
            turn.notes["answered"] = state.asked
        turn.update(slots=new, alternatives=())
        return True

    async def advance(self, turn: Turn) -> None:
        """Say the next useful thing: a date problem, availability, the next question, or the summary."""
        turn.update(mode="booking")
        if problem := turn.notes.get("date_problem"):
            self._say_problem(turn, problem)
        request = facts.request_from_slots(turn.tenant, turn.state.slots)
        if request is not None and facts.fingerprint(request) != turn.state.checked:
            try:
                availability = await self.tools.check_availability(turn.tenant.id, request)
            except BookingError as exc:
                self._date_problem(turn, exc)
                return
            except BackendUnavailable:
                await self.backend_down(turn)
                return
            if not availability.available:
                self.offer_alternatives(turn, availability)
                return
            turn.set_slots(_price=str(availability.price), **profiles.of(turn.tenant).after_check(availability))
            checked = facts.request_from_slots(turn.tenant, turn.state.slots)  # with the practitioner found
            turn.update(checked=facts.fingerprint(checked or request))
            if not self._complete(turn):  # the summary repeats dates and price anyway
                self._say_available(turn, availability)
        self.ask_next(turn)

    def _complete(self, turn: Turn) -> bool:
        phone = caller_phone(turn)
        slots = {**turn.state.slots, **({"phone": phone} if phone else {})}
        return slotting.missing(turn.tenant, slots) is None

    def ask_next(self, turn: Turn) -> None:
        """Ask for the next missing slot. Each question at most twice per booking — the second time
        with an example — then a colleague is offered instead. A caller who answers another question
        is asked that next one (out of order is fine), and the unanswered one comes back later."""
        need = slotting.missing(turn.tenant, turn.state.slots)
        dictating = "_phone_part" in turn.notes.get("changed", ()) and "_phone_part" in turn.state.slots
        if dictating:
            need = "phone"  # the first digits of a number, said out of turn: "and the rest of it?"
        if need == "phone" and (phone := caller_phone(turn)):  # SMS/SIP know it: read back in the summary
            turn.set_slots(phone=phone)
            need = slotting.missing(turn.tenant, turn.state.slots)
        if "_name_options" in turn.state.slots and need in ("phone", None) and not dictating:
            need = profiles.of(turn.tenant).name_slot  # the base form of an inflected name is unclear: ask before the summary
        if need is None:
            self._summarise(turn)
            return
        previous = turn.state.asked
        asks = {k: v for k, v in turn.state.asks.items() if k not in turn.state.slots}
        news = turn.notes.get("no_caller_id") or _moved_towards(need, turn.notes.get("changed", ()))
        group = next((g for g in _SLOT_GROUPS if need in g), {need})
        if need == previous and not news and not turn.notes.get("date_problem") \
                and any(slot not in group for slot in turn.notes.get("changed", ())):
            need = _another_question(turn, need, asks)  # answered something else: ask that other thing now
        # Each question at most twice per booking, the second time with an example; the third time a
        # colleague is offered. Only news about the question itself (part of the number, the other
        # end of the stay) lets it be asked again without counting.
        times = asks.get(need, 0) + (0 if news and need == previous else 1)
        if times >= 3:
            self._offer_person(turn, need)
            return
        asks[need] = max(times, 1)
        turn.update(asked=need, asked_times=times, asks=asks)
        if turn.notes.get("no_caller_id"):
            turn.say("no_caller_id")  # "I can't see the number you're calling from" - then the question
        if need == "phone" and dictating:
            turn.say("phone_go_on")  # the first digits are kept: "and the rest of the number?"
            return
        if previous and turn.notes.get("progress") and not turn.notes.get("answered") \
                and not turn.notes.get("date_problem") and turn.parts == []:
            turn.say("noted")  # a value for another slot: kept, and the caller hears it was
        self._ask(turn, need)
        if times == 2:
            turn.say(f"example_{need}")

    def _offer_person(self, turn: Turn, need: str) -> None:
        """The third failed try at one question: no loop — a colleague calls back."""
        turn.notes["loop_guard"] = need
        turn.parts[:] = [p for p in turn.parts if p != turn.P("not_caught")]  # one apology is enough
        offer_call_back(turn, f"booking: could not understand {need}; " + describe_request(turn),
                        known="callback_offer_known", ask="callback_ask_phone_loop")

    def _say_problem(self, turn: Turn, problem: str) -> None:
        s = turn.state.slots
        if problem == "end-before-start" and "start_date" in s:
            turn.say("end_before_start", start=turn.P.day(date.fromisoformat(s["start_date"])))
        elif problem == "end-before-start":
            turn.say_error("invalid-date")
        elif problem == "weekday-mismatch" and (clash := turn.heard.dates.clash):
            day, said = clash  # "Thursday, 11 December" when the 11th is a Friday: ask, never pick one
            turn.say("weekday_mismatch", date=turn.P.day_short(day), actual=turn.P.weekday(day.weekday()),
                     said=turn.P.weekday(said))
        elif problem == "invalid-phone":
            turn.say("invalid_phone")
            turn.notes["progress"] = False  # asking for the number again counts towards the limit
            return
        else:
            turn.say_error("past-date")
        turn.notes["progress"] = True  # the caller hears why; the question that follows is no loop

    def _ask(self, turn: Turn, need: str) -> None:
        P, t = turn.P, turn.tenant
        turn.awaiting = need
        profile = profiles.of(t)
        if need == profile.name_slot and "_name_options" in turn.state.slots:
            options = turn.state.slots["_name_options"].split("|")
            turn.say("ask_person_which" if profile.names_a_person else "ask_name_which", options=P.either(options))
            for option in options:
                turn.offer(option)
        elif (question := profile.ask(P, t, need, turn.state.slots)) is not None:
            turn.say_text(question.text)
            for option in question.options:
                turn.offer(option)
        else:
            turn.say(f"ask_{need}")

    async def confirm(self, turn: Turn) -> None:
        """In the confirming mode: yes books, no (or a correction) goes back to collecting."""
        heard = turn.heard
        if heard.yes_no is True and not heard.has_slot_values:
            await self.book(turn)
            return
        if self.absorb(turn):
            await self.advance(turn)
            return
        if heard.yes_no is False:
            turn.update(mode="booking", asked=WHAT_TO_CHANGE)
            turn.say("ask_what_to_change")
            return
        turn.say("confirm_yes_no")
        turn.offer_yes_no(booking=True)

    def drop(self, turn: Turn) -> None:
        """"No" to "what would you like to change?": the caller does not want it; nothing is booked."""
        turn.say("not_booked")
        turn.update(mode="idle", asked=None, slots={}, checked=None, alternatives=(), asks={})

    async def book(self, turn: Turn) -> None:
        t, s = turn.tenant, turn.state.slots
        request = facts.request_from_slots(t, s)
        if request is None:  # cannot happen after a summary, but never book half a request
            self.ask_next(turn)
            return
        name, details = profiles.of(t).customer(s)
        customer = Customer(name=name, phone=s["phone"], language=turn.lang)
        try:
            booking = await self.tools.create_booking(t.id, request, customer, details=details, channel=turn.channel,
                                                      key=self.tools.write_key(turn.state, "create",
                                                                               facts.fingerprint(request)))
        except BookingError as exc:
            turn.notes["booking_error"] = exc.code
            if exc.code in ("full", "slot-taken"):
                turn.update(checked=None)
                await self.advance(turn)
            elif exc.code == "invalid-phone":
                turn.set_slots(phone=None)
                turn.say("invalid_phone")
                turn.update(mode="booking", asked="phone")
            elif exc.code in _DATE_PROBLEMS:
                self._date_problem(turn, exc)
            else:
                turn.update(mode="booking", checked=None)
                turn.say_error("booking-failed")
            return
        except BackendUnavailable:
            await self.backend_down(turn)
            return
        turn.record(booking, "created", facts.booking_summary(turn.P, t, booking))
        turn.protected = True
        turn.say("booked", code=booking.code)
        if turn.P.spoken:  # the summary was one breath: the secondary facts follow the booking
            for note in profiles.of(t).hours_notes(turn.P, t):
                turn.say_text(note)
        turn.update(mode="idle", slots={k: v for k, v in s.items() if k in ("phone", "owner_name")},
                    asked=None, checked=None, alternatives=(), last_code=booking.code)

    async def backend_down(self, turn: Turn) -> None:
        """Apologise, and make sure a colleague calls back: with the phone we have, or ask for it."""
        turn.notes["fallback"] = "callback"
        turn.say_error("tool-timeout")
        phone = turn.state.slots.get("phone") or turn.state.caller_id
        reason = "booking: " + describe_request(turn)
        if phone and await self.callbacks.take(turn, phone, reason):
            turn.say("backend_down_callback", phone=spoken_phone(phone))
            turn.update(mode="idle", asked=None, checked=None)
            return
        turn.update(mode="callback", callback_reason=reason, asked="phone")
        turn.say("callback_ask_phone")

    # -- pieces -----------------------------------------------------------------------------------

    def _say_available(self, turn: Turn, a: Availability) -> None:
        turn.say_text(profiles.for_request(a.request).available(turn.P, turn.tenant, a))

    def offer_alternatives(self, turn: Turn, a: Availability) -> None:
        P, t = turn.P, turn.tenant
        turn.notes["availability"] = a.reason or "full"
        profile = profiles.for_request(a.request)
        if a.reason == "closed":
            first, last = profile.first_day(a.request, t.tz), profile.last_day(a.request, t.tz)
            closed = first if not t.is_open_day(first) else last
            turn.say_error("closed", date=P.day(closed))
            if closed != first:  # only the pick-up day is closed: keep the start, ask for another end
                end_slot = profiles.of(t).date_slots[-1]
                turn.set_slots(**{end_slot: None})
                turn.update(checked=None, alternatives=(), asked=None)
                self.ask_next(turn)
                return
        else:
            turn.say_text(profile.full(P, t, a))
        alternatives = a.alternatives[:3]
        if not alternatives:
            turn.say("no_alternatives")
        else:
            labels = [facts.short_label(P, t, alt) for alt in alternatives]
            turn.say("alternatives", alternatives=P.either(labels))
            for label in labels:
                turn.offer(label)
        turn.update(mode="booking", checked=None, asked="alternative",
                    alternatives=tuple(facts.patch_for(alt, t) for alt in alternatives))

    def _date_problem(self, turn: Turn, exc: BookingError) -> None:
        turn.notes["availability"] = exc.code
        P, t = turn.P, turn.tenant
        profile = profiles.of(t)
        first, second = profile.date_slots[0], profile.date_slots[-1]
        day = turn.state.slots.get(profile.day_slot)
        if exc.code == "closed" and day:
            turn.say_error("closed", date=P.day(date.fromisoformat(day)))
        elif exc.code == "too-long" and (too_long := profile.too_long(P, t)) is not None:
            turn.say_text(too_long)
        else:  # a problem whose facts are not at hand is said as booking-failed by the table
            turn.say_error(exc.code if exc.code in _DATE_PROBLEMS else "booking-failed")
        clear = {second: None} if exc.code == "outside-hours" else {first: None, second: None}
        turn.set_slots(**clear)
        turn.update(mode="booking", checked=None, asked=None)
        need = slotting.missing(t, turn.state.slots)
        turn.update(asked=need)

    def _summarise(self, turn: Turn) -> None:
        P, t, s = turn.P, turn.tenant, turn.state.slots
        price = P.price(Decimal(s.get("_price", "0")), t.currency)
        phone = spoken_phone(s["phone"])
        turn.say_text(profiles.of(t).summary(P, t, s, price, phone))
        turn.update(mode="confirming", asked="confirm")
        turn.offer_yes_no(booking=True)


def offer_call_back(turn: Turn, reason: str, *, known: str, ask: str) -> None:
    """No loop: say a colleague will call back, and offer the number known (the booking's or the
    caller ID: reply key `known`, asked to confirm) or ask for one (reply key `ask`). `reason` goes
    to the staff's call-back list."""
    turn.say("loop_offer_person")
    turn.update(mode="callback", asked="phone", asked_times=1, callback_reason=reason, same_ask=0)
    phone = turn.state.slots.get("phone") or caller_phone(turn)
    if phone:
        turn.say(known, phone=spoken_phone(phone))
        turn.update(asked="callback_confirm")
    else:
        turn.say(ask)


def caller_phone(turn: Turn) -> str | None:
    """The caller's own number as the channel knows it (SMS sender, SIP caller id), if valid."""
    caller = turn.state.caller_id
    return extract_phone(caller, turn.tenant.phone_region) if caller else None


_SLOT_GROUPS = ({"start_date", "end_date", "nights"}, {"date", "time"}, {"phone", "_phone_part"})


def _moved_towards(need: str, changed: tuple[str, ...]) -> bool:
    """Whether this turn brought the answer to `need` itself closer: the first digits of the number
    asked for. (The other end of a stay or a number of nights is an answer to another question.)"""
    return need == "phone" and "_phone_part" in changed


def _another_question(turn: Turn, need: str, asks: dict[str, int]) -> str:
    """The caller answered another question than `need`: the next missing slot (in the profile's
    order, outside `need`'s group) asked fewer times, or `need` itself when there is none."""
    group = next((g for g in _SLOT_GROUPS if need in g), {need})
    profile = profiles.of(turn.tenant)
    # Only questions that stand on their own: the number, and the name once the animal is known
    # ("What is your dog's name?" needs the dog). Dates and the kind of room keep their order.
    standalone = {"phone"} | ({profile.name_slot} if not profile.resource_slot
                              or profile.resource_slot in turn.state.slots else set())
    for slot in slotting.order(turn.tenant):
        if slot in standalone and slot not in turn.state.slots and slot not in group \
                and asks.get(slot, 0) < asks.get(need, 0):
            return slot
    return need


def describe_request(turn: Turn) -> str:
    """What the caller wanted, for the callback note staff read (kept in the database only)."""
    s = turn.state.slots
    keys = [k for k in profiles.of(turn.tenant).slot_order if k != "phone"]
    return ", ".join(f"{k}={s[k]}" for k in keys if k in s) or "booking request"
