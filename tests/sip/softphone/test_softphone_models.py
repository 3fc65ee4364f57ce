"""A spoken English booking from a real softphone (baresip, G.722) with the packaged models (Silero,
Whisper base, Piper) and the real agent: the caller's lines are Piper speech played as baresip's
microphone, the booking lands in SQLite, and the confirmation code can be heard (Whisper) in what
baresip recorded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callkit import code_heard
from siphelpers import english_config, running_line, sip_config, until
from receptionist.app import build_brain
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from receptionist.pipeline.stt import Transcript
from receptionist.pipeline.timing import BotSpoke
from softphone.baresip import Baresip
from softphone.caller import PoliteSoftphone, prepare_lines

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_baresip")]

CALLER = "+37251234567"
LINES = ["Hi, I would like to book a room for my dog Max from December 10th to December 12th.",
         "My number is five one two three, four five six seven.",
         "Yes, please.",
         "Thank you, goodbye."]


@pytest.fixture
def brain(tmp_path: Path):
    config = english_config(tmp_path)
    brain = build_brain(config, clock=SystemClock(), model=None)
    yield config, brain
    brain.close()


def cut(audio: AudioChunk, start_s: float, end_s: float) -> AudioChunk:
    rate = audio.sample_rate
    return AudioChunk(audio.samples[max(0, int(start_s * rate)):max(0, int(end_s * rate))], rate)


async def test_a_spoken_booking_from_a_g722_softphone(tmp_path: Path, brain, sip_engines) -> None:
    config, b = brain
    voice_cfg, engines = sip_engines
    tenant = config.default_tenant
    lines = prepare_lines(engines.voices["en"], LINES, tmp_path)
    events: list = []
    sessions = voice_sessions(engines, voice_cfg, SystemClock(), tenant.languages)
    async with running_line(sip_config(), b.agent, b.local, tenant, sessions, events) as line:
        async with Baresip(tmp_path, user=CALLER) as phone:
            caller = PoliteSoftphone(phone, events)
            await caller.call(f"sip:reception@127.0.0.1:{line.port}")
            assert caller.audio.codec == "G722/16000"
            assert await caller.wait_bot_done()  # the greeting
            for spoken in lines:
                if phone.closed():
                    break
                await caller.say(spoken)
            await phone.wait_event("CALL_CLOSED", 30)  # the bot says goodbye and hangs up
        assert await until(lambda: line.active_calls == 0, 5)
    dialogue = "\n".join(f"{type(e).__name__}: {e.text}" for e in events if isinstance(e, (Transcript, BotSpoke)))
    db = sqlite3.connect(config.app.database)
    rows = db.execute("SELECT status, resource_id, start_at, end_at, phone, channel, code FROM bookings").fetchall()
    ended = db.execute("SELECT COUNT(*) FROM conversations WHERE ended_at IS NOT NULL").fetchone()[0]
    db.close()
    assert len(rows) == 1, dialogue
    status, resource, start, end, phone_no, channel, code = rows[0]
    assert (status, resource, phone_no, channel) == ("confirmed", "dog", CALLER, "voice")
    assert start.startswith("2026-12-10") and end.startswith("2026-12-12")
    assert ended == 1

    said = next(e for e in events if isinstance(e, BotSpoke) and code in e.text)  # the confirmation
    heard = phone.heard()
    assert heard.sample_rate == 16000
    start_s = (said.started or said.ended) - caller.established_at
    confirmation = resample(cut(heard, start_s - 1.0, said.ended - caller.established_at + 1.0), 16000).samples
    text = engines.stt.transcribe(confirmation, language="en", languages=("en",), max_tokens=200).text
    assert code_heard(text, code), (code, text, said.text)
