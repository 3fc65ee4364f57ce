"""Incoming texts → the inbox → the agent → a concise reply through the outbox.

One session per tenant + phone number, continuing across messages and days. Options are rendered as
"1) … 2) …" and a bare "2" answers with the second option. Replies are cut to `max_parts` segments.

Nothing lost, nothing twice: `keep` stores a text (on the modem's thread, before the SIM copy is
deleted); `process` answers the stored texts in order, and queues each reply in the same transaction
that marks its text done (inbox.finish). A crash before that commit leaves the text 'new': it is
answered at the next start, once. A sender who sends more than `rate_limit` messages within
`rate_window_s` (an auto-responder talking to the bot) gets no further replies until the window
passes — counted in `receptionist_sms_rate_limited`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import timedelta

from cachetools import TTLCache
from prometheus_client import Counter

from receptionist.agent.conversation import Agent
from receptionist.booking.phones import normalize_phone
from receptionist.channels.sms import inbox
from receptionist.channels.sms.modem import IncomingSms
from receptionist.channels.sms.outbox import Outbox, timestamp
from receptionist.channels.sms.render import chosen, fit, render
from receptionist.clock import Clock
from receptionist.config.tenant import TenantConfig
from receptionist.dbworker import DbWorker
from receptionist.errors import BookingError, caller_message
from receptionist.events import IncomingMessage, QuickReply
from receptionist.ops.metrics import REGISTRY

log = logging.getLogger(__name__)

RATE_LIMITED = Counter("receptionist_sms_rate_limited", "Incoming texts left unanswered: their sender went over "
                       "[sms] rate_limit_texts within rate_limit_window_min", ["tenant"], registry=REGISTRY)
PARTS_WAIT = timedelta(hours=1)  # a long message with a part missing is answered with what came, after this
# The options last offered per number ("reply 2" picks the second): kept a day, for at most this many numbers.
OPTIONS_KEPT_S = 24 * 3600.0
OPTIONS_MAX_NUMBERS = 4096


def session_id(tenant_id: str, number: str) -> str:
    return "sms-" + hashlib.sha256(f"{tenant_id}:{number}".encode()).hexdigest()[:32]


class SmsChannel:
    def __init__(self, agent: Agent, outbox: Outbox, worker: DbWorker, tenant: TenantConfig, clock: Clock, *,
                 max_parts: int = 3, rate_limit: int = 10, rate_window_s: float = 600.0) -> None:
        self.agent = agent
        self.outbox = outbox
        self.worker = worker
        self.tenant = tenant
        self.clock = clock
        self.max_parts = max_parts
        self.rate_limit = rate_limit
        self.rate_window = timedelta(seconds=rate_window_s)
        self._options: TTLCache[str, tuple[QuickReply, ...]] = TTLCache(OPTIONS_MAX_NUMBERS, OPTIONS_KEPT_S,
                                                                         timer=clock.monotonic)
        self._lock = asyncio.Lock()
        self._again = False
        self._task: asyncio.Task | None = None

    def _number(self, raw: str) -> str:
        try:
            return normalize_phone(raw, self.tenant.phone_region)
        except BookingError:
            return raw.strip()  # an alphanumeric sender or a short code: keep it as it came

    def keep(self, sms: IncomingSms) -> None:
        """Store a text (committed when this returns; a text seen before is a no-op). Call from any thread
        but the database's — the modem calls it before deleting the text from the SIM."""
        self.worker.run_sync(inbox.store, self.tenant.id, self._number(sms.number), sms.text, sms.concat,
                             sms.sent_at, timestamp(self.clock.now()))

    async def receive(self, sms: IncomingSms) -> None:
        """Store a text and answer what is pending (for callers already on the event loop)."""
        await self.worker.run(inbox.store, self.tenant.id, self._number(sms.number), sms.text, sms.concat,
                              sms.sent_at, timestamp(self.clock.now()))
        await self.process()

    def kick(self) -> None:
        """Answer pending texts soon (on the event loop; one pass at a time, another after it if kicked again)."""
        self._again = True
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain(), name="sms-inbox")

    async def _drain(self) -> None:
        while self._again:
            self._again = False
            try:
                await self.process()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database hiccupped: the texts stay 'new' for the next pass
                log.exception("sms inbox pass failed")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def process(self) -> int:
        """Answer every pending text, oldest first; returns how many messages were handled."""
        async with self._lock:
            pending = await self.worker.run(inbox.pending, self.tenant.id)
            units = inbox.assemble(pending, self.clock.now(), PARTS_WAIT)
            for unit in units:
                await self._answer(unit)
            return len(units)

    async def _answer(self, unit: inbox.Unit) -> None:
        now = self.clock.now()
        number = unit.sender
        if not number.startswith("+"):
            await self.worker.run(inbox.finish, unit.ids, "ignored", timestamp(now))
            log.info("sms from a non-phone sender ignored")
            return
        session = session_id(self.tenant.id, number)
        recent = await self.worker.run(inbox.recent_messages, self.tenant.id, number, timestamp(now - self.rate_window),
                                       max(unit.ids))
        if self.rate_limit and recent > self.rate_limit:
            await self.worker.run(inbox.finish, unit.ids, "limited", timestamp(now))
            RATE_LIMITED.labels(self.tenant.id).inc()
            log.warning("sms session=%s over the rate limit (%d messages); not answered", session[4:12], recent)
            return
        text = chosen(unit.text, self._options.get(session, ())) or unit.text
        msg = IncomingMessage(text=text, channel="sms", session_id=session, tenant_id=self.tenant.id,
                              received_at=now, caller_id=number)
        try:
            reply = await self.agent.handle(msg)
        except asyncio.CancelledError:
            raise  # shutting down: the text stays 'new' and is answered after the restart
        except Exception as exc:  # a bug: never loop on one text; the traceback (no caller text) goes to the log
            log.exception("sms session=%s: the agent failed; the sender is told so once", session[4:12])
            sorry = caller_message(getattr(exc, "code", "internal"), self.tenant.languages[0])  # the error table
            if await self.worker.run(inbox.finish, unit.ids, "ignored", timestamp(self.clock.now()),
                                     (self.tenant.id, number, sorry)) is not None:
                self.outbox.wake()
            return
        self._options[session] = reply.options
        sms_id = await self.worker.run(inbox.finish, unit.ids, "done", timestamp(self.clock.now()),
                                       (self.tenant.id, number, fit(render(reply), self.max_parts)))
        if sms_id is not None:
            self.outbox.wake()
        log.info("sms turn session=%s reply=%s intent=%s", session[4:12], sms_id, reply.intent)
