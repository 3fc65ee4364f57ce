"""Typed, frozen events that cross stage boundaries. Dicts only at the wire edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Mapping

Channel = Literal["voice", "web", "sms", "cli"]


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """What every channel hands the agent."""

    text: str
    channel: Channel
    session_id: str
    tenant_id: str
    received_at: datetime
    language_hint: str | None = None  # e.g. from speech recognition
    caller_id: str | None = None  # phone number known from SIP / SMS
    # Who is on the other end for rate limits: a hashed client address for web, the caller id for phone/SMS.
    client: str | None = None


@dataclass(frozen=True, slots=True)
class QuickReply:
    label: str  # shown to the caller, in the session language
    value: str  # sent back as the caller's message when chosen


@dataclass(frozen=True, slots=True)
class BookingInfo:
    code: str
    status: str
    summary: str  # rendered by code in the session language


@dataclass(frozen=True, slots=True)
class AgentReply:
    session_id: str
    language: str
    sentences: tuple[str, ...]
    intent: str
    options: tuple[QuickReply, ...] = ()
    slots: Mapping[str, Any] = field(default_factory=dict)
    booking: BookingInfo | None = None
    protected: bool = False  # must be heard in full (e.g. reading a confirmation code)
    handoff: bool = False  # the caller asked for a human
    end_of_conversation: bool = False
    awaiting: str | None = None  # the slot the reply's question asks for ("phone", "start_date", ...)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True, slots=True)
class HoldingPhrase:
    """Emitted before a slow tool/LLM call; channels decide whether to use it."""

    session_id: str
    language: str
    text: str


@dataclass(frozen=True, slots=True)
class BookingMade:
    """A booking was created, moved or cancelled by the agent (e.g. to send an SMS confirmation)."""

    tenant_id: str
    session_id: str
    channel: Channel
    action: Literal["created", "moved", "cancelled"]
    code: str
    phone: str  # E.164, the customer's number on the booking
    language: str
    summary: str  # rendered in `language`
