"""The agent: one channel-agnostic brain. Text in (IncomingMessage), structured reply out.

Per turn: load the session → language → hear (rules) → [LLM only if the rules found nothing] →
dispatch to the booking / manage / callback / question handling → persist state and the log.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable, Mapping

from receptionist import profiles
from receptionist.agent import facts
from receptionist.agent import slots as slotting
from receptionist.agent import callback_talk, repeat_guard, store
from receptionist.agent.booking_flow import WHAT_TO_CHANGE, BookingFlow
from receptionist.agent.callbacks import CallbackDesk
from receptionist.agent.answers import bare_answer_expected, bare_number_answer, date_answer_unread, ref_date
from receptionist.agent.extract.phones import only_digits
from receptionist.agent.extract.traceable import traceable
from receptionist.agent.extract.names import is_plausible_name
from receptionist.agent.holding import HoldingTimer, OnHolding
from receptionist.agent.knowledge import KnowledgeBase
from receptionist.agent.language import LanguageDetector, LanguageState, softmax, update_language
from receptionist.agent.llm import Understanding
from receptionist.agent.lockout import LookupGuard, LookupLimits
from receptionist.agent.manage_flow import ManageFlow, trusted_caller
from receptionist.agent.own_booking import names_own_booking
from receptionist.agent.nlu import Heard, hear
from receptionist.agent.replies import Phrases
from receptionist.agent.session import SessionState
from receptionist.agent.session_locks import SessionLocks
from receptionist.agent.tools import Tools
from receptionist.agent.turn import Turn
from receptionist.agent.verify import OtpSender, Verifier
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.config.tenant import TenantConfig
from receptionist.dbworker import DbWorker
from receptionist.errors import BookingError
from receptionist.events import AgentReply, BookingMade, IncomingMessage
from receptionist.ownership import Owner

log = logging.getLogger(__name__)
_LLM_INTENTS = {"book": "book", "question": "question", "change": "change_booking", "cancel": "cancel_booking",
                "human": "human", "greeting": "greeting", "bye": "thanks_bye", "yes": "yes", "no": "no",
                "other": "unknown"}


class Agent:
    def __init__(self, config: AppConfig, clock: Clock, worker: DbWorker, tools: Tools, callbacks: CallbackDesk,
                 knowledge: Mapping[str, KnowledgeBase], understanding: Mapping[str, Understanding], *,
                 otp_sender: OtpSender | None = None) -> None:
        self.config = config
        self.clock = clock
        self.worker = worker
        self.tools = tools
        self.knowledge = knowledge
        self.understanding = understanding
        self.booking_flow = BookingFlow(tools, callbacks)
        guard = LookupGuard(worker, clock, LookupLimits.from_config(config.agent))
        self.verifier = Verifier(tools.find, guard, clock, sender=otp_sender,
                                 otp_valid=timedelta(minutes=config.agent.otp_valid_minutes),
                                 otp_tries=config.agent.otp_tries)
        self.manage_flow = ManageFlow(tools, self.booking_flow, callbacks, self.verifier)
        self.callbacks = callbacks
        self._detectors = {t.id: LanguageDetector(t.languages) for t in config.tenants}
        self._locks = SessionLocks()  # bounded: idle sessions' locks are dropped (LRU)
        self.booking_listeners: list[Callable[[BookingMade], Awaitable[None]]] = []

    # -- public API (the Brain protocol every channel uses) ----------------------------------------

    async def handle(self, msg: IncomingMessage, *, on_holding: OnHolding = None) -> AgentReply:
        async with self._locks[msg.session_id]:
            with self.tools.recording():  # this turn's tool calls only, whatever other sessions do
                return await self._handle(msg, on_holding)

    async def greeting(self, session_id: str, tenant_id: str, channel: str, *, caller_id: str | None = None,
                       language: str | None = None) -> AgentReply:
        tenant = self.config.tenant(tenant_id)
        P = Phrases(language if language in tenant.languages else tenant.default_language)
        state = SessionState(session_id, tenant.id, channel, caller_id=caller_id)
        text = P("greeting", assistant=tenant.assistant_name, business=tenant.name)
        await self.worker.run(store.save_turn, state, self.clock.now(), [("bot", text, P.lang, "greeting", {})])
        return AgentReply(session_id, P.lang, (text,), "greeting")

    async def note_heard(self, session_id: str, heard_text: str) -> None:
        """After a barge-in: the history keeps only what the caller actually heard."""
        async with self._locks[session_id]:
            tenant_id = await self.worker.run(store.session_owner, session_id)
            if tenant_id:
                await self.worker.run(store.replace_last_bot_text, tenant_id, session_id, heard_text)

    async def record_event(self, session_id: str, meta: Mapping[str, Any]) -> None:
        """Store channel measurements (voice stage timings, barge-ins) in the session's log."""
        tenant_id = await self.worker.run(store.session_owner, session_id)
        if tenant_id:
            await self.worker.run(store.append_event, tenant_id, session_id, self.clock.now(), meta)

    async def end_session(self, session_id: str) -> None:
        tenant_id = await self.worker.run(store.session_owner, session_id)
        if tenant_id:
            await self.worker.run(store.end_conversation, tenant_id, session_id, self.clock.now())

    # -- one turn ---------------------------------------------------------------------------------

    async def _handle(self, msg: IncomingMessage, on_holding: OnHolding) -> AgentReply:
        t0 = time.monotonic()
        tenant = self.config.tenant(msg.tenant_id)
        text = msg.text.strip()[:1000]
        state = await self._load(msg, tenant)
        lang_state = update_language(state.language, text, self._detectors[tenant.id],
                                     threshold=self.config.agent.language_threshold, hint=msg.language_hint)
        lang = _language(lang_state, tenant)
        state = replace(state, language=lang_state, turns=state.turns + 1)
        today = msg.received_at.astimezone(tenant.tz).date()
        ref = ref_date(state)
        heard = hear(text, lang, today, tenant, ref=ref, n_options=len(state.alternatives))
        turn = Turn(state=state, heard=heard, tenant=tenant, today=today,
                    P=Phrases(lang, today, spoken=msg.channel == "voice"), channel=msg.channel,
                    client=msg.client or msg.caller_id)
        holding = HoldingTimer(on_holding, msg.session_id, lang, turn.P("holding"),
                           self.config.agent.holding_phrase_after_s, self.clock)
        used_llm = False
        try:
            async with holding:
                used_llm = await self._dispatch(turn)
            repeat_guard.guard(turn, state)  # never the same question or reply a third time
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug must never leave the caller in silence
            log.exception("agent turn failed (session state kept as before this turn)")
            turn = Turn(state=state, heard=heard, tenant=tenant, today=today,
                        P=Phrases(lang, today, spoken=msg.channel == "voice"), channel=msg.channel)
            turn.say_error("internal")
            self.booking_flow.ask_next(turn) if state.mode == "booking" else turn.say("how_can_i_help")
            turn.notes["error"] = "agent-exception"
        reply = AgentReply(
            session_id=msg.session_id, language=lang, sentences=tuple(p for p in turn.parts if p),
            intent=turn.intent, options=tuple(turn.options), slots={k: v for k, v in turn.state.slots.items()
                                                                     if not k.startswith("_")},
            booking=turn.booking, protected=turn.protected, handoff=turn.handoff, end_of_conversation=turn.end,
            awaiting=turn.awaiting,
        )
        ms = int((time.monotonic() - t0) * 1000)
        calls = [asdict(c) for c in self.tools.take_calls()]
        meta = {"tools": calls, "llm": used_llm, "ms": ms, "mode": turn.state.mode, **turn.notes}
        try:
            await self._db(store.save_turn, turn.state, self.clock.now(), [
                ("caller", text, lang, turn.intent, {"channel": msg.channel, "hint": msg.language_hint}),
                ("bot", reply.text, lang, turn.intent, meta),
            ])
        except sqlite3.OperationalError:  # the caller still gets the reply; the next turn resumes from before
            log.error("saving the turn failed: database busy (session %s)", msg.session_id[:8])
        if turn.made is not None:
            await self._notify(turn.made)
        log.info("turn session=%s tenant=%s lang=%s intent=%s mode=%s llm=%s tools=%d ms=%d",
                 msg.session_id[:8], tenant.id, lang, turn.intent, turn.state.mode, used_llm, len(calls), ms)
        return reply

    async def _db(self, fn: Callable[..., Any], *args: Any, attempts: int = 3) -> Any:
        """A conversation-store call, retried when another writer holds the database for too long."""
        for attempt in range(1, attempts + 1):
            try:
                return await self.worker.run(fn, *args)
            except sqlite3.OperationalError:
                if attempt == attempts:
                    raise
                await asyncio.sleep(0.5 * attempt)

    async def _notify(self, made: BookingMade) -> None:
        for listener in self.booking_listeners:
            try:
                await listener(made)
            except Exception:  # a failing listener (e.g. the SMS modem) never breaks the conversation
                log.exception("booking listener failed")

    async def _load(self, msg: IncomingMessage, tenant: TenantConfig) -> SessionState:
        owner = await self.worker.run(store.session_owner, msg.session_id)
        if owner is not None and owner != tenant.id:
            raise BookingError("this session belongs to another tenant", code="unknown-session")
        state, updated = await self._db(store.load_state, tenant.id, msg.session_id)
        fresh = SessionState(msg.session_id, tenant.id, msg.channel, caller_id=msg.caller_id)
        if state is None:
            return fresh
        if updated and _age(updated, msg.received_at) > timedelta(minutes=self.config.agent.session_idle_minutes):
            return replace(fresh, language=state.language)  # a new conversation, same caller language
        return state

    async def _dispatch(self, turn: Turn) -> bool:
        """Route the turn; returns whether the LLM was consulted."""
        h, mode = turn.heard, turn.state.mode
        intent = h.intent
        used_llm = False
        kb = self.knowledge.get(turn.tenant.id)
        kb_entry = kb.search(h.text) if kb and intent == "question" else None
        turn.notes["kb_entry"] = kb_entry.id if kb_entry else None
        unclear = intent == "unknown" or (intent == "question" and kb_entry is None)
        if (bare := bare_number_answer(turn)) is not None:  # "15" to "which day?", "10" to "what time?"
            turn.heard = h = replace(h, dates=bare)
        elif date_answer_unread(turn):  # "which day?" answered in words the rules do not read
            day = await self._propose_date(turn)
            used_llm = day is not None or used_llm
            if day is not None:
                turn.heard = h = replace(h, dates=replace(h.dates, single=day))
                turn.notes["llm_date"] = True
        elif unclear and not h.has_slot_values and h.yes_no is None and h.code is None \
                and h.choice is None and not bare_answer_expected(turn):
            proposal = await self._propose(turn)
            used_llm = proposal is not None
            if proposal is not None:
                intent = _LLM_INTENTS[proposal.intent]
                if intent in ("change_booking", "cancel_booking") and mode in ("booking", "confirming"):
                    intent = "unknown"  # mid-booking, only the caller's own words (the rules) start a change
                if proposal.name and not (h.pet_name or h.person_name or h.own_number) \
                        and is_plausible_name(proposal.name.split()[0]) \
                        and (turn.state.asked == profiles.of(turn.tenant).name_slot or intent == "book"):
                    turn.heard = h = replace(h, pet_name=None if profiles.of(turn.tenant).names_a_person else proposal.name,
                                             person_name=proposal.name)
                turn.notes["topic"] = proposal.topic
        if mode == "idle" and intent not in ("cancel_booking", "change_booking", "human") \
                and await self._about_own_booking(turn):
            intent = "change_booking"  # "About Pickle - we'll collect him on the 11th", "у меня в четверг осмотр"
        if intent == "human" and (h.own_number and h.has_slot_values or h.phone and _books_something(h)
                                  or (h.own_number or h.phone) and mode == "booking"):
            intent = "book"  # "a room from the 14th, and call me back on this number / on 5123 4567": the booking's phone
        collecting = mode in ("booking", "confirming")
        if intent == "change_booking" and collecting and not h.code:
            intent = "book"  # "change the date" mid-booking: the request being made, never a booking made before
            if mode == "confirming" and not (h.has_slot_values or h.dates.shift):
                turn.heard = h = replace(h, yes_no=False)  # at the summary: "what would you like to change?"
        turn.intent = intent
        if intent == "human":
            await callback_talk.person_asked_for(turn, self.callbacks)
        elif intent in ("cancel_booking", "change_booking") and mode != "manage" \
                and not (collecting and h.has_slot_values):  # "change it to the 12th" corrects the summary
            await self.manage_flow.start(turn, "cancel" if intent == "cancel_booking" else "change")
        elif intent == "question" and not (mode == "manage" and (h.code or h.phone)) \
                and not (h.resource and _has_day(h)) \
                and not (kb_entry is None and h.has_slot_values) \
                and not (turn.state.asked in profiles.of(turn.tenant).free_text_slots and "?" not in h.text) \
                and not (turn.state.asked == profiles.of(turn.tenant).name_slot and "?" not in h.text
                         and slotting.bare_name(h, 4) is not None):  # "Helen Price" is a name, not a price question
            before = turn.state.mode
            used_llm |= await self._question(turn)
            if turn.state.mode == before and (before == "booking" or (before == "idle" and not h.dates.empty)) \
                    and h.has_slot_values and self.booking_flow.absorb(turn):  # "Is walking included? Anyway, until the 23rd."
                turn.intent = "book"
                await self.booking_flow.advance(turn)
            elif turn.state.mode == before:
                self._resume(turn)
        elif mode == "confirming" and (h.yes_no is not None or h.has_slot_values):
            await self.booking_flow.confirm(turn)
        elif mode == "manage":
            await self.manage_flow.step(turn)
        elif mode == "callback" and (h.phone or only_digits(h.digits or h.text)  # "5. 3. 6. 2." is a number, no day
                                     or not (h.has_slot_values or intent in ("book", "thanks_bye"))):
            await callback_talk.number_given(turn, self.callbacks)
        elif self.booking_flow.absorb(turn) or intent == "book":
            turn.intent = "book"
            await self.booking_flow.advance(turn)
        elif intent == "greeting":
            if turn.state.turns <= 1:
                turn.say("greeting", assistant=turn.tenant.assistant_name, business=turn.tenant.name)
            self._resume(turn, default="how_can_i_help" if turn.state.turns > 1 else None)
        elif intent == "thanks_bye" or (intent == "no" and mode == "idle" and turn.state.last_code):
            turn.say("goodbye", business=turn.tenant.name)
            turn.end = True
            turn.update(mode="idle", asked=None)
        elif mode == "confirming":
            turn.say("confirm_yes_no")
            turn.offer_yes_no(booking=True)
        elif mode == "booking" and turn.state.asked == WHAT_TO_CHANGE and h.yes_no is False:
            self.booking_flow.drop(turn)  # "no" to "what would you like to change?": nothing is booked
        elif mode == "booking":
            turn.say("not_caught")  # the question again (at most twice, then a colleague: ask_next)
            self.booking_flow.ask_next(turn)
        elif intent in ("yes", "no") and mode == "idle":
            turn.say("nothing_pending")  # "Yes, that's right" with nothing pending
        else:
            turn.say("not_understood")
            self._resume(turn)
        return used_llm

    def _resume(self, turn: Turn, default: str | None = None) -> None:
        """After a side question, go back to where the conversation stood."""
        mode = turn.state.mode
        if mode == "booking":
            self.booking_flow.ask_next(turn)
        elif mode == "confirming":
            turn.say("confirm_yes_no")
            turn.offer_yes_no(booking=True)
        elif mode == "callback":
            turn.say("callback_ask_phone")
        elif default:
            turn.say(default)

    async def _question(self, turn: Turn) -> bool:
        kb = self.knowledge.get(turn.tenant.id)
        entry = kb.search(turn.heard.text) if kb else None
        used_llm = False
        if entry is None and kb and kb.entries:
            topic = turn.notes.get("topic")
            if "topic" not in turn.notes:  # the LLM was not asked yet this turn
                proposal = await self._propose(turn)
                used_llm = proposal is not None
                topic = proposal.topic if proposal else None
            entry = kb.get(topic) if topic else None
        if entry is None:
            turn.notes["kb"] = None
            turn.say("dont_know")
            if turn.state.mode not in ("booking", "confirming"):
                turn.update(mode="callback", callback_reason="question", asked="phone")
            return used_llm
        turn.notes["kb"] = entry.id
        if entry.fact == "prices":
            turn.say_text(facts.price_list(turn.P, turn.tenant))
            return used_llm
        if entry.fact == "hours":
            turn.say_text(facts.opening_hours(turn.P, turn.tenant))
            return used_llm
        answer, in_lang = entry.answer(turn.lang, turn.tenant.default_language)
        if in_lang != turn.lang:
            turn.say("only_in_language")
        turn.say_text(answer or "")
        return used_llm

    async def _propose_date(self, turn: Turn) -> date | None:
        """Ask the model the narrow date question; keep its answer only when the caller's words
        carry it (the day number, or the weekday — see extract.dates.traceable)."""
        understanding = self.understanding.get(turn.tenant.id)
        if understanding is None or not understanding.available:
            return None
        day = await understanding.propose_date(turn.heard.text, turn.today, owner=Owner.for_channel(
            turn.state.session_id, turn.state.turns, turn.channel))
        if day is None or not traceable(day, turn.heard.digits or turn.heard.text, turn.today, ref=ref_date(turn.state)):
            return None
        return day

    async def _about_own_booking(self, turn: Turn) -> bool:
        """Whether the caller (by the number the channel vouches for) talks about a booking they have."""
        caller = trusted_caller(turn)
        if caller is None:
            return False
        try:
            bookings = await self.tools.find(turn.tenant.id, phone=caller)
        except Exception:  # a look-up failure only means no shortcut: the rules go on as before
            log.warning("own-booking look-up failed", exc_info=True)
            return False
        return names_own_booking(turn.heard, bookings, turn.tenant, turn.today)

    async def _propose(self, turn: Turn):
        understanding = self.understanding.get(turn.tenant.id)
        if understanding is None or not understanding.available:
            return None
        return await understanding.propose(turn.heard.text, owner=Owner.for_channel(
            turn.state.session_id, turn.state.turns, turn.channel))


def _language(state: LanguageState, tenant: TenantConfig) -> str:
    if state.committed:
        return state.committed
    if state.evidence:
        probs = softmax(state.evidence)
        lang = max(probs, key=lambda k: probs[k])
        if probs[lang] >= 0.75 and lang in tenant.languages:  # a word both languages use ("number"): the default
            return lang
    return tenant.default_language


def _books_something(h: Heard) -> bool:
    """Whether the utterance names something to book besides a phone number: a day, a room or service, a name."""
    return bool(h.resource or not h.dates.empty or h.pet_name or h.person_name)


def _has_day(h: Heard) -> bool:
    return bool(h.dates.start or h.dates.end or h.dates.single)


def _age(updated_iso: str, now: datetime) -> timedelta:
    try:
        return now - datetime.fromisoformat(updated_iso)
    except ValueError:
        return timedelta(0)
