"""Pure, rule-based extractors for caller text (en / et / ru): no LLM, no clock, no I/O.

Every value an LLM proposes is checked with these before use ("the model proposes, code disposes").
"""

from receptionist.agent.extract.choices import PET_ALIASES, match_choice, pet_type
from receptionist.agent.extract.dates import DateMention, extract_dates
from receptionist.agent.extract.intents import INTENTS, IntentGuess, classify_intent
from receptionist.agent.extract.names import extract_person_name, extract_pet_name, name_occurs_in
from receptionist.agent.extract.phones import extract_phone, is_valid_phone
from receptionist.agent.extract.times import extract_time
from receptionist.agent.extract.yesno import yes_no

__all__ = [
    "INTENTS",
    "PET_ALIASES",
    "DateMention",
    "IntentGuess",
    "classify_intent",
    "extract_dates",
    "extract_person_name",
    "extract_pet_name",
    "extract_phone",
    "extract_time",
    "is_valid_phone",
    "match_choice",
    "name_occurs_in",
    "pet_type",
    "yes_no",
]
