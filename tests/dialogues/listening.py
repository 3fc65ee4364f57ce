"""A scripted caller who listens to the summary (scripts/bench-dialogues --listening): at "Shall I
book it?" they compare what was read back with what they meant and, where a value differs, say a
correction ("No, the name is Rex.", "Ei, minu number on 5123 4567.", "Нет, с 10 декабря по 13 декабря.")
instead of yes — at most twice, then they give up with a no. The default caller says yes to any
summary, which measures the worst case; this one measures what a caller who listens gets.

The corrections are fixed per dialogue (from its expected booking), so the spoken mode can say and
transcribe them in advance like every other line."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

MAX_CORRECTIONS = 2
_NO = {"en": "no", "et": "ei", "ru": "нет"}
_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "et_from": ["jaanuarist", "veebruarist", "märtsist", "aprillist", "maist", "juunist", "juulist", "augustist",
                "septembrist", "oktoobrist", "novembrist", "detsembrist"],
    "et_until": ["jaanuarini", "veebruarini", "märtsini", "aprillini", "maini", "juunini", "juulini", "augustini",
                 "septembrini", "oktoobrini", "novembrini", "detsembrini"],
    "et_on": ["jaanuaril", "veebruaril", "märtsil", "aprillil", "mail", "juunil", "juulil", "augustil",
              "septembril", "oktoobril", "novembril", "detsembril"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
}
_TEMPLATES = {
    "en": {"name": "No, the name is {v}.", "phone": "No, my number is {v}.", "stay": "No, from {s} to {e}.",
           "at": "No, on {d} at {t}."},
    "et": {"name": "Ei, nimi on {v}.", "phone": "Ei, minu number on {v}.", "stay": "Ei, alates {s} kuni {e}.",
           "at": "Ei, {d} kell {t}."},
    "ru": {"name": "Нет, имя {v}.", "phone": "Нет, мой номер {v}.", "stay": "Нет, с {s} по {e}.",
           "at": "Нет, {d} в {t}."},
}


def _day(d: date, lang: str, role: str = "") -> str:
    if lang == "en":
        return f"{d.day} {_MONTHS['en'][d.month - 1]}"
    if lang == "et":
        return f"{d.day}. {_MONTHS['et_' + (role or 'on')][d.month - 1]}"
    return f"{d.day} {_MONTHS['ru'][d.month - 1]}"


def _local_phone(e164: str) -> str:
    digits = e164.removeprefix("+372")
    return f"{digits[:4]} {digits[4:]}" if len(digits) == 8 else digits


def corrections(expect: Mapping[str, Any], lang: str) -> dict[str, str]:
    """field -> what the caller says when the summary gets that field wrong ({} without one expected
    booking or for a language without templates)."""
    bookings = list(expect.get("bookings") or [])
    if len(bookings) != 1 or lang not in _TEMPLATES:
        return {}
    b, t = bookings[0], _TEMPLATES[lang]
    out: dict[str, str] = {}
    name = b.get("pet_name") or b.get("name")
    if name:
        out["name"] = t["name"].format(v=name)
    if b.get("phone"):
        out["phone"] = t["phone"].format(v=_local_phone(str(b["phone"])))
    if b.get("start") and b.get("end"):
        start, end = date.fromisoformat(str(b["start"])), date.fromisoformat(str(b["end"]))
        out["dates"] = t["stay"].format(s=_day(start, lang, "from"), e=_day(end, lang, "until"))
    if b.get("at"):
        at = datetime.fromisoformat(str(b["at"]))
        out["dates"] = t["at"].format(d=_day(at.date(), lang), t=at.strftime("%H:%M"))
    return out


def give_up(lang: str) -> str:
    """The caller's last word after two corrections that did not take."""
    return _NO.get(lang, "no")


def first_mismatch(expect: Mapping[str, Any], slots: Mapping[str, str]) -> str | None:
    """The first field ("name", "phone", "dates") whose value in the session's slots differs from the
    expected booking, or None when the summary says what the caller meant."""
    bookings = list(expect.get("bookings") or [])
    if len(bookings) != 1:
        return None
    b = bookings[0]
    name = b.get("pet_name") or b.get("name")
    said = slots.get("pet_name") or slots.get("patient_name") or slots.get("guest_name")
    if name and (said or "").casefold() != str(name).casefold():
        return "name"
    if b.get("phone") and slots.get("phone") != b["phone"]:
        return "phone"
    if b.get("start") and (slots.get("start_date"), slots.get("end_date")) != (str(b["start"]), str(b.get("end"))):
        return "dates"
    if b.get("at") and f"{slots.get('date')}T{slots.get('time')}" != str(b["at"])[:16]:
        return "dates"
    return None
