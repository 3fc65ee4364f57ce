"""Callback requests, always stored in the appliance's own calendar (even when bookings go to a
remote backend), so staff see them in `receptionist callbacks list` whatever else is down."""

from __future__ import annotations

import logging

from receptionist.agent.tools import LocalBackend
from receptionist.agent.turn import Turn
from receptionist.errors import BookingError

log = logging.getLogger(__name__)


class CallbackDesk:
    def __init__(self, local: LocalBackend) -> None:
        self.local = local

    async def take(self, turn: Turn, phone: str, reason: str) -> bool:
        """Store a callback request; False when the number is invalid or storing failed."""
        name = turn.state.slots.get("owner_name") or turn.state.slots.get("patient_name")
        try:
            callback = await self.local.add_callback(turn.tenant.id, phone=phone, name=name, reason=reason,
                                                     language=turn.lang, conversation_id=turn.state.session_id)
        except BookingError as exc:
            turn.notes["callback_error"] = exc.code
            return False
        except Exception:  # the database itself failed: say sorry, never go silent
            log.exception("storing a callback request failed")
            turn.notes["callback_error"] = "db-failed"
            return False
        turn.notes["callback_id"] = callback.id
        return True
