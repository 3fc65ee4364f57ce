"""A quick lexicon guess at what the caller wants, before (or instead of) asking the LLM.

Each intent has weighted cues (regexes over lower-cased text, all three languages together).
The best-scoring intent wins; its confidence grows with its score and its margin over the
runner-up. Below `MIN_CONFIDENCE` the guess is "unknown": the agent should ask the LLM.
Stronger intents outweigh weaker ones in the same sentence: "I want to cancel my booking" is
cancel_booking, "Tere, soovin broneerida" is book, "No, thank you" is no.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def _cues(*pairs: tuple[str, float]) -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple((re.compile(p), w) for p, w in pairs)


_B = r"(?<!\w)"  # word start that also works for Cyrillic after punctuation
CUES: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    "cancel_booking": _cues(
        (rf"{_B}(cancel\w*|call off)", 4), (rf"{_B}tühist\w*", 4), (rf"{_B}отмен\w*", 4),
    ),
    "change_booking": _cues(
        (rf"{_B}(change|move|reschedul\w*|postpone|different (date|day|time)|another (date|day))\b", 3.5),
        (rf"{_B}(muut\w*|muuda\w*|ümber tõst\w*|tõsta\w*|edasi lükat\w*)", 3.5),
        (rf"{_B}(перенест\w*|перенес\w*|перенос\w*|измени\w*|поменя\w*|сдвину\w*)", 3.5),
    ),
    "human": _cues(
        (rf"{_B}(human|real person|a person|someone|somebody|operator|staff|manager|receptionist)\b", 3.5),
        (r"\bcall (me )?back\b|\bcallback\b", 3.5),
        (rf"{_B}(inimese\w*|töötaja\w*|operaator\w*|klienditeenindaja\w*|administraator\w*)", 3.5),
        (r"\btagasi helista\w*|\bhelista\w* (mulle )?tagasi\b", 3.5),
        (rf"{_B}(оператор\w*|человек\w*|сотрудник\w*|менеджер\w*|администратор\w*|перезвон\w*)", 3.5),
    ),
    "book": _cues(
        (rf"{_B}(book\w*|reserv\w*|appointment|stay)\b|\bneed a (room|place|spot)\b", 2.5),
        (rf"{_B}(broneeri\w*|registreeri\w*|vastuvõtule|kirja panna|panna kirja)", 2.5),
        (rf"{_B}(заброниров\w*|бронир\w*|бронь|брони|записать\w*|записаться|запишите)", 2.5),
        (rf"{_B}(soovi\w*|tahaks\w*|would like|i'd like|want|хочу|хотел\w*)", 0.5),
        (rf"{_B}(rooms?|toa|tuba|tube|tuppa|hoiule|комнат\w*|номер\w*|гостиниц\w*)\b", 1.5),
        (rf"{_B}(free|available|vaba|vabu|vabad|свободн\w*)\b", 1.0),
    ),
    "question": _cues(
        (r"\bhow much\b|\b(price|prices|cost|costs|opening hours|open)\b", 2.5),
        (r"\bkui palju\b|\b(maksab|maksma|hind|hinna\w*|lahtiolek\w*|avatud|lahti)\b", 2.5),
        (rf"{_B}(сколько стоит|стоимост\w*|цен[аыу]|часы работы|работаете|открыт\w*)", 2.5),
        (rf"{_B}(what|when|where|which|do you|is there|are there|kas|mis|millal|kus|когда|где|есть ли|можно ли)\b", 1),
        (r"\?\s*$", 1),
        (r"\b(do|does|can|could|should|must|may) (i|we|you|he|she|my)\b|\bis it\b|\bneed to\b", 1),
        (rf"{_B}(нужно ли|надо ли|можно ли|нужна ли|нужны ли|обязательно ли)", 1.5),
        (r"\b(kas (on|peab|peavad|saab|võib|tohib|tuleb)|mida (on vaja|peab|tuleb))\b", 1.5),
    ),
    "greeting": _cues(
        (r"^\W*(hi|hello|hey|good (morning|afternoon|evening))\b", 1.5),
        (r"^\W*(tere|tervist|hommikust|head (päeva|hommikust|õhtust))\b", 1.5),
        (rf"^\W*(здравствуй\w*|привет\w*|добр\w+ (день|утро|вечер)|доброе утро|алло)", 1.5),
    ),
    "thanks_bye": _cues(
        (r"\b(thanks|thank you|bye|goodbye|that's all|nothing else)\b", 2.5),
        (rf"{_B}(aitäh|tänan|tänud|tänu|head aega|nägemist|tšau|ongi kõik)", 2.5),
        (rf"{_B}(спасибо|благодарю|до свидания|пока|всего доброго|это всё|это все)", 2.5),
    ),
}


def _scores(text: str) -> dict[str, float]:
    t = text.lower().replace("ё", "е").replace("’", "'").strip()
    scores = {intent: sum(w for p, w in cues if p.search(t)) for intent, cues in CUES.items()}
    answer = yes_no(t)
    if answer is not None:
        # A yes/no at the very start outweighs a polite "thank you" after it.
        weight = 3.0 if re.match(r"^\W*\w+\W*(?:$|[,.!]|\s+(?:please|thanks|palun|aitäh|спасибо))", t) else 1.5
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
