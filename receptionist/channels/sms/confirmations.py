"""A text to the customer after a booking is made, moved or cancelled on any channel, in their language."""

from __future__ import annotations

import logging

from receptionist.channels.sms.outbox import Outbox
from receptionist.config.app import AppConfig
from receptionist.errors import ConfigError
from receptionist.events import BookingMade

log = logging.getLogger(__name__)

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


class Confirmations:
    """An `agent.booking_listeners` entry: queues the confirmation in the outbox (sent when the modem can)."""

    def __init__(self, outbox: Outbox, config: AppConfig) -> None:
        self.outbox = outbox
        self.config = config

    async def __call__(self, made: BookingMade) -> None:
        try:
            tenant = self.config.tenant(made.tenant_id)
        except ConfigError:
            return
        if not made.phone.startswith("+"):
            return
        sms_id = await self.outbox.enqueue(tenant.id, made.phone, confirmation_text(made, tenant.name, tenant.phone),
                                           "confirmation")
        log.info("booking %s confirmation queued as sms %d", made.action, sms_id)
