"""An AgentReply as the JSON object the text channels send: the web chat (`POST /api/v1/chat`, the
WebSocket's reply frames) and `receptionist chat --jsonl` print the same shape."""

from __future__ import annotations

from typing import Any

from receptionist.events import AgentReply


def reply_json(reply: AgentReply) -> dict[str, Any]:
    """{"session_id", "language", "reply" (the whole text), "sentences", "options" [{label, value}],
    "intent", "slots", "booking" ({code, status, summary} or None), "handoff", "end"} — JSON-ready."""
    return {
        "session_id": reply.session_id,
        "language": reply.language,
        "reply": reply.text,
        "sentences": list(reply.sentences),
        "options": [{"label": o.label, "value": o.value} for o in reply.options],
        "intent": reply.intent,
        "slots": dict(reply.slots),
        "booking": None if reply.booking is None else
        {"code": reply.booking.code, "status": reply.booking.status, "summary": reply.booking.summary},
        "handoff": reply.handoff,
        "end": reply.end_of_conversation,
    }
