"""A quick lexicon guess at what the caller wants, before (or instead of) asking the LLM.

Each intent has weighted cues (regexes over lower-cased text, from every language folder's
intents.toml, all languages together).
The best-scoring intent wins; its confidence grows with its score and its margin over the
runner-up. Below `MIN_CONFIDENCE` the guess is "unknown": the agent should ask the LLM.
Stronger intents outweigh weaker ones in the same sentence: "I want to cancel my booking" is
cancel_booking, "Tere, soovin broneerida" is book, "No, thank you" is no.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from receptionist import lang as langdata
from receptionist.agent.extract.lexicon import alternation
from receptionist.agent.extract.yesno import yes_no

INTENTS = (
    "book", "question", "change_booking", "cancel_booking", "human",
    "greeting", "thanks_bye", "yes", "no", "unknown",
)
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class IntentGuess:
    intent: str
    confidence: float


# Ties go to the intent listed first: stronger intents outweigh weaker ones in the same sentence.
_PRIORITY = ("cancel_booking", "change_booking", "human", "book", "question", "greeting", "thanks_bye")


def _load_cues() -> dict[str, tuple[tuple[re.Pattern[str], float], ...]]:
    """Every language folder's intents.toml `cues`, by intent; cues sharing a `join` id become one
    regex (one match counts once). ValueError for an unknown intent or joined cues that disagree."""
    separate: dict[str, list[tuple[str, float]]] = {intent: [] for intent in _PRIORITY}
    joined: dict[tuple[str, str], tuple[list[str], float]] = {}
    for _, cues in langdata.per_language("intents", "cues"):
        for cue in cues:
            intent, weight, pattern = cue["intent"], float(cue["weight"]), cue["pattern"]
            if intent not in separate:
                raise ValueError(f"intents.toml: unknown intent {intent!r}")
            if "join" not in cue:
                separate[intent].append((pattern, weight))
                continue
            patterns, known = joined.setdefault((intent, cue["join"]), ([], weight))
            if known != weight:
                raise ValueError(f"intents.toml: cue {cue['join']!r} of {intent!r} has weights {known} and {weight}")
            if pattern not in patterns:
                patterns.append(pattern)
    for (intent, _), (patterns, weight) in joined.items():
        separate[intent].append(("|".join(f"(?:{p})" for p in patterns), weight))
    return {intent: tuple((re.compile(p), w) for p, w in pairs) for intent, pairs in separate.items()}


CUES: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = _load_cues()
# A yes/no word at the very start ("yes", "no, thanks") outweighs a polite word after it.
_ANSWER_FIRST = re.compile(
    r"^\W*\w+\W*(?:$|[,.!]|\s+(?:" + (alternation(langdata.merged_list("intents", "polite_after_answer")) or r"(?!x)x") + r"))"
)


def _scores(text: str) -> dict[str, float]:
    t = text.lower().replace("ё", "е").replace("’", "'").strip()
    scores = {intent: sum(w for p, w in cues if p.search(t)) for intent, cues in CUES.items()}
    answer = yes_no(t)
    if answer is not None:
        # A yes/no at the very start outweighs a polite "thank you" after it.
        weight = 3.0 if _ANSWER_FIRST.match(t) else 1.5
        scores["yes" if answer else "no"] = weight
    return scores


def classify_intent(text: str, lang: str = "en") -> IntentGuess:
    """The likeliest intent with a confidence in [0, 0.95]; "unknown" when nothing is clear."""
    ranked = sorted(_scores(text).items(), key=lambda kv: kv[1], reverse=True)
    (best, score), runner_up = ranked[0], ranked[1][1]
    if score <= 0:
        return IntentGuess("unknown", 0.0)
    confidence = round(min(0.95, 0.3 + 0.15 * score + 0.2 * (score - runner_up)), 2)
    if confidence < MIN_CONFIDENCE:
        return IntentGuess("unknown", confidence)
    return IntentGuess(best, confidence)
