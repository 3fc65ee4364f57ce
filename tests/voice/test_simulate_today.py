"""`simulate-call --fast` happens on a real calendar day: the virtual clock starts at the real date and time
(or `--today`), so "tomorrow" means what it means on a live call. Fake speech engines, the real agent (rules
only, its calendar on the same day)."""

from __future__ import annotations

import json
import wave
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from click.testing import CliRunner

from receptionist.app import build_brain
from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, tone
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.config.voice import VoiceConfig
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.simulate import CallerLine, simulate_call
from receptionist.pipeline.virtual_clock import calendar_start
from tests.conftest import PET_CONFIG

TALLINN = ZoneInfo("Europe/Tallinn")
SPRING = datetime(2027, 3, 10, 8, 0, tzinfo=timezone.utc)  # a Wednesday, 10:00 in Tallinn


def test_the_call_starts_now_unless_a_day_is_given():
    now = datetime(2026, 12, 1, 7, 15, tzinfo=timezone.utc)
    assert calendar_start(None, TALLINN, now) == now


def test_a_given_date_keeps_the_real_time_of_day_in_the_business_time_zone():
    now = datetime(2026, 12, 1, 7, 15, tzinfo=timezone.utc)  # 09:15 in Tallinn
    assert calendar_start("2027-03-10", TALLINN, now) == datetime(2027, 3, 10, 9, 15, tzinfo=TALLINN)


def test_a_given_date_and_time_is_read_in_the_business_time_zone():
    now = datetime(2026, 12, 1, 7, 15, tzinfo=timezone.utc)
    assert calendar_start("2027-03-10T16:30", TALLINN, now) == datetime(2027, 3, 10, 16, 30, tzinfo=TALLINN)


def test_a_date_in_another_shape_names_the_expected_one():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        calendar_start("10.03.2027", TALLINN, datetime(2026, 12, 1, tzinfo=timezone.utc))


async def spoken_call(words: str, *, start: datetime | None, calendar_day: datetime, tmp_path: Path):
    """One fast simulated call of the real agent (its calendar's clock at `calendar_day`); the caller says
    `words`. Returns (the message times the agent received, what the bot said)."""
    config = load_config(PET_CONFIG)
    brain = build_brain(config, clock=FakeClock(calendar_day), database=tmp_path / "cal.db", model=None)
    engines = VoiceEngines(lambda: EnergyVad(), FakeStt(words), {"en": FakeTts(16000)})
    received: list[datetime] = []
    handle = brain.agent.handle

    async def recording_handle(msg, **kwargs):
        received.append(msg.received_at)
        return await handle(msg, **kwargs)

    brain.agent.handle = recording_handle  # type: ignore[method-assign]
    try:
        result = await simulate_call(engines, VoiceConfig(), [CallerLine(AudioChunk(tone(1.5), 16000))],
                                     brain=brain.agent, languages=("en",), sink_rate=16000,
                                     tenant_id=config.default_tenant.id, start=start)
    finally:
        engines.close()
        brain.close()
    said = [ev.text for _, ev in result.events if type(ev).__name__ == "BotSpoke"]
    return received, said, result


async def test_tomorrow_on_a_fast_simulated_call_is_the_day_after_the_given_day(tmp_path):
    received, said, result = await spoken_call("I'd like to book a dog room from tomorrow for two nights",
                                               start=SPRING, calendar_day=SPRING, tmp_path=tmp_path)
    assert result.calendar_start == SPRING
    assert all(at.date() == SPRING.date() for at in received)
    assert "11 March" in said[-1] and "past" not in said[-1]


async def test_without_a_day_the_fast_call_happens_now(tmp_path):
    before = datetime.now(timezone.utc)
    received, said, result = await spoken_call("I'd like to book a dog room from tomorrow for two nights",
                                               start=None, calendar_day=before, tmp_path=tmp_path)
    assert result.calendar_start is not None and before <= result.calendar_start
    assert received and all(abs(at - before) < timedelta(hours=1) for at in received)
    assert "past" not in said[-1]


def test_the_command_runs_the_call_on_the_given_day(tmp_path, monkeypatch):
    """simulate-call --fast --today: the timeline names the day; engines are fakes (the registry's)."""
    from receptionist import app

    monkeypatch.setattr(app, "build_voice_engines", lambda cfg, languages, *a, **k: VoiceEngines(
        lambda: EnergyVad(), FakeStt("What time is check in?"), {lang: FakeTts(16000) for lang in languages}))
    import receptionist.cli.voice as voice_cli

    wav = tmp_path / "caller.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((tone(1.5) * 20000).astype(np.int16).tobytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(voice_cli.simulate_call_cmd, [str(wav), "--out", str(out), "--fast",
                                                              "--today", "2027-03-10T10:00", "--no-greeting"],
                                obj={"config_path": str(PET_CONFIG)})
    assert result.exit_code == 0, result.output
    timeline = json.loads((out / "timeline.json").read_text())
    assert timeline["calendar_start"] == "2027-03-10T10:00:00+02:00"
