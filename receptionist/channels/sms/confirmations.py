"""A text to the customer after a booking is made, moved or cancelled, in their language.

Who gets a text (the web chat must not be a way to text arbitrary numbers):
  - a booking made, moved or cancelled over SMS or the phone line, when the number on the booking IS
    the caller's own number (the SMS sender / caller ID): the text goes back to the person who asked;
  - a booking made by staff (channels "staff", "api", "cli"): staff typed the number themselves.
Nothing else is texted — in particular not a booking made on the web chat (the visitor only typed a
number; whose it is, nobody checked), nor one made by phone for somebody else's number. Those customers
hear or read their confirmation code in the conversation itself. Skipped confirmations are logged with
the channel only (never the number).
"""

from __future__ import annotations

import logging

import sqlite_utils

from receptionist.booking.phones import normalize_phone
from receptionist.channels.sms.outbox import Outbox
from receptionist.config.app import AppConfig
from receptionist.dbworker import DbWorker
from receptionist.errors import BookingError, ConfigError
from receptionist.events import BookingMade

log = logging.getLogger(__name__)

CALLER_CHANNELS = ("sms", "voice")  # the channel knows the caller's number
STAFF_CHANNELS = ("staff", "api", "cli")

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {"created": "{business}: your booking {code} is confirmed. {summary}. Questions: {phone}",
           "moved": "{business}: your booking {code} has been changed. {summary}. Questions: {phone}",
           "cancelled": "{business}: your booking {code} has been cancelled. Questions: {phone}"},
    "et": {"created": "{business}: teie broneering {code} on kinnitatud. {summary}. Küsimused: {phone}",
           "moved": "{business}: teie broneeringut {code} on muudetud. {summary}. Küsimused: {phone}",
           "cancelled": "{business}: teie broneering {code} on tühistatud. Küsimused: {phone}"},
    "ru": {"created": "{business}: ваша бронь {code} подтверждена. {summary}. Вопросы: {phone}",
           "moved": "{business}: ваша бронь {code} изменена. {summary}. Вопросы: {phone}",
           "cancelled": "{business}: ваша бронь {code} отменена. Вопросы: {phone}"},
}


def confirmation_text(made: BookingMade, business: str, phone: str) -> str:
    templates = TEMPLATES.get(made.language, TEMPLATES["en"])
    return templates[made.action].format(business=business, code=made.code, summary=made.summary, phone=phone)


def caller_of(db: sqlite_utils.Database, tenant_id: str, session_id: str) -> str | None:
    """The caller's number (SMS sender / caller ID) the conversation was held with, as the channel gave it."""
    row = db.execute("SELECT caller_id FROM conversations WHERE id = ? AND tenant_id = ?",
                     (session_id, tenant_id)).fetchone()
    return row[0] if row and row[0] else None


def may_text(made: BookingMade, caller_id: str | None, region: str) -> bool:
    """The policy in the module docstring: staff bookings, or the caller's own number on a phone channel."""
    if made.channel in STAFF_CHANNELS:
        return True
    if made.channel not in CALLER_CHANNELS or not caller_id:
        return False
    try:
        return normalize_phone(caller_id, region) == made.phone
    except BookingError:  # an anonymous or non-phone caller id
        return False


class Confirmations:
    """An `agent.booking_listeners` entry: queues the confirmation in the outbox (sent when the modem can)."""

    def __init__(self, outbox: Outbox, config: AppConfig, worker: DbWorker) -> None:
        self.outbox = outbox
        self.config = config
        self.worker = worker

    async def __call__(self, made: BookingMade) -> None:
        try:
            tenant = self.config.tenant(made.tenant_id)
        except ConfigError:
            return
        if not made.phone.startswith("+"):
            return
        caller = None
        if made.channel in CALLER_CHANNELS:
            caller = await self.worker.run(caller_of, tenant.id, made.session_id)
        if not may_text(made, caller, tenant.phone_region):
            log.info("booking %s confirmation not texted: the number is not the caller's own (channel %s)",
                     made.action, made.channel)
            return
        sms_id = await self.outbox.enqueue(tenant.id, made.phone, confirmation_text(made, tenant.name, tenant.phone),
                                           "confirmation")
        log.info("booking %s confirmation queued as sms %d", made.action, sms_id)
