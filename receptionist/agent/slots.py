"""Pure slot filling: fold what was heard into the collected slots (any order, any number,
corrections included). Values are already validated by the extractors; the calendar validates
the rest (dates in the future, opening hours, capacity)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Mapping

from receptionist import lang as langdata
from receptionist import profiles
from receptionist.agent.extract import extract_phone
from receptionist.agent.extract.phones import only_digits, starts_a_number
from receptionist.agent.extract.choices import pet_type
from receptionist.agent.extract.daterules import next_weekday
from receptionist.agent.extract.dates import DateMention
from receptionist.agent.extract.lexicon import month_of, weekday_of, words
from receptionist.agent.extract.yesno import NEGATORS, yes_no
from receptionist.agent.extract.name_words import UNITS, said_about_pet, without_word_ordinals
from receptionist.agent.extract.names import (
    answer_name_readings, is_plausible_name, leading_name, out_of_turn_name, surname_said,
)
from receptionist.agent.extract.numbers import spell_numbers
from receptionist.agent.nlu import Heard, dates_in
from receptionist.config.tenant import TenantConfig

_NOT_NAMES = re.compile(r"\d|[?@]")
# Words around a name said alone (every folder's names.toml `answer_fillers`), and the particles that
# are fillers in one language only ("no" in Estonian talk), by language.
_FILLERS = frozenset(langdata.merged_list("names", "answer_fillers"))
_PARTICLES = {code: frozenset(langdata.section(code, "names").get("answer_particles", ())) for code in langdata.folders()}
_DATE_ARTICLES = frozenset(langdata.merged_list("names", "date_articles"))


def _fillers(lang: str) -> frozenset[str]:
    return _FILLERS | _PARTICLES.get(lang, frozenset())


def order(tenant: TenantConfig) -> tuple[str, ...]:
    """The slots to ask for, in the order that lets availability be checked earliest. The slots that
    make up the calendar request are always needed; the rest as configured in required_slots."""
    profile = profiles.of(tenant)
    wanted = profile.core_slots | set(tenant.required_slots)
    return tuple(s for s in profile.slot_order if s in wanted)


def missing(tenant: TenantConfig, slots: Mapping[str, str]) -> str | None:
    """The next slot to ask for (see `order`), or None when all are filled."""
    return next((s for s in order(tenant) if s not in slots), None)


def bare_name(heard: Heard, max_words: int = 3, *, pet_word_ok: bool = False) -> str | None:
    """A short answer to "what's the name?" taken as the name itself ("Max", "mari tamm" ->
    "Mari Tamm", "Rex, and my number is ..." -> "Rex"). Never a yes/no, greeting or filler word
    (see extract.names.is_plausible_name); a weekday or month word here is the name ("Суббота").
    `pet_word_ok`: the animal is known already, so a word for one is its name ("Kiisu", "Пушок")."""
    text = re.sub(r"^[^:]{0,30}:\s*", "", heard.text.strip())  # "записывайте: Лариса Пахомова"
    clauses = re.split(r"[,;.!?]|\s(?:and|ja|и)\s", text)
    while len(clauses) > 1 and _only_yes_or_fillers(clauses[0], heard.lang):
        clauses.pop(0)  # "okei, kirjutage Nässu": the name after the "okay"
    clause = _without_leading_yes(clauses[0], heard.lang)  # "jaa Tõru"
    if _NOT_NAMES.search(clause):
        return None
    tokens = re.findall(r"[^\W\d_][^\W\d_'’-]*", clause.lower())
    if any(a in _DATE_ARTICLES and _spells_a_number(b) for a, b in zip(tokens, tokens[1:])):
        return None  # "well, the third": a day, not a dog called Third
    words = _name_words(clause, heard.lang)
    if heard.yes_no is not None and yes_no(" ".join(words), heard.lang) is not None:
        return None  # "no", "yes please" - but "pange kirja Neljas" (put down Neljas) names Neljas
    if not 1 <= len(words) <= max_words or not all(is_plausible_name(w, pet_word_ok=pet_word_ok) for w in words):
        return None
    if not heard.dates.empty and len(words) < len(tokens) \
            and any(weekday_of(w) is not None or month_of(w) is not None for w in words):
        return None  # "Kas saaks laupäevast, ...": a day asked for (read as one), not a pet called Laupäevast
    if len(words) > 1 and any(_spells_a_number(w) for w in words):
        return None  # "kolm ööd", "two nights": a number with its unit, not a two-word name
    return " ".join(w[:1].upper() + w[1:] for w in words)


def _name_words(clause: str, lang: str) -> list[str]:
    """The words of a name answer without the fillers around the name and, when a word is left, the
    words said about the pet rather than its name: a number with its unit ("Reksile kolm ööd"), an age
    ("Muri on kolmeaastane") and Estonian finite verbs and adverbs in lower case ("Tuhandele broneerige",
    "Tuksile oleks vaja")."""
    fillers = _fillers(lang)
    words = [w for w in re.findall(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*", clause)  # "she's" is one word (a filler)
             if w.lower() not in fillers]
    if len(words) > 1:
        unit = [w.lower() in UNITS or said_about_pet(w, lang) for w in words]
        counted = [_spells_a_number(w) and i + 1 < len(words) and unit[i + 1] for i, w in enumerate(words)]
        kept = [w for i, w in enumerate(words) if not (unit[i] or counted[i])]  # "kolm ööd", "kolme aastane"
        if kept and not all(pet_type(w.lower()) is not None for w in kept):  # "kiisu jaoks" names nobody
            words = kept
    if len(words) > 1 and lang == "et" and clause.lstrip().startswith(words[0]) and words[0][:1].isupper() \
            and not is_plausible_name(words[0].lower(), pet_word_ok=True):
        words = words[1:]  # "Kas saaks laupäevast": a particle capitalised only as the first word
    return words


def fill(tenant: TenantConfig, slots: Mapping[str, str], heard: Heard, asked: str | None) -> dict[str, str]:
    """The slots after this utterance (see `fill_checked` for the problems found on the way)."""
    return fill_checked(tenant, slots, heard, asked)[0]


def _only_yes_or_fillers(clause: str, lang: str) -> bool:
    """A clause of nothing but yes/okay words and fillers ("okei", "jah", "well")."""
    tokens = re.findall(r"[^\W\d_]+", clause.lower())
    return not tokens or all(t in _fillers(lang) or yes_no(t, lang) is True for t in tokens)


def _without_leading_yes(clause: str, lang: str) -> str:
    """The clause without the yes/okay words and particles it starts with ("jaa Tõru" -> "Tõru")."""
    tokens = clause.split()
    while len(tokens) > 1 and (yes_no(tokens[0].strip(",.!"), lang) is True
                               or tokens[0].strip(",.!").lower() in _PARTICLES.get(lang, ())):
        tokens.pop(0)  # ... and the particles of the caller's language ("no Sada")
    return " ".join(tokens)


def _picked_option(text: str, options: str) -> str | None:
    """The offered name option the answer is made of ("Kõuts", "Kõuts.", "ikka Kõuts"), or None."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    found = [o for o in options.split("|") if all(w in words for w in o.lower().split())]  # "Jaani Saar" too
    return found[0] if len(found) == 1 else None


