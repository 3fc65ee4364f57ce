"""Rule-based hearing of one utterance: intent, yes/no, dates, phone, names, choices, codes.

Everything here is deterministic and fast (microseconds to a few ms); the LLM is consulted only
when this finds nothing usable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from receptionist import lang as langdata
from receptionist import profiles
from receptionist.agent.extract import (
    DateMention, classify_intent, extract_dates, extract_person_name, extract_phone,
    match_choice, yes_no,
)
from receptionist.agent.extract.fullnames import clause_full_name, full_name_readings, nominative_full_name
from receptionist.agent.extract.names import (
    case_marked_pet_name, for_someone_else, pet_name_readings, without_self_introduction,
)
from receptionist.agent.extract.numbers import number_words_only, spell_numbers
from receptionist.agent.extract.name_words import UNITS
from receptionist.agent.extract.phones import phone_tail, without_phone
from receptionist.agent.extract.repairs import repaired
from receptionist.agent.extract.times import stt_clock
from receptionist.booking.codes import find_code
from receptionist.config.tenant import TenantConfig

# Words that pick an offered option by position ("the second one"): lexicon.toml `choice_ordinals`.
_ORDINALS = {
    position: tuple(dict.fromkeys(w for _, table in langdata.per_language("lexicon", "choice_ordinals")
                                  for w in (table[position - 1] if len(table) >= position else ())))
    for position in (1, 2, 3)
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Heard:
    text: str
    lang: str
    intent: str  # book, question, change_booking, cancel_booking, human, greeting, thanks_bye, yes, no, unknown
    confidence: float
    yes_no: bool | None
    dates: DateMention
    phone: str | None
    pet_name: str | None
    person_name: str | None
    resource: str | None  # the id of a bookable the profile offers (room type, service), or None
    code: str | None
    choice: int | None  # 1-based pick among offered options ("the second one", "2")
    digits: str = ""  # the text with number words written as digits (numbers.spell_numbers)
    pet_name_options: tuple[str, ...] = ()  # several possible base forms of an inflected name ("Reks", "Reksi")
    person_name_options: tuple[str, ...] = ()  # the same for a person ("Jaan Saar", "Jaani Saar")
    extra: Mapping[str, str] = field(default_factory=dict)  # slot values only the profile reads (a party size)
    own_number: bool = False  # "this number", "sama number", "с которого звоню": the caller's own number
    phone_tail: str = ""  # new last digits of the number already given ("the last digit is a 7, not a 6")
    today: date | None = None  # what `dates` were resolved against (see `dates_in`)
    ref: date | None = None

    @property
    def has_slot_values(self) -> bool:
        return bool(not self.dates.empty or self.phone or self.pet_name or self.person_name or self.resource
                    or self.extra or self.phone_tail)

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.text))


def find_choice(text: str, n_options: int) -> int | None:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or n_options == 0:
        return None
    if len(words) <= 3:
        for w in words:
            if w.isdigit() and 1 <= int(w) <= n_options:
                return int(w)
    for index, forms in _ORDINALS.items():
        if index <= n_options and any(w in forms for w in words):
            return index
    return None


def resource_options(tenant: TenantConfig) -> dict[str, list[str]]:
    """What a caller may name to choose what to book (the profile's bookables), by id: names and aliases."""
    items = profiles.of(tenant).bookables(tenant)
    options: dict[str, list[str]] = {}
    for item in items:
        words = list(item.names.values())
        for aliases in item.aliases.values():
            words.extend(aliases)
        options[item.id] = words
    return options


def find_resource(text: str, lang: str, tenant: TenantConfig) -> str | None:
    options = resource_options(tenant)
    if not options:
        return None
    found = match_choice(text, lang, options)
    return found if found is not None else profiles.of(tenant).kind_of(text, lang, tenant)


def _person(text: str, lang: str, tenant: TenantConfig) -> tuple[str | None, tuple[str, ...]]:
    """The person named, and its readings when morphology leaves two ("Jaani Saare jaoks": Jaan or
    Jaani): by a cue ("my name is"); for an appointment's patient also by morphology ("Ольге
    Михайловой") or as a clause of its own ("..., Tom Baker, ...") — never a service's name."""
    name = extract_person_name(text, lang)
    person = profiles.of(tenant).names_a_person
    readings: tuple[str, ...] = ()
    if name is None and person:
        own = without_self_introduction(text) if for_someone_else(text) else text  # "I'm Tom, for my son"
        readings = full_name_readings(own, lang) if lang != "en" else ()
        name = (readings[0] if readings else None) or clause_full_name(own)
    if name and person and not readings:
        name = nominative_full_name(name, lang)
    if name and person and find_resource(name, lang, tenant):
        return None, ()  # "for physiotherapy" is a service, not a patient
    if name and (number_words_only(name) or any(w.lower() in UNITS for w in name.split())):
        return None, ()  # "it's five triple seven, ...", "for two nights": digits or a count, never a name
    return name, readings if len(readings) > 1 else ()


def hear(text: str, lang: str, today: date, tenant: TenantConfig, *, ref: date | None = None,
         n_options: int = 0) -> Heard:
    """Everything the rules find in one utterance. Number words are read as digits first
    ("the ninth" -> "9th", "viis kaks kolm" -> "5 2 3") for dates, durations and phone numbers."""
    guess = classify_intent(text, lang)
    said_yes_no = yes_no(text, lang)
    # "at 845", "December 11, 930": clock times as Whisper writes them; "1902, no wait, 1920": the repair
    digits = repaired(stt_clock(spell_numbers(text)))
    text = repaired(text)  # "nimi on Mona, ei, vabandust, Moona" -> "nimi on Moona"
    # Both readings: a foreign number whose digit words break the digits text ("plus three five eight,
    # four oh, ...") is whole only in the word reading; the longer valid number is the one said.
    phone = max((p for p in (extract_phone(digits, tenant.phone_region), extract_phone(text, tenant.phone_region))
                 if p), key=len, default=None)
    profile = profiles.of(tenant)
    tail = phone_tail(digits) if phone is None else None
    person_name, person_options = _person(text, lang, tenant)
    readings = pet_name_readings(text) if not profile.names_a_person else ()
    if not profile.names_a_person and not readings:
        readings = case_marked_pet_name(text)
    return Heard(
        text=text,
        lang=lang,
        intent=guess.intent,
        confidence=guess.confidence,
        yes_no=said_yes_no,
        dates=_dates(digits, phone, tail, lang, today, tenant, ref),
        phone=phone,
        pet_name=readings[0] if readings else None,
        person_name=person_name,
        resource=find_resource(text, lang, tenant),
        code=find_code(text),
        choice=find_choice(text, n_options),
        digits=digits,
        pet_name_options=readings if len(readings) > 1 else (),
        person_name_options=person_options,
        extra=dict(profile.hear(text, digits, lang, tenant)),
        own_number=means_own_number(text),
        phone_tail=tail[0] if tail else "",
        today=today,
        ref=ref,
    )


def dates_in(text: str, lang: str, today: date, tenant: TenantConfig, *, ref: date | None = None) -> DateMention:
    """The dates and time of `text` as `hear` reads them (number words as digits, a phone number
    left out) - e.g. of an answer less the name in it ("Kolmas" is a name, not the 3rd)."""
    digits = repaired(stt_clock(spell_numbers(text)))
    # Both readings: a foreign number whose digit words break the digits text ("plus three five eight,
    # four oh, ...") is whole only in the word reading; the longer valid number is the one said.
    phone = max((p for p in (extract_phone(digits, tenant.phone_region), extract_phone(text, tenant.phone_region))
                 if p), key=len, default=None)
    return _dates(digits, phone, phone_tail(digits) if phone is None else None, lang, today, tenant, ref)


def _dates(digits: str, phone: str | None, tail: tuple | None, lang: str, today: date, tenant: TenantConfig,
           ref: date | None) -> DateMention:
    for_dates = without_phone(digits, tenant.phone_region) if phone else digits
    if tail:  # "the last digit is 7, not 6" names no day
        for_dates = for_dates[: tail[1][0]] + " " * (tail[1][1] - tail[1][0]) + for_dates[tail[1][1]:]
    return extract_dates(for_dates, lang, today, ref=ref)


_OWN_NUMBER = re.compile("|".join(f"(?:{p})" for p in langdata.merged_list("phone_words", "own_number")) or r"(?!x)x")


def means_own_number(text: str) -> bool:
    """Whether the caller means the number they call or text from ("use this number", "see number,
    millelt helistan", "номер, с которого звоню"); phone_words.toml of every language folder."""
    return _OWN_NUMBER.search(text.lower()) is not None
