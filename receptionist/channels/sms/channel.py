"""Incoming texts → the agent → a concise reply through the outbox.

One session per tenant + phone number, continuing across messages and days. Options are rendered as
"1) … 2) …" and a bare "2" answers with the second option. Replies are cut to `max_parts` segments.
"""

from __future__ import annotations

import hashlib
import logging

from receptionist.agent.conversation import Agent
from receptionist.booking.phones import normalize_phone
from receptionist.channels.sms.modem import IncomingSms
from receptionist.channels.sms.outbox import Outbox
from receptionist.channels.sms.render import Reassembler, chosen, fit, render
from receptionist.clock import Clock
from receptionist.config.tenant import TenantConfig
from receptionist.errors import BookingError
from receptionist.events import IncomingMessage, QuickReply

log = logging.getLogger(__name__)


def session_id(tenant_id: str, number: str) -> str:
    return "sms-" + hashlib.sha256(f"{tenant_id}:{number}".encode()).hexdigest()[:32]


class SmsChannel:
    def __init__(self, agent: Agent, outbox: Outbox, tenant: TenantConfig, clock: Clock, *, max_parts: int = 3) -> None:
        self.agent = agent
        self.outbox = outbox
        self.tenant = tenant
        self.clock = clock
        self.max_parts = max_parts
        self._parts = Reassembler()
        self._options: dict[str, tuple[QuickReply, ...]] = {}

    def _number(self, raw: str) -> str:
        try:
            return normalize_phone(raw, self.tenant.phone_region)
        except BookingError:
            return raw.strip()  # an alphanumeric sender or a short code: keep it as it came

    async def receive(self, sms: IncomingSms) -> None:
        number = self._number(sms.number)
        text = self._parts.add(number, sms.text, sms.concat, self.clock.now())
        if text is None or not text.strip():
            return  # more parts to come (or an empty text)
        if not number.startswith("+"):
            log.info("sms from a non-phone sender ignored")
            return
        session = session_id(self.tenant.id, number)
        text = chosen(text, self._options.get(session, ())) or text
        msg = IncomingMessage(text=text, channel="sms", session_id=session, tenant_id=self.tenant.id,
                              received_at=self.clock.now(), caller_id=number)
        reply = await self.agent.handle(msg)
        self._options[session] = reply.options
        sms_id = await self.outbox.enqueue(self.tenant.id, number, fit(render(reply), self.max_parts), "reply")
        log.info("sms turn session=%s reply=%d intent=%s", session[4:12], sms_id, reply.intent)
