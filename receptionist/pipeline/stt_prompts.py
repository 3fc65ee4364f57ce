"""Whisper's initial prompt per language: the language folder's `stt.toml` prompt followed by the
business's own words (its name, room types, services, practitioners), so that a short, noisy phone
utterance is decoded towards the words this business hears and in the spelling the agent reads
(digits for dates and phone numbers).

Whisper treats the prompt as text said before the utterance (Radford et al. 2022, "Robust Speech
Recognition via Large-Scale Weak Supervision", section on the previous-text conditioning;
faster-whisper's `initial_prompt`). The prompt is capped so it never crowds out the utterance.
"""

from __future__ import annotations

from typing import Any, Iterable

from receptionist import lang as langdata

MAX_PROMPT_CHARS = 400  # ~100-150 tokens; Whisper keeps at most 223 tokens of previous text


def vocabulary(tenant: Any, language: str) -> list[str]:
    """The business's own words in `language`: its name, room-type, service and practitioner names
    (a config.tenant.Tenant; missing attributes are skipped). Each word once, in that order."""
    words: list[str] = [getattr(tenant, "name", "") or ""]
    for item in (*getattr(tenant, "room_types", ()), *getattr(tenant, "services", ())):
        words.append(item.name(language))
    words += [getattr(p, "name", "") or "" for p in getattr(tenant, "practitioners", ())]
    return list(dict.fromkeys(w.strip() for w in words if w and w.strip()))


def stt_prompts(languages: Iterable[str], tenant: Any = None, *, enabled: bool = True) -> dict[str, str]:
    """Per language the prompt text (languages with nothing to say are left out; `enabled` False
    gives {}). Shape: {"et": "Tere! ... Pawsome Pet Hotel, koeratuba, ..."}, at most MAX_PROMPT_CHARS."""
    if not enabled:
        return {}
    out: dict[str, str] = {}
    for code in languages:
        base = str(langdata.section(code, "stt").get("prompt", "")).strip()
        own = ", ".join(vocabulary(tenant, code)) if tenant is not None else ""
        text = " ".join(part for part in (base, own + "." if own else "") if part)
        if text:
            out[code] = text[:MAX_PROMPT_CHARS]
    return out
