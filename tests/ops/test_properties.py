"""Property tests: whatever an operator writes in the config or types into the staff CLI, the answer is
a clean error naming the problem — never a crash or a traceback."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receptionist.config.app import parse_config
from receptionist.errors import ConfigError
from tests.conftest import PET_CONFIG

BASE = tomllib.loads(PET_CONFIG.read_text(encoding="utf-8"))
SECTIONS = ["app", "agent", "llm", "http", "sms", "sip", "vad", "stt", "tts", "barge_in", "privacy", "tenants"]
KEYS = ["enabled", "port", "host", "database", "data_dir", "log_level", "retention_days", "keep_fields", "threshold",
        "min_silence_ms", "languages", "timezone", "id", "hours", "capacity", "registrar", "allowed_sources",
        "model_path", "tool_retries", "booking_backend", "default_language", "rate_limit", "keep_bookings_for_days"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["", "en", "xx", "127.0.0.1", "Europe/Tallinn", "../x"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
                      max_leaves=6)


def _mutate(base: dict, section: str, key: str, value) -> dict:
    data = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    if section == "tenants":
        data["tenants"] = [dict(data["tenants"][0], **{key: value})]
    elif isinstance(data.get(section), dict):
        data[section] = dict(data[section], **{key: value})
    else:
        data[section] = {key: value}
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=st.sampled_from(SECTIONS), key=st.sampled_from(KEYS), value=values)
def test_any_config_value_is_accepted_or_refused_with_a_config_error(section, key, value):
    try:
        parse_config(_mutate(BASE, section, key, value), base_dir=Path("/nonexistent"))
    except ConfigError as exc:
        assert exc.message and "\n" not in exc.message


@settings(max_examples=60, deadline=None)
@given(data=st.dictionaries(st.sampled_from(SECTIONS + ["tss", "x"]), values, max_size=4))
def test_any_config_shape_is_accepted_or_refused_with_a_config_error(data):
    try:
        parse_config(data, base_dir=Path("/nonexistent"))
    except ConfigError:
        pass


text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from([
    ["bookings", "show", "{}"], ["bookings", "list", "--from", "{}"], ["bookings", "cancel", "{}"],
    ["bookings", "create", "--room-type", "{}", "--from", "2026-12-10", "--to", "2026-12-12", "--pet-name", "Max",
     "--pet-type", "dog", "--name", "Mari", "--phone", "+372 5123 4567"],
    ["bookings", "create", "--room-type", "dog", "--from", "2026-12-10", "--to", "2026-12-12", "--pet-name", "Max",
     "--pet-type", "dog", "--name", "{}", "--phone", "{}"],
    ["privacy", "find", "--phone", "{}"], ["privacy", "find", "--phone", "+372 5123 4567", "--tenant", "{}"],
    ["stats", "--hours", "{}"], ["callbacks", "done", "{}"], ["restore", "{}", "--yes"],
]), value=text)
def test_staff_commands_answer_any_input_without_a_traceback(cli, command, value):
    result = cli(*[value if part == "{}" else part for part in command])
    assert result.exit_code in (0, 1, 2), (command, value, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, value, result.exception)
    assert "Traceback" not in result.output