def fill_checked(tenant: TenantConfig, slots: Mapping[str, str], heard: Heard,
                 asked: str | None) -> tuple[dict[str, str], str | None]:
    """The slots after this utterance, and a problem to tell the caller about: "past-date",
    "end-before-start" (the values that caused it are not stored) or None.

    Context decides meaning: the answer to the name question is read as a name first (a weekday
    or month word in it is the name, not a date); values for other slots are kept too. A phone
    number dictated over two turns is joined ("_phone_part" holds the first digits)."""
    s = dict(slots)
    profile = profiles.of(tenant)
    person = profile.names_a_person
    if heard.resource and profile.resource_slot:
        s[profile.resource_slot] = heard.resource
    phone_problem = _fill_phone(s, heard, asked, tenant.phone_region)
    name_slot = profile.name_slot
    cue_name = heard.person_name if person else heard.pet_name
    known_animal = bool(profile.resource_slot and s.get(profile.resource_slot)) and not person
    name = cue_name or (bare_name(heard, 4 if person else 2, pet_word_ok=known_animal)
                        if asked == name_slot else None)  # "It'll be Rex, my cell is ..." (the number: another clause)
    readings: tuple[str, ...] = ()
    if name and not heard.pet_name_options and not person and heard.lang == "et" and " " not in name:
        said = re.search(rf"\b{re.escape(name)}\b", heard.text, re.IGNORECASE)
        readings = answer_name_readings(name, heard.text[said.end():] if said else "")  # "Piprale, ja ..."
        name = readings[0] if readings else name
    if name is None and name_slot not in s and asked != name_slot and heard.dates.empty and not heard.own_number \
            and not (heard.phone or heard.resource or heard.yes_no is not None):
        name = out_of_turn_name(heard.text, heard.lang, person=person)  # "Muki" for "which day?"
    if name is None and name_slot not in s and not person and heard.has_slot_values and not heard.own_number:
        name = leading_name(heard.text)  # "Max, and I'll pick him up on the 12th"
    if name_slot in s and (renamed := _renamed(heard.text, s[name_slot])):
        name = renamed  # "it's Marlo, not Marco" / "Marlo, mitte Marco" / "Марло, а не Марко"
    if name is None and person and name_slot in s and (surname := surname_said(heard.text)):
        name = " ".join([*s[name_slot].split()[:-1], surname])  # "нет, на фамилию Петрова"
    if asked == name_slot and "_name_options" in s and (picked := _picked_option(heard.text, s["_name_options"])):
        name, readings = picked, ()  # "Kõuts or Kõutsi?" - "Kõuts" (even when the name is also a word: kõuts = tomcat)
    if name and asked == name_slot and profile.resource_slot and slots.get(profile.resource_slot) \
            and pet_type(name.lower()) is not None:
        s[profile.resource_slot] = slots[profile.resource_slot]  # "Kõutsile" names the dog Kõuts (tomcat)
    if name:
        s[name_slot] = name
        if name == heard.pet_name and heard.pet_name_options:
            s["_name_options"] = "|".join(heard.pet_name_options)  # "Reksile": Reks or Reksi? ask
        elif person and name == heard.person_name and heard.person_name_options:
            s["_name_options"] = "|".join(heard.person_name_options)  # "Jaani Saare jaoks": Jaan or Jaani? ask
        elif len(readings) > 1:
            s["_name_options"] = "|".join(readings)  # "Piprale": Pipar or Pipra? ask
        else:
            s.pop("_name_options", None)
    elif asked == name_slot and heard.yes_no is True:
        s.pop("_name_options", None)  # "is it Reks or Reksi?" - "yes": the first, as read out
    if not person and heard.person_name and heard.person_name != heard.pet_name \
            and heard.person_name != s.get("pet_name"):
        s["owner_name"] = heard.person_name  # ("her name is Bella" names the pet, not the owner)
    d = heard.dates
    if asked == "phone" and only_digits(heard.digits or heard.text):
        d = DateMention()  # "515 25 47 18" to the phone question: digits of a number, never a day
    if name and (asked == name_slot or _names_a_day(name) or _spells_a_number(name)):
        d = _dates_besides_name(heard, name, tenant, asked_name=asked == name_slot)  # "Суббота", "Kolmas", "Rosa Noon" are the name
    problem = d.problem
    ranged = profile.date_shape == "range"
    if problem == "end-before-start" and d.start is not None and ranged:
        s["start_date"] = d.start.isoformat()  # "from the 15th to the 12th": keep the 15th, ask the end again
        s.pop("end_date", None)
        d = replace(d, start=None, end=None, single=None, nights=None)
    if ranged:
        problem = _fill_stay_dates(s, d, asked) or problem
    else:
        day = d.single or d.start or d.end  # an appointment has one day, however it was introduced ("to Thursday")
        if day:
            s["date"] = day.isoformat()
        if d.time:
            s["time"] = d.time.strftime("%H:%M")
        if (corrected := _corrected_time(heard.digits or heard.text, slots.get("time"), d)) is not None:
            s["time"] = corrected  # "sorry, I meant 11 not 10", "не в 10, а в 11"
    problem = profile.fill(s, heard, asked, tenant) or problem  # the profile's own slots (a party size)
    return s, problem or phone_problem


