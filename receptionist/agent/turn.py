"""The reply being built for one turn: what to say, the options to offer, what happened."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from receptionist.agent.nlu import Heard
from receptionist.agent.replies import Phrases
from receptionist.agent.session import SessionState
from receptionist.booking.models import Booking
from receptionist.config.tenant import TenantConfig
from receptionist.errors import caller_message
from receptionist.events import BookingInfo, BookingMade, QuickReply


@dataclass
class Turn:
    state: SessionState
    heard: Heard
    tenant: TenantConfig
    today: date
    P: Phrases
    channel: str
    parts: list[str] = field(default_factory=list)
    options: list[QuickReply] = field(default_factory=list)
    intent: str = "unknown"
    booking: BookingInfo | None = None
    made: BookingMade | None = None  # for listeners (SMS confirmations)
    protected: bool = False
    handoff: bool = False
    end: bool = False
    awaiting: str | None = None  # the slot the question asked in this turn's reply is for
    notes: dict[str, Any] = field(default_factory=dict)  # outcome facts for the log (no caller content)
    client: str | None = None  # who is on the other end, for look-up limits (IncomingMessage.client)

    @property
    def lang(self) -> str:
        return self.P.lang

    def record(self, booking: "Booking", action: str, summary: str) -> None:
        self.booking = BookingInfo(booking.code, booking.status, summary)
        self.made = BookingMade(self.tenant.id, self.state.session_id, self.channel, action,  # type: ignore[arg-type]
                                booking.code, booking.phone, self.lang, summary)

    def say(self, key: str, **values: object) -> None:
        self.parts.append(self.P(key, **values))

    def say_text(self, text: str) -> None:
        self.parts.append(text)

    def say_error(self, code: str, **values: object) -> None:
        """Say what the caller hears for error `code` (the one error table, lang/<code>/errors.toml)."""
        self.parts.append(caller_message(code, self.lang, **values))

    def offer(self, label: str, value: str | None = None) -> None:
        self.options.append(QuickReply(label, value or label))

    def offer_yes_no(self, booking: bool = False) -> None:
        self.offer(self.P("opt_yes" if booking else "opt_yes_plain"), self.P("opt_yes_plain"))
        self.offer(self.P("opt_no" if booking else "opt_no_plain"), self.P("opt_no_plain"))

    def update(self, **changes: Any) -> None:
        self.state = replace(self.state, **changes)

    def set_slots(self, **changes: str | None) -> None:
        self.state = self.state.with_slots(**changes)
