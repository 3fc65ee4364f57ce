"""Frozen events the SIP thread posts to the asyncio side (one per signalling happening).

`call_key` is the line's own id for a call (pjsua reuses call ids, so it is never used as a key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CallOffered:
    """An INVITE was accepted (200 OK sent) and a call object exists."""

    call_key: str
    caller_id: str | None  # E.164-ish user part of From, None when withheld
    source: str  # "ip:port" the INVITE came from
    audio: Any = field(default=None, compare=False, repr=False)  # the call's CallAudio bridge


@dataclass(frozen=True, slots=True)
class CallRejected:
    call_key: str
    status: int  # 486 (over the cap) or 403 (source not allowed)
    reason: str


@dataclass(frozen=True, slots=True)
class MediaReady:
    """Audio is bridged: caller frames flow into the call's source, the sink plays out."""

    call_key: str


@dataclass(frozen=True, slots=True)
class DtmfReceived:
    call_key: str
    digit: str
    method: str  # "rfc2833" | "info" | "other"


@dataclass(frozen=True, slots=True)
class HoldChanged:
    """The caller put the call on hold (re-INVITE with sendonly/inactive) or took it off hold."""

    call_key: str
    held: bool


@dataclass(frozen=True, slots=True)
class TransferStatus:
    call_key: str
    status: int  # SIP status carried in the REFER's NOTIFY sipfrag (or of the REFER itself)
    final: bool


@dataclass(frozen=True, slots=True)
class CallEnded:
    call_key: str
    status: int  # last SIP status (e.g. 200 after a BYE)
    by: str  # "remote" | "local" | "media-lost" (we hung up: no RTP from the caller for media_timeout_s)


@dataclass(frozen=True, slots=True)
class RegistrationChanged:
    """The line's registration with its registrar (`[sip] registrar`) succeeded, was refreshed, or failed."""

    registrar: str  # the registrar URI
    account: str  # "user@host" being registered
    registered: bool
    status: int  # SIP status of the last answer (200; 401/403 refused; 408/503 unreachable)
    reason: str  # its reason phrase, or pjsua's words when no answer came
    expires_s: int = 0  # seconds until the registration lapses (0 when not registered)
    retry_s: float | None = None  # when not registered: seconds until the next try (None: pjsua's own schedule)


SipEvent = (CallOffered | CallRejected | MediaReady | DtmfReceived | HoldChanged | TransferStatus | CallEnded
            | RegistrationChanged)
