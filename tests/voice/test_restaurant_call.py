"""A restaurant table booked by phone: a simulated call (pipeline/simulate.py: VAD, turn taking, STT,
the real agent, TTS, playout) in each language, through to the table in the calendar. Scripted speech
engines stand in for Whisper and the voices (each caller line is a tone whose length names its words);
the agent, the table profile and the SQLite calendar are the real ones."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from receptionist.app import build_brain
from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, tone
from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.config.voice import VoiceConfig
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.simulate import CallerLine, simulate_call
from tests.conftest import NOW, REPO

LINES = {
    "en": ["Hi, a table for four tomorrow at seven please", "Mari Tamm", "no", "5123 4567", "yes"],
    "et": ["Tere, sooviksin lauda neljale homme kell seitse", "Mari Tamm", "ei", "5123 4567", "jah"],
    "ru": ["Здравствуйте, столик на четверых завтра в семь", "Мария Тамм", "нет", "5123 4567", "да"],
}
SECONDS = (1.0, 2.0, 3.0, 4.0, 5.0)  # the length of each caller line's tone (heard with some silence around)


def scripted(lang: str):
    """What the caller said, recognised from the length of the tone heard."""
    def words(seconds: float) -> str:
        line = max((i for i, s in enumerate(SECONDS) if s <= seconds), default=0)
        return LINES[lang][line]
    return words


@pytest.mark.parametrize("lang", ["en", "et", "ru"])
async def test_a_table_is_booked_by_phone(tmp_path: Path, lang: str) -> None:
    config = load_config(REPO / "examples/restaurant.toml")
    tenant = config.default_tenant
    brain = build_brain(config, clock=FakeClock(NOW), database=tmp_path / "cal.db", model=None)
    engines = VoiceEngines(lambda: EnergyVad(), FakeStt(scripted(lang), language=lang), {lang: FakeTts(16000)})
    try:
        lines = [CallerLine(AudioChunk(tone(s), 16000)) for s in SECONDS]
        await simulate_call(engines, VoiceConfig(), lines, brain=brain.agent, languages=(lang,), sink_rate=16000,
                            tenant_id=tenant.id, session_id=f"table-call-{lang}", start=NOW)
    finally:
        engines.close()
        brain.close()
    calendar = CalendarService(tmp_path / "cal.db", config, FakeClock(NOW))
    try:
        booked = calendar.list_bookings(tenant.id)
    finally:
        calendar.close()
    assert [(b.kind, b.status, b.request.party_size, b.request.start.replace(tzinfo=None), b.phone, b.channel,
             b.language) for b in booked] == [
        ("table", "confirmed", 4, datetime(2026, 11, 25, 19, 0), "+37251234567", "voice", lang)]
