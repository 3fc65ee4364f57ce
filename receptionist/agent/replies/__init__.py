"""Reply templates written by us, and the code that renders facts into them.

The words are data: each language folder's replies.toml (receptionist/lang/<code>/replies.toml) holds
`[templates]` (Python format strings: `{name}` is filled by the code) and the grammar used to render
facts: weekday and month names in the cases the date formats need, the date formats, the plural rule
and forms for nights, the price formats and the pet type names. Facts (dates, prices, nights,
confirmation codes) are always rendered here by code, never by the LLM.

A new template key goes into every language's replies.toml (tests/agent/test_language_folders.py
checks that each folder has every key `en` has, with no placeholder `en` lacks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from receptionist import lang as langdata

FAR_DAYS = 183  # dates further than this from today are read back with their year


def _one_other(n: int) -> str:
    return "one" if n == 1 else "other"


def _one_few_many(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


# Plural rules a replies.toml may name (`[nights] rule`): CLDR categories for whole numbers.
PLURAL_RULES: Mapping[str, Callable[[int], str]] = {
    "one_other": _one_other,  # English, Estonian, ...
    "one_few_many": _one_few_many,  # Russian, Ukrainian, ... (1 ночь, 2 ночи, 5 ночей, 21 ночь)
}


def replies(lang: str) -> Mapping[str, Any]:
    """The replies.toml of one language. ValueError when the language has no templates."""
    try:
        data = langdata.section(lang, "replies")
    except langdata.UnknownLanguage:
        data = {}
    if not data.get("templates"):
        raise ValueError(f"no reply templates for language {lang!r} (receptionist/lang/{lang}/replies.toml)")
    return data


class Phrases:
    """Everything language-specific the agent says, for one language (from its replies.toml).

    `spoken`: the reply will be heard, not read (a phone call): a template with a `<key>_spoken`
    variant says it that way (shorter: one breath for a summary, secondary facts after the booking).
    Raises KeyError for a template no file defines."""

    def __init__(self, lang: str, today: date | None = None, *, spoken: bool = False) -> None:
        self._data = replies(lang)
        self.lang = lang
        self.today = today
        self.spoken = spoken
        self._templates: Mapping[str, str] = {**profile_templates(lang), **self._data["templates"]}

    def __call__(self, key: str, **values: object) -> str:
        template = (self._templates.get(f"{key}_spoken") if self.spoken else None) or self._templates[key]
        return template.format(**values)

    def _date(self, form: str, *, weekday: int | None = None, d: date | None = None) -> str:
        dates = self._data["dates"]
        values: dict[str, object] = {}
        if d is not None:
            weekday = d.weekday()
            values.update(day=d.day, year=d.year)
            values.update({name: names[d.month - 1] for name, names in dates.get("months", {}).items()})
        if weekday is not None:
            values.update({name: names[weekday] for name, names in dates.get("weekdays", {}).items()})
        return dates["formats"][form].format(**values)

    def day(self, d: date) -> str:
        """The day with its weekday; with the year when it is more than ~6 months from `today`
        (so a date that rolled into next year is never read back as if it were this year's)."""
        far = self.today is not None and abs((d - self.today).days) > FAR_DAYS
        return self._date("long_with_year" if far else "long", d=d)

    def day_short(self, d: date) -> str:
        return self._date("short", d=d)

    def nights(self, n: int) -> str:
        nights = self._data["nights"]
        return nights[PLURAL_RULES[nights["rule"]](n)].format(n=n)

    def price(self, amount: Decimal, currency: str = "EUR") -> str:
        price = self._data["price"]
        q = amount.quantize(Decimal("0.01"))
        number = f"{q:.0f}" if q == q.to_integral_value() else f"{q:.2f}"
        form = price["formats"].get(currency, price["formats"]["other"])
        return form.format(number=number, amount=number.replace(".", price.get("decimal_separator", ".")),
                           currency=currency)

    def weekday(self, index: int) -> str:
        """Monday = 0, in the nominative ("Monday", "esmaspäev", "понедельник")."""
        return self._date("weekday", weekday=index)

    def pet_type(self, kind: str) -> str:
        return self._data.get("pet_types", {}).get(kind, kind)

    def either(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self._templates["list_and"] + items[-1]


def profile_templates(lang: str) -> dict[str, str]:
    """The `[templates]` of a language's business-profile files (`profile_<name>.toml`): words only one
    kind of business needs ("a table for {party}"), kept out of the shared replies.toml."""
    out: dict[str, str] = {}
    for name, table in langdata.data(lang).items() if lang in langdata.folders() else ():
        if name.startswith("profile_"):
            out.update(table.get("templates", {}))
    return out


def template_keys(lang: str) -> set[str]:
    """The template keys of one language."""
    return set(replies(lang)["templates"])


def templates(lang: str) -> Mapping[str, str]:
    """The templates of one language, by key."""
    return replies(lang)["templates"]
