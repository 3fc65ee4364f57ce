"""Per-language reply templates written by us, and the code that renders facts into them.

Facts (dates, prices, nights, confirmation codes) are always rendered here by code, never by the LLM.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import ModuleType

from receptionist.agent.replies import en, et, ru

PACKS: dict[str, ModuleType] = {"en": en, "et": et, "ru": ru}
FAR_DAYS = 183  # dates further than this from today are read back with their year


class Phrases:
    """Everything language-specific the agent says, for one language."""

    def __init__(self, lang: str, today: date | None = None) -> None:
        if lang not in PACKS:
            raise ValueError(f"no reply templates for language {lang!r}")
        self.lang = lang
        self.today = today
        self._pack = PACKS[lang]

    def __call__(self, key: str, **values: object) -> str:
        return self._pack.T[key].format(**values)

    def day(self, d: date) -> str:
        """The day with its weekday; with the year when it is more than ~6 months from `today`
        (so a date that rolled into next year is never read back as if it were this year's)."""
        far = self.today is not None and abs((d - self.today).days) > FAR_DAYS
        return self._pack.day(d, with_year=far)

    def day_short(self, d: date) -> str:
        return self._pack.day_short(d)

    def nights(self, n: int) -> str:
        return self._pack.nights(n)

    def price(self, amount: Decimal, currency: str = "EUR") -> str:
        q = amount.quantize(Decimal("0.01"))
        text = f"{q:.0f}" if q == q.to_integral_value() else f"{q:.2f}"
        return self._pack.price(text, currency)

    def weekday(self, index: int) -> str:
        """Monday = 0, in the nominative ("Monday", "esmaspäev", "понедельник")."""
        return self._pack.WEEKDAYS_NOM[index]

    def pet_type(self, kind: str) -> str:
        return self._pack.PET_TYPES.get(kind, kind)

    def either(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self._pack.T["list_and"] + items[-1]


def template_keys(lang: str) -> set[str]:
    return set(PACKS[lang].T)