def _renamed(text: str, current: str) -> str | None:
    """A name corrected with a negation of the current one: the other capitalised name in the words."""
    found = re.findall(r"[^\W\d_][^\W\d_'’-]*", text)
    lowered = [w.lower() for w in found]
    old = current.split()[0].lower()
    if old not in lowered:
        return None
    i = lowered.index(old)
    if not any(w in NEGATORS for w in lowered[max(0, i - 2):i]):
        return None  # "not Marco": the current name is the one rejected
    others = [w for w in found if w.lower() != old and w[:1].isupper() and is_plausible_name(w)
              and month_of(w) is None and weekday_of(w) is None]
    return re.sub(r"['’]s$", "", others[0]) if len(others) == 1 else None


_HOUR = re.compile(r"(?<![\d.,:])(\d{1,2})(?:[:.](\d{2}))?(?![\d]|-?го|\.\s*\w)")


def _corrected_time(text: str, current: str | None, d: DateMention) -> str | None:
    """A correction of the appointment time said with a negation and bare numbers: the number that is
    the current hour is the one rejected, the one other hour is the new time. None when unclear."""
    if not current or d.start or d.single or d.end or not any(w in NEGATORS for w in words(text)):
        return None
    if d.time is not None and d.time.strftime("%H:%M") != current:
        return None  # the time rules read the new time already ("mitte kümneks, vaid pool üksteist" = 10:30)
    now = tuple(int(x) for x in current.split(":"))
    said = [(int(h), int(m or 0)) for h, m in _HOUR.findall(text) if 7 <= int(h) <= 20 and int(m or 0) < 60]
    others = {t for t in said if t[0] != now[0]}
    if not any(t[0] == now[0] for t in said) or len(others) != 1:
        return None
    hour, minute = others.pop()
    return f"{hour:02d}:{minute:02d}"


