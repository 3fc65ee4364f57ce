"""The state of one conversation, persisted after every turn so a restart resumes mid-booking."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Mapping

from receptionist.agent.language import LanguageState

Mode = Literal["idle", "booking", "confirming", "manage", "callback"]


@dataclass(frozen=True, slots=True)
class Manage:
    """Changing or cancelling an existing booking (verification first: receptionist/agent/verify.py).

    Stages: identify [→ choose] [→ otp] → confirm_cancel | new_dates → confirm_move. `code` is set only once
    the caller is verified as the booking's owner; until then what they claimed is kept in claim_*.
    """

    action: str  # "cancel" | "change"
    stage: str = "identify"
    code: str | None = None  # the verified booking
    new: Mapping[str, str] = field(default_factory=dict)  # proposed new slot values
    verified: bool = False
    claim_code: str | None = None  # the code the caller gave, not yet verified
    claim_phone: str | None = None  # the phone the caller said (E.164): only a claim, used with the code
    candidates: tuple[str, ...] = ()  # codes listed to a caller whose caller id owns them
    otp_digest: str | None = None  # salted hash of the one-time code texted (never the code itself)
    otp_salt: str | None = None
    otp_expires_at: str | None = None  # ISO 8601, UTC
    otp_tries_left: int = 0


@dataclass(frozen=True, slots=True)
class SessionState:
    session_id: str
    tenant_id: str
    channel: str
    caller_id: str | None = None
    language: LanguageState = field(default_factory=LanguageState)
    mode: Mode = "idle"
    slots: Mapping[str, str] = field(default_factory=dict)  # ISO strings / ids / E.164
    asked: str | None = None  # the slot the bot asked for last
    asked_times: int = 1  # how many times in a row `asked` was asked without progress (no loops: at most 2)
    asks: Mapping[str, int] = field(default_factory=dict)  # times each still-missing slot was asked (at most 2)
    checked: str | None = None  # fingerprint of the last request found available
    alternatives: tuple[Mapping[str, str], ...] = ()  # slot patches offered as alternatives
    manage: Manage | None = None
    callback_reason: str | None = None
    last_code: str | None = None
    turns: int = 0
    said: Mapping[str, int] = field(default_factory=dict)  # reply hash -> times said (repeat_guard.py)
    same_ask: int = 0  # times `asked` came in a row with nothing moving and the caller not understood

    def with_slots(self, **changes: str | None) -> "SessionState":
        slots = dict(self.slots)
        for k, v in changes.items():
            if v is None:
                slots.pop(k, None)
            else:
                slots[k] = v
        return replace(self, slots=slots)

    def to_json(self) -> str:
        data = asdict(self)
        data["language"]["evidence"] = dict(self.language.evidence)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> "SessionState":
        data: dict[str, Any] = json.loads(text)
        lang = data.pop("language", {}) or {}
        manage = data.pop("manage", None)
        return SessionState(
            language=LanguageState(committed=lang.get("committed"), evidence=lang.get("evidence", {}),
                                   words=lang.get("words", 0)),
            manage=_manage(manage) if manage else None,
            alternatives=tuple(data.pop("alternatives", ()) or ()),
            **data,
        )


def _manage(data: Mapping[str, Any]) -> Manage:
    """Tolerant of states saved by older and newer versions: unknown keys are dropped, missing ones default.
    A state saved before verification existed is never trusted as verified."""
    known = {k: v for k, v in data.items() if k in Manage.__slots__}
    known["candidates"] = tuple(known.get("candidates") or ())
    return Manage(**known)
