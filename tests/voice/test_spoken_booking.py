"""Spoken conversations through the real pipeline (Silero, Whisper, Piper/espeak-ng) and the real
agent with a real SQLite calendar: booked by voice, the code is heard in the bot's audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from voicekit import espeak

from receptionist.app import build_brain
from receptionist.audio.pcm import AudioChunk
from receptionist.booking.service import CalendarService
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.pipeline.simulate import CallerLine, simulate_call
from tests.conftest import NOW, REPO
from tests.heard import code_heard

pytestmark = pytest.mark.models


def piper_say(engines, text: str) -> AudioChunk:
    voice = engines.voices["en"]
    return AudioChunk(np.concatenate(list(voice.synthesize(text))), voice.sample_rate)


def transcript(engines, audio: AudioChunk, language: str) -> str:
    from receptionist.audio.resample import resample

    samples = resample(audio, 16000).samples
    parts = []
    for start in range(0, len(samples), 25 * 16000):  # Whisper sees 30 s at a time
        piece = samples[start:start + 25 * 16000]
        if len(piece) > 8000:
            parts.append(engines.stt.transcribe(piece, language=language, languages=(language,), max_tokens=200).text)
    return " ".join(parts)


@pytest.fixture
def brain(tmp_path: Path):
    config = load_config(REPO / "config.toml")
    brain = build_brain(config, clock=FakeClock(NOW), database=tmp_path / "cal.db", model=None)
    yield config, brain, tmp_path / "cal.db"
    brain.close()


async def test_a_spoken_english_booking_lands_in_the_calendar_and_the_code_is_spoken(voice_engines, brain):
    cfg, engines = voice_engines
    config, b, db = brain
    lines = [CallerLine(piper_say(engines, text)) for text in (
        "Hi, I'd like to book a room for my dog Max from December tenth to December fifteenth.",
        "My phone number is five one two three, four five six seven.",
        "Yes, please book it.",
    )]
    result = await simulate_call(engines, cfg, lines, brain=b.agent, languages=("en", "et", "ru"),
                                 tenant_id=config.default_tenant.id, session_id="voice-test-1", start=NOW)
    calendar = CalendarService(db, config, FakeClock(NOW))
    bookings = calendar.list_bookings(config.default_tenant.id)
    calendar.close()
    assert [(str(x.request.start), str(x.request.end), x.details.get("pet_name"), x.phone) for x in bookings] == [
        ("2026-12-10", "2026-12-15", "Max", "+37251234567")]
    heard = transcript(engines, result.bot_audio, "en")
    # Whisper base, the judge here, hears Piper's lone "eight" as "A": one slip allowed, as over SIP
    assert code_heard(heard.split("confirmation")[-1], bookings[0].code), heard


@pytest.mark.parametrize("voice,line,rate,intent", [
    ("ru", "Здравствуйте. Сколько стоит комната для кошки?", 130, "question"),
    # Whisper base hears robotic espeak Estonian poorly ("kasteil on mama, tuba"): the language and
    # the wish to book come through, the details don't. Real Estonian speech is untested here.
    ("et", "Tere, kas teil on vaba tuba koerale?", 110, "book"),
])
async def test_estonian_and_russian_callers_are_answered_in_their_language(voice_engines, brain, tmp_path,
                                                                           voice, line, rate, intent):
    cfg, engines = voice_engines
    config, b, _ = brain
    caller = espeak(line, voice, tmp_path, rate=rate)
    replies = []
    agent = b.agent

    class Recording:
        async def handle(self, msg, **kw):
            reply = await agent.handle(msg, **kw)
            replies.append(reply)
            return reply

        def __getattr__(self, name):
            return getattr(agent, name)

    await simulate_call(engines, cfg, [CallerLine(caller)], brain=Recording(), greet=False,
                        tenant_id=config.default_tenant.id, session_id=f"voice-{voice}", start=NOW)
    assert replies and replies[0].language == voice, [(r.language, r.text) for r in replies]
    assert replies[0].intent == intent, replies[0]
    if voice == "ru":
        assert "25 евро" in replies[0].text
