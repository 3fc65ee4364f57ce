"""One table maps each error code to what the caller hears, in every language: `[errors]` in
receptionist/lang/<code>/errors.toml, read by receptionist.errors.caller_message on every channel."""

from __future__ import annotations

import pytest

from receptionist import lang as langdata
from receptionist.errors import CALLER_CODES, caller_message, placeholders

LANGUAGES = langdata.folders(builtin=True)


def table(language: str) -> dict[str, str]:
    return dict(langdata.section(language, "errors").get("errors", {}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_code_has_a_message_in_every_language(language):
    missing = [code for code in CALLER_CODES if not table(language).get(code, "").strip()]
    assert not missing, f"receptionist/lang/{language}/errors.toml has no message for {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_table_holds_only_known_codes_with_the_placeholders_english_has(language):
    english = table("en")
    for code, text in table(language).items():
        assert code in CALLER_CODES, f"{language}: {code} is not in receptionist/errors.py CALLER_CODES"
        assert placeholders(text) == placeholders(english[code]), f"{language}: {code} placeholders differ"


def test_the_caller_hears_the_message_of_the_code_in_their_language():
    assert caller_message("tool-timeout", "et") == table("et")["tool-timeout"]
    assert caller_message("closed", "ru", date="1 декабря").startswith("К сожалению, 1 декабря")


def test_an_unknown_code_or_language_or_a_missing_value_still_says_something_true():
    assert caller_message("no-such-code", "en") == table("en")["internal"]
    assert caller_message("stt-failed", "xx") == table("en")["stt-failed"]  # no such language folder
    assert caller_message("closed", "et") == table("et")["booking-failed"]  # no {date} to say
