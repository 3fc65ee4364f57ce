"""The LLM as a proposer: classify an utterance the lexicons don't cover, pick the FAQ topic,
propose a name. Its output is grammar-constrained JSON and every value is validated by code.

One stable system prompt per tenant keeps llama.cpp's prefix cache warm; the per-turn part is
only the caller's words (and which slot the bot asked for).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Protocol

from receptionist.agent.knowledge import KnowledgeBase
from receptionist.config.tenant import TenantConfig
from receptionist.errors import ModelError

INTENTS = ("book", "question", "change", "cancel", "human", "greeting", "bye", "yes", "no", "other")


class JsonModel(Protocol):
    async def complete_json(self, system: str, user: str, schema: Mapping[str, Any], *,
                            timeout_s: float, max_tokens: int | None = None) -> dict: ...


@dataclass(frozen=True, slots=True)
class Proposal:
    intent: str
    topic: str | None
    name: str | None


def system_prompt(tenant: TenantConfig, kb: KnowledgeBase) -> str:
    what = ("a pet hotel for dogs and cats (overnight stays)" if tenant.profile == "stay"
            else "a clinic (appointments: " + ", ".join(s.name("en") for s in tenant.services) + ")")
    topics = "\n".join(f"- {e.id}: {e.title}" for e in kb.entries) or "- (none)"
    return (
        f"You are the language-understanding module of the receptionist of {tenant.name}, {what}. "
        "Callers write in English, Estonian or Russian. For the caller's message, output JSON with:\n"
        "intent: book (wants to make a booking or appointment), question (asks for information), "
        "change (move an existing booking), cancel (cancel an existing booking), human (wants a person "
        "or a call back), greeting, bye (thanks or goodbye), yes, no, other.\n"
        "topic: the FAQ topic that answers a question, or none. Topics:\n"
        f"{topics}\n"
        "name: the pet's or person's name if the caller states one, copied exactly, else empty.\n"
        "Never invent anything."
    )


def schema(kb: KnowledgeBase) -> dict:
    return {
        "type": "object",
        "properties": {
            "intent": {"type": "string", "enum": list(INTENTS)},
            "topic": {"type": "string", "enum": [*kb.ids, "none"]},
            "name": {"type": "string", "maxLength": 30},
        },
        "required": ["intent", "topic", "name"],
    }


class Understanding:
    """Asks the model and disposes of what it proposes."""

    def __init__(self, model: JsonModel | None, tenant: TenantConfig, kb: KnowledgeBase, *,
                 timeout_s: float, name_validator: Any) -> None:
        self.model = model
        self.kb = kb
        self.timeout_s = timeout_s
        self._system = system_prompt(tenant, kb)
        self._schema = schema(kb)
        self._name_ok = name_validator

    @property
    def available(self) -> bool:
        return self.model is not None

    def warm_args(self) -> tuple[str, str, dict]:
        return self._system, json.dumps({"message": "hello"}), self._schema

    async def propose(self, text: str, *, asked: str | None = None) -> Proposal | None:
        """A validated proposal, or None when the model is absent, slow or talks nonsense."""
        if self.model is None:
            return None
        user = json.dumps({"message": text[:400], "bot_asked_for": asked or ""}, ensure_ascii=False)
        try:
            raw = await self.model.complete_json(self._system, user, self._schema, timeout_s=self.timeout_s)
        except ModelError:
            return None
        intent = raw.get("intent")
        if intent not in INTENTS:
            return None
        topic = raw.get("topic")
        topic = topic if topic in self.kb.ids else None
        name = str(raw.get("name") or "").strip().strip(".,!?")
        if not name or len(name) > 30 or not self._name_ok(name, text):
            name = None  # a name must occur in what the caller said
        return Proposal(intent, topic, name)