def _names_a_day(name: str) -> bool:
    return any(weekday_of(w) is not None or month_of(w) is not None for w in name.split())


def _spells_a_number(name: str) -> bool:
    return bool(re.search(r"\d", spell_numbers(name)))  # "Kolmas", "Sada", "Null"


def _dates_besides_name(heard: Heard, name: str, tenant: TenantConfig, *, asked_name: bool = False) -> DateMention:
    """The dates and time of the words other than the name: a number, day or time word inside the
    name ("Kolmas" = third, "Detsembrile", "Rosa Noon") is never a date. Without the day `hear` read
    against, the old rule: nothing date-like is taken unless the answer has digits besides."""
    rest = _without_name(heard.text, name)
    if asked_name:
        rest = without_word_ordinals(rest, heard.lang)  # "Teine, sest ta on meil teine kass"
    if heard.today is None:
        return heard.dates if re.search(r"\d", spell_numbers(rest)) else DateMention(time=heard.dates.time)
    return dates_in(rest, heard.lang, heard.today, tenant, ref=heard.ref)


def _without_name(text: str, name: str) -> str:
    """`text` without the words the name was taken from: the same word, else the first word in one of
    its case forms (a shared beginning: "Detsembrile" for Detsember, "Piprale" for Pipar)."""
    for part in name.split():
        found = list(re.finditer(r"[^\W\d_][^\W\d_'’-]*", text))
        same = [m for m in found if m[0] == part]  # "pool kolm, ... Juuli Pool": the capitalised one
        lower = [m for m in found if m[0].lower() == part.lower()]
        stem = len(part) - 2 if len(part) > 4 else 3
        inflected = [m for m in found if m[0][:1].isupper() and m[0].lower()[:stem] == part.lower()[:stem]]
        if hit := (same or inflected or lower or [None])[0]:  # "kutsume teda Esimeseks, ... esimene"
            text = text[: hit.start()] + " " * len(hit[0]) + text[hit.end():]
    return text


def _fill_phone(s: dict[str, str], heard: Heard, asked: str | None, region: str) -> str | None:
    """The phone slot; "invalid-phone" when the digits said (with the first half kept from the
    turn before) make a complete number that is not valid for the region."""
    if heard.phone:
        s["phone"] = heard.phone
        s.pop("_phone_part", None)
        return None
    digits = re.sub(r"\D", "", heard.digits or heard.text)
    dictating = asked == "phone" or starts_a_number(heard.text) \
        or ("_phone_part" in s and only_digits(heard.digits or heard.text))  # "my number is 5644" ... "9123"
    if not dictating or len(digits) < 2 or not heard.dates.empty:
        return None  # digits that were a day or a time ("не в 10, а в 11") are not half a phone number
    part = s.get("_phone_part", "")
    joined = extract_phone(f"{part}{digits}", region) if part else None
    if joined:
        s["phone"] = joined
        s.pop("_phone_part", None)
    elif len(part + digits) >= 8:
        s.pop("_phone_part", None)  # a whole number, but not a valid one: read it back as wrong, ask again
        return "invalid-phone"
    else:
        s["_phone_part"] = part + digits
    return None


