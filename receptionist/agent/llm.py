"""The LLM as a proposer: classify an utterance the lexicons don't cover, pick the FAQ topic,
propose a name. Its output is grammar-constrained ("INTENT|TOPIC|NAME", a dozen tokens) and every
value is validated by code before use.

One stable system prompt per tenant keeps llama.cpp's prefix cache warm; the per-turn part is
only the caller's words. Each request is owned by its session and turn (`Owner`): the model is shared
by every session, and only the owner's cancellation stops its request (see backends/llama_llm.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Protocol

from receptionist import profiles
from receptionist.agent.knowledge import KnowledgeBase
from receptionist.config.tenant import TenantConfig
from receptionist.errors import ModelError
from receptionist.ownership import Owner

INTENTS = ("book", "question", "change", "cancel", "human", "greeting", "bye", "yes", "no", "other")
_EXAMPLES = (
    ("I need a place for my dog while I'm away next week", "book|none|"),
    ("Mu kass Miisu vajab hoidu", "book|none|Miisu"),
    ("Is there a swimming pool?", "question|none|"),
    ("Можно поговорить с администратором?", "human|none|"),
    ("I can't come on Friday after all, I want to drop the reservation", "cancel|none|"),
    ("Tahaksin oma aega teisele päevale tõsta", "change|none|"),
    ("that's everything, have a nice day", "bye|none|"),
    ("sounds good", "yes|none|"),
)


class TextModel(Protocol):
    async def complete(self, system: str, user: str, *, grammar: str, timeout_s: float,
                       max_tokens: int | None = None, owner: Owner | None = None) -> str:
        """Grammar-constrained text for `owner`'s request; raises ModelError (llm-timeout, llm-cancelled)."""


@dataclass(frozen=True, slots=True)
class Proposal:
    intent: str
    topic: str | None
    name: str | None


def system_prompt(tenant: TenantConfig, kb: KnowledgeBase) -> str:
    what = profiles.of(tenant).business(tenant)
    topics = "\n".join(f"- {e.id}: {e.title}" for e in kb.entries)
    examples = "\n".join(f"{q} -> {a}" for q, a in _EXAMPLES)
    return (
        f"You label messages sent to the receptionist of {tenant.name}, {what}. "
        "Messages are in English, Estonian or Russian. Answer with one line: INTENT|TOPIC|NAME\n"
        "INTENT: book (wants a booking or appointment), question (asks for information), change (move an "
        "existing booking), cancel (cancel an existing booking), human (wants a person or a call back), "
        "greeting, bye, yes, no, other.\n"
        "TOPIC: for a question, the id of the FAQ entry that answers it, or none if no entry answers it:\n"
        f"{topics}\n"
        "NAME: the pet's or person's name if the message gives one, copied exactly; else empty.\n"
        f"Examples:\n{examples}\n"
        "A message that starts with DATE is different: it gives today's date and the caller's answer to "
        "'which day?'. Answer with the one date the caller means as YYYY-MM-DD, or NONE.\n"
        "DATE today=2026-03-02 Monday: the Wednesday after next -> 2026-03-11"
    )


DATE_GRAMMAR = 'root ::= "NONE" | "20" [2-4] [0-9] "-" [01] [0-9] "-" [0-3] [0-9]\n'
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def grammar(kb: KnowledgeBase) -> str:
    def alts(values: tuple[str, ...] | list[str]) -> str:
        return " | ".join(f'"{v}"' for v in values)

    return (
        'root ::= intent "|" topic "|" name\n'
        f"intent ::= {alts(INTENTS)}\n"
        f"topic ::= {alts(['none', *kb.ids])}\n"
        "name ::= [^|\\n]*\n"
    )


class Understanding:
    """Asks the model and disposes of what it proposes."""

    def __init__(self, model: TextModel | None, tenant: TenantConfig, kb: KnowledgeBase, *,
                 timeout_s: float, name_validator: Callable[[str, str], bool]) -> None:
        self.model = model
        self.kb = kb
        self.timeout_s = timeout_s
        self._system = system_prompt(tenant, kb)
        self._grammar = grammar(kb)
        self._name_ok = name_validator

    @property
    def available(self) -> bool:
        return self.model is not None

    def warm_args(self) -> tuple[str, str, str]:
        return self._system, "hello", self._grammar

    async def propose(self, text: str, *, owner: Owner | None = None) -> Proposal | None:
        """A validated proposal, or None when the model is absent, slow, cancelled or talks nonsense.
        `owner` (the session's turn) owns the request: only it can cancel it."""
        if self.model is None:
            return None
        try:
            raw = await self.model.complete(self._system, " ".join(text.split())[:400], grammar=self._grammar,
                                            timeout_s=self.timeout_s, max_tokens=24, owner=owner)
        except ModelError:
            return None
        parts = raw.strip().split("|")
        if len(parts) < 2 or parts[0] not in INTENTS:
            return None
        topic = parts[1] if parts[1] in self.kb.ids else None
        name = (parts[2] if len(parts) > 2 else "").strip().strip(".,!?\"'")
        if not name or len(name) > 30 or not self._name_ok(name, text):
            name = None  # a name must occur in what the caller said (and not be a common word)
        return Proposal(parts[0], topic, name)

    async def propose_date(self, text: str, today: date, *, owner: Owner | None = None) -> date | None:
        """The narrow question when the rules found no day in an answer to "which day?": the model's
        YYYY-MM-DD (grammar-constrained, same stable system prompt), or None. The caller must still
        check that the date can be traced to the words (extract.dates.traceable)."""
        if self.model is None:
            return None
        user = f"DATE today={today.isoformat()} {_WEEKDAYS[today.weekday()]}: {' '.join(text.split())[:300]}"
        try:
            raw = await self.model.complete(self._system, user, grammar=DATE_GRAMMAR, timeout_s=self.timeout_s,
                                            max_tokens=12, owner=owner)
        except ModelError:
            return None
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            return None


def make_name_validator(occurs: Callable[[str, str], bool], common_words: Any) -> Callable[[str, str], bool]:
    """A name is accepted when it occurs in the caller's words, is not an ordinary word, and — unless
    the caller writes everything in lower case — every word of it is capitalised where it was said
    ("numbriks võtke see" names nobody; "Kirjutage see number" is no "Kirjutage Number")."""

    def ok(name: str, text: str) -> bool:
        words = name.lower().split()
        if not words or any(w in common_words for w in words):
            return False
        if text != text.lower():
            capitalised = [w.lower() for w in re.findall(r"[^\W\d_]+", text) if w[:1].isupper()]
            if not all(any(c.startswith(w[:4]) for c in capitalised) for w in words):
                return False
        return occurs(name, text)

    return ok
