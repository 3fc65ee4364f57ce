"""A spoken English booking from a real softphone (baresip, G.722) with the packaged models (Silero,
Whisper base, Piper) and the real agent: the caller's lines are Piper speech played as baresip's
microphone, the booking lands in SQLite, and the confirmation code can be heard (Whisper) in what
baresip recorded (softphone/booking.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from siphelpers import running_line, sip_config, until
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from softphone.baresip import Baresip
from softphone.booking import CALLER, LINES, assert_booked_and_heard, book_by_phone
from softphone.caller import PoliteSoftphone, prepare_lines

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_baresip")]


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
            await book_by_phone(caller, f"sip:reception@127.0.0.1:{line.port}", lines)
            assert caller.audio.codec == "G722/16000"
        assert await until(lambda: line.active_calls == 0, 5)
    assert_booked_and_heard(config.app.database, events, caller, engines.stt)