def _corrected_stay_day(d: DateMention, start: date | None, end: date | None, asked: str | None) -> str | None:
    """Which day of the stay a lone day said with a correction cue after it replaces ("Saturday the
    fifth of December I mean", "laupäeval, viiendal detsembril ma mõtlen"): the one on the weekday said
    ("start" / "end"); without a weekday, said to the end question, the start just given ("the fifth
    I mean"). None when there is no cue, or it is unclear which."""
    if not d.corrects or d.single is None:
        return None
    if d.weekday is None:
        return "start" if asked == "end_date" and start is not None and end is None and d.single != start else None
    if d.weekday != d.single.weekday():
        return None
    on_it = [k for k, v in (("start", start), ("end", end)) if v is not None and v.weekday() == d.weekday]
    return on_it[0] if len(on_it) == 1 and d.single != (start if on_it[0] == "start" else end) else None


def _fill_stay_dates(s: dict[str, str], d: DateMention, asked: str | None) -> str | None:
    start = date.fromisoformat(s["start_date"]) if "start_date" in s else None
    end = date.fromisoformat(s["end_date"]) if "end_date" in s else None
    nights = d.nights
    if nights and d.more_nights and end is not None and not (d.start or d.end or d.single):
        s["end_date"] = (end + timedelta(days=nights)).isoformat()  # "two more nights": added to the stay
        return None
    if d.shift and start is not None and end is not None and not (d.start or d.end or d.single):
        new_start = start if d.shift_role == "end" else start + timedelta(days=d.shift)  # "a day earlier" at the summary
        new_end = end if d.shift_role == "start" else end + timedelta(days=d.shift)
        if new_end <= new_start:
            return "end-before-start"
        s["start_date"], s["end_date"] = new_start.isoformat(), new_end.isoformat()
        return None
    if nights and d.fewer_nights and end is not None and start is not None and not (d.start or d.end or d.single):
        if end - timedelta(days=nights) <= start:
            return "end-before-start"
        s["end_date"] = (end - timedelta(days=nights)).isoformat()  # "üks öö vähem": taken off the stay
        return None
    if d.start and d.end:
        start, end = d.start, d.end
    elif d.start:
        start = d.start
        if nights:
            end = start + timedelta(days=nights)
        elif end is not None and end <= start:
            end = None
    elif d.end:
        if start is not None and d.end <= start:
            return "end-before-start"
        end = d.end
    elif d.single and (fixed := _corrected_stay_day(d, start, end, asked)):
        if fixed == "start":  # "on Saturday" ... "Saturday the fifth of December I mean": the start, said again
            start, end = d.single, end if end is not None and end > d.single else None
        elif start is not None and d.single <= start:
            return "end-before-start"
        else:
            end = d.single
    elif d.single:
        one = d.single
        if d.weekday is not None and d.week_relative and start is not None and one <= start \
                and (asked == "end_date" or end is None):
            one = next_weekday(d.weekday, start)  # "we'll be back for him on Saturday": the one after the start
        if asked == "end_date" and start is not None and one <= start:
            return "end-before-start"
        if asked == "end_date" or (start is not None and end is None and one > start and asked != "start_date"):
            end = one
        elif start is not None and end is not None and asked != "start_date":
            if one >= end:
                end = one
            else:  # a correction of the check-in day ("no, the 12th")
                start = one
                if end <= start:
                    end = None
        else:
            start = one
            if end is not None and end <= start:
                end = None
    elif nights:
        if start is not None:
            end = start + timedelta(days=nights)
        else:
            s["nights"] = str(nights)
    if start is not None and end is None and "nights" in s:
        end = start + timedelta(days=int(s.pop("nights")))
    for key, value in (("start_date", start), ("end_date", end)):
        if value is None:
            s.pop(key, None)
        else:
            s[key] = value.isoformat()
    return None
