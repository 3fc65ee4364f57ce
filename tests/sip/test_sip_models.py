"""End to end over SIP with the packaged models (Silero, Whisper base, Piper) and the real agent:
sipp places the call, caller speech is Piper at 8 kHz µ-law, the bot's RTP is captured and
transcribed with Whisper."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pytest

from callkit import PoliteCaller, synth
from siphelpers import running_line, sip_config, until
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from receptionist.pipeline.stt import Transcript
from receptionist.pipeline.timing import BotSpoke
from sipmedia import LoopbackCapture, RtpPeer, ulaw_file
from sippkit import Sipp, free_port, stream

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_sip_tools")]


def transcribe(engines, audio: AudioChunk) -> str:
    pcm = resample(audio, 16000).samples
    return engines.stt.transcribe(pcm, language="en", languages=("en",), max_tokens=96).text


def words(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() or ch.isspace() else " " for ch in text)


async def test_greeting_heard_and_caller_understood(tmp_path: Path, brain, sip_engines) -> None:
    config, b = brain
    voice_cfg, engines = sip_engines
    tenant = config.default_tenant
    events: list = []
    said = synth(engines.voices["en"], "I would like to book a room for my dog.")
    caller = ulaw_file(tmp_path / "caller.ulaw", AudioChunk(np.concatenate(
        [np.zeros(8000 * 6, np.float32), said.samples]), 8000))
    media = free_port(pair=True)
    sessions = voice_sessions(engines, voice_cfg, SystemClock(), tenant.languages)
    async with running_line(sip_config(), b.agent, b.local, tenant, sessions, events) as line:
        async with LoopbackCapture(tmp_path / "bot.pcap", media) as capture:
            result = await Sipp(tmp_path, line.port).run("call", media_port=media, play=stream(caller),
                                                         hold_ms=14000, timeout_s=40)
        assert result.ok, result.errors
    greeting = transcribe(engines, AudioChunk(capture.audio().samples[: 8000 * 6], 8000))
    said = next(e.text for e in events if isinstance(e, BotSpoke))  # Whisper may garble the business's name
    assert SequenceMatcher(None, words(said), words(greeting)).ratio() > 0.75, (said, greeting)
    heard = [e.text for e in events if isinstance(e, Transcript)]
    assert any("dog" in words(t) for t in heard), heard
    reply = transcribe(engines, AudioChunk(capture.audio().samples[8000 * 8:], 8000))
    assert reply.strip(), "the bot answered the caller"


async def test_spoken_booking_ends_in_the_calendar(tmp_path: Path, brain, sip_engines) -> None:
    config, b = brain
    voice_cfg, engines = sip_engines
    tenant = config.default_tenant
    lines = ["Hi, I would like to book a room for my dog Max from December 10th to December 12th.",
             "My number is five one two three, four five six seven.",
             "Yes, please.",
             "Thank you, goodbye."]
    audio = [synth(engines.voices["en"], text) for text in lines]
    peer = await RtpPeer().open()
    events: list = []
    sessions = voice_sessions(engines, voice_cfg, SystemClock(), tenant.languages)
    try:
        async with running_line(sip_config(), b.agent, b.local, tenant, sessions, events) as line:
            sipp = Sipp(tmp_path, line.port)
            await sipp.start("call_until_bye", rtp_port=peer.port, caller="+37251234567", bye_timeout_ms=120000)
            stop = asyncio.Event()
            caller = PoliteCaller(peer)
            await peer.wait_remote()
            assert await caller.wait_bot_done(time.monotonic() - 1) is not None  # the greeting
            for text, clip in zip(lines, audio):
                await caller.say(text, clip)
            result = await sipp.wait(40)  # the bot says goodbye and hangs up
            stop.set()
            assert result.ok, result.errors
            assert await until(lambda: line.active_calls == 0, 5)
    finally:
        peer.close()
    db = sqlite3.connect(config.app.database)
    rows = db.execute("SELECT status, resource_id, start_at, end_at, phone, channel FROM bookings").fetchall()
    ended = db.execute("SELECT COUNT(*) FROM conversations WHERE ended_at IS NOT NULL").fetchone()[0]
    db.close()
    dialogue = [(type(e).__name__, getattr(e, "text", "")) for e in events if isinstance(e, (Transcript, BotSpoke))]
    assert len(rows) == 1, "\n".join(map(str, dialogue))
    status, resource, start, end, phone, channel = rows[0]
    assert (status, resource, phone, channel) == ("confirmed", "dog", "+37251234567", "voice")
    assert start.startswith("2026-12-10") and end.startswith("2026-12-12")
    assert ended == 1
    unanswered = [t.text for t in caller.turns if t.latency_s is None]  # no bot speech within answer_timeout_s
    assert not unanswered, (unanswered, "\n".join(map(str, dialogue)))
