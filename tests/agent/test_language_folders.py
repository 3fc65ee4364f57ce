"""A language is a folder (receptionist/lang/<code>/*.toml) plus a config value.

Every shipped folder is complete (the same files as `en`, every reply template `en` has, no placeholder
the code does not pass), the rendering grammar is data, and a toy language — a copy of `en` with a few
templates changed, registered through `[agent] language_dirs` — takes a whole booking.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import string
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receptionist import lang as langdata
from receptionist.agent.replies import Phrases, templates
from receptionist.config import load_config
from receptionist.errors import ConfigError
from tests.agent.harness import Conversation
from tests.conftest import PET_CONFIG, REPO

SHIPPED = langdata.folders(builtin=True)
OTHERS = [code for code in SHIPPED if code != "en"]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _files(code: str) -> set[str]:
    return {p.name for p in (langdata.ROOT / code).glob("*.toml")}


def test_the_shipped_languages_are_folders():
    assert {"en", "et", "ru"} <= set(SHIPPED)


@pytest.mark.parametrize("code", OTHERS)
def test_every_folder_has_the_files_english_has(code):
    assert _files(code) == _files("en")


@pytest.mark.parametrize("code", OTHERS)
def test_every_folder_has_every_english_template_and_no_placeholder_english_lacks(code):
    english, other = templates("en"), templates(code)
    assert set(other) == set(english)
    for key, text in other.items():
        # A language may leave out a value it does not need ("What is your pet's name?" has no {pet}),
        # never use one the code does not pass.
        assert _fields(text) <= _fields(english[key]), key


@pytest.mark.parametrize("code", SHIPPED)
def test_every_folder_has_the_grammar_the_renderer_needs(code):
    replies = langdata.section(code, "replies")
    assert set(replies["dates"]["formats"]) == {"long", "long_with_year", "short", "weekday"}
    assert all(len(names) == 7 for names in replies["dates"]["weekdays"].values())
    assert all(len(names) == 12 for names in replies["dates"]["months"].values())
    assert {"EUR", "other"} <= set(replies["price"]["formats"])
    assert set(replies["pet_types"]) == {"dog", "cat"}
    P = Phrases(code, date(2026, 11, 24))
    for n in range(0, 40):
        assert str(n) in P.nights(n)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_folder_has_the_word_tables_the_extractors_index(code):
    lexicon = langdata.section(code, "lexicon")
    assert len(lexicon["month_stems"]) == 12 and len(lexicon["weekday_stems"]) == 7
    assert {cue["intent"] for cue in langdata.section(code, "intents")["cues"]} >= {"book", "cancel_booking"}


def test_the_plural_rule_of_nights_is_named_in_the_data():
    en, et, ru = (Phrases(code) for code in ("en", "et", "ru"))
    assert [en.nights(n) for n in (1, 2, 21)] == ["1 night", "2 nights", "21 nights"]
    assert [et.nights(n) for n in (1, 2)] == ["1 öö", "2 ööd"]
    assert [ru.nights(n) for n in (1, 2, 5, 11, 21, 22, 25, 112)] == [
        "1 ночь", "2 ночи", "5 ночей", "11 ночей", "21 ночь", "22 ночи", "25 ночей", "112 ночей"]


def test_dates_and_prices_render_from_the_format_strings():
    friday = date(2026, 12, 11)
    assert Phrases("en", date(2026, 11, 24)).day(friday) == "Friday 11 December"
    assert Phrases("en", date(2026, 1, 5)).day(friday) == "Friday 11 December 2026"  # far ahead: with the year
    assert Phrases("et").day(friday) == "reedel, 11. detsembril"
    assert Phrases("ru").day(friday) == "11 декабря (пятница)"
    assert [Phrases(code).day_short(friday) for code in ("en", "et", "ru")] == ["11 Dec", "11. detsember", "11 декабря"]
    assert [Phrases(code).weekday(4) for code in ("en", "et", "ru")] == ["Friday", "reede", "пятница"]
    assert [Phrases(code).price(Decimal("12.5")) for code in ("en", "et", "ru")] == ["€12.50", "12,50 €", "12,50 евро"]
    assert Phrases("et").price(Decimal("35"), "USD") == "35 USD"


def test_a_language_without_templates_has_no_phrases():
    with pytest.raises(ValueError):
        Phrases("xx-none")


# ---------------------------------------------------------------- a toy language, loaded from config


def _toy_language(root: Path) -> Path:
    """`en` copied as "xx", with the texts the booking below hears changed."""
    folder = root / "xx"
    shutil.copytree(langdata.ROOT / "en", folder)
    replies = folder / "replies.toml"
    text = replies.read_text(encoding="utf-8")
    for old, new in (
        ('greeting = "Hello, this is', 'greeting = "Ahoy! XX here:'),
        ('summary_stay = "Let me confirm:', 'summary_stay = "XX summary:'),
        ('booked = "Your booking is confirmed.', 'booked = "XX booked it.'),
    ):
        assert old in text
        text = text.replace(old, new)
    replies.write_text(text, encoding="utf-8")
    return folder


def _config_text(languages_dir: Path, default: str) -> str:
    text = PET_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^languages = .*$", 'languages = ["en", "xx"]', text)
    text = re.sub(r"(?m)^default_language = .*$", f'default_language = "{default}"', text)
    text = re.sub(r"(?m)^knowledge_dir = .*$", f'knowledge_dir = "{REPO / "knowledge" / "pawsome"}"', text)
    text = text.replace('names = { en = "dog room",', 'names = { xx = "xx dog room", en = "dog room",')
    text = text.replace('names = { en = "cat room",', 'names = { xx = "xx cat room", en = "cat room",')
    return text.replace("[agent]\n", f'[agent]\nlanguage_dirs = ["{languages_dir.name}"]\n', 1)


@pytest.fixture
def toy_config(tmp_path):
    """A config whose tenant speaks "en" and "xx"; "xx" lives in tmp_path/langs, named by language_dirs."""
    langs = tmp_path / "langs"
    _toy_language(langs)
    path = tmp_path / "config.toml"

    def load(default: str = "xx"):
        path.write_text(_config_text(langs, default), encoding="utf-8")
        return load_config(path)

    yield load
    langdata.remove_root(langs)


def test_the_config_registers_the_language_folder(toy_config):
    config = toy_config()
    assert config.agent.language_dirs == (config.source.parent / "langs",)
    assert "xx" in langdata.folders() and "xx" not in langdata.folders(builtin=True)
    assert config.default_tenant.languages == ("en", "xx")
    assert config.default_tenant.room_types[0].name("xx") == "xx dog room"


def test_a_toy_language_takes_a_whole_booking(toy_config, tmp_path, clock):
    config = toy_config(default="xx")
    conv = Conversation(config, tmp_path / "cal.db", clock)
    try:
        greeting = asyncio.run(conv.brain.agent.greeting(conv.session_id, conv.tenant.id, "web"))
        assert greeting.language == "xx" and greeting.text.startswith("Ahoy! XX here:")
        # English words (xx is a copy of en): the detector cannot tell them apart, so the tenant's default wins.
        summary = asyncio.run(conv.say("Room for my dog Max from December 10 to 15, phone +372 5123 4567"))
        assert summary.language == "xx" and summary.text.startswith("XX summary:"), summary.text
        assert "Max" in summary.text and "5 nights" in summary.text and "xx dog room" in summary.text
        booked = asyncio.run(conv.say("yes"))
        assert booked.language == "xx" and booked.booking is not None
        assert booked.text.startswith("XX booked it."), booked.text
        calendar = conv.calendar()
        try:
            made = calendar.get(conv.tenant.id, booked.booking.code)
        finally:
            calendar.close()
        stay = made.request
        assert (stay.start, stay.end, made.details["pet_name"], made.language) == (
            date(2026, 12, 10), date(2026, 12, 15), "Max", "xx")
    finally:
        conv.close()


def test_with_english_as_the_default_the_toy_language_is_chosen_by_hints(toy_config, tmp_path, clock):
    conv = Conversation(toy_config(default="en"), tmp_path / "cal.db", clock)
    try:
        assert asyncio.run(conv.say("Hello, I need a room for my dog")).language == "en"
        replies = [asyncio.run(conv.say(text, hint="xx")) for text in ("It is for Max", "From December 10 to 15")]
        assert replies[-1].language == "xx", [r.language for r in replies]
    finally:
        conv.close()


# ---------------------------------------------------------------- config errors name the key


def test_a_language_dir_that_does_not_exist_is_a_config_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(_config_text(tmp_path / "missing", "xx"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"agent\.language_dirs\[0\]"):
        load_config(path)


def test_a_tenant_language_without_a_folder_is_a_config_error(tmp_path):
    path = tmp_path / "config.toml"
    text = re.sub(r"(?m)^languages = .*$", 'languages = ["en", "zz"]', PET_CONFIG.read_text(encoding="utf-8"))
    path.write_text(re.sub(r"(?m)^default_language = .*$", 'default_language = "en"', text), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tenants\[0\]\.languages"):
        load_config(path)


def test_a_language_folder_without_reply_templates_is_a_config_error(tmp_path):
    langs = tmp_path / "langs"
    (langs / "xx").mkdir(parents=True)
    (langs / "xx" / "lexicon.toml").write_text("month_stems = []\n", encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(_config_text(langs, "xx"), encoding="utf-8")
    try:
        with pytest.raises(ConfigError, match=r"tenants\[0\]\.languages.*replies\.toml"):
            load_config(path)
    finally:
        langdata.remove_root(langs)

