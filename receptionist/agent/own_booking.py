"""Whether a caller whose number the channel vouches for (phone line, SMS) is talking about a booking
they already have, although they said no change or cancel word: "About Pickle - we'll collect him on
the 11th rather than the 8th", "Nöpsi hoiu kohta ...", "По поводу Снежка ...", "I've got a check-up
on Thursday", "mul on neljapäeval üldkontroll", "у меня в четверг осмотр".

Rules (words in each language folder's intents.toml `about_cues` / `possession_cues`):
- the pet's name of one of the caller's upcoming bookings, with an "about" word or a possession
  phrase in the same utterance;
- a possession phrase with the booked service or the booked day;
- a shift ("a week later", "nädal hiljem") with the booked service, day or pet: a shift only moves
  something that exists ("homne vaktsineerimine – kas saab nädal hiljem?").
Only upcoming, not cancelled bookings found by the caller's own number count; a stranger's words
never reach a booking here (the manage flow verifies as always)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Sequence

from receptionist import lang as langdata
from receptionist.agent.extract.morphology import ru_parses
from receptionist.agent.extract.names import name_occurs_in
from receptionist.agent.nlu import Heard
from receptionist.agent.verify import is_active
from receptionist.booking.models import Booking
from receptionist.config.tenant import TenantConfig


def _any(key: str) -> re.Pattern[str]:
    forms = langdata.merged_list("intents", key)
    return re.compile("|".join(f"(?:{f})" for f in forms) or r"(?!x)x")


_ABOUT = _any("about_cues")
_POSSESSION = _any("possession_cues")


def names_own_booking(heard: Heard, bookings: Sequence[Booking], tenant: TenantConfig, today: date) -> bool:
    """True when the utterance is about one of `bookings` (the caller's own, found by their number)."""
    low = heard.text.lower()
    about, possession = _ABOUT.search(low) is not None, _POSSESSION.search(low) is not None
    shifted = bool(heard.dates.shift)
    if not (about or possession or shifted):
        return False
    said_days = {d for d in (heard.dates.single, heard.dates.start) if d is not None}
    for booking in bookings:
        if not is_active(booking, tenant, today):
            continue
        pet = booking.details.get("pet_name")
        if pet and _pet_named(pet, heard.text):
            return True
        if (possession or shifted) and (_same_service(heard, booking) or _day_of(booking, tenant) in said_days):
            return True
    return False


def _pet_named(pet: str, text: str) -> bool:
    """The pet's name in any case form ("Nöpsi" for Nöps; "Снежка" for Снежок, by its lemma)."""
    if name_occurs_in(pet, text):
        return True
    if not re.search(r"[а-яё]", pet.lower()):
        return False
    lemmas = {p.normal_form for w in re.findall(r"[А-ЯЁа-яё]+", text) for p in ru_parses(w)[:2]}
    return pet.lower().replace("ё", "е") in {x.replace("ё", "е") for x in lemmas}


def _same_service(heard: Heard, booking: Booking) -> bool:
    req = booking.request
    booked = getattr(req, "service_id", None) or getattr(req, "resource_type", None)
    return heard.resource is not None and heard.resource == booked


def _day_of(booking: Booking, tenant: TenantConfig) -> date:
    start = booking.request.start
    return start.astimezone(tenant.tz).date() if isinstance(start, datetime) else start
