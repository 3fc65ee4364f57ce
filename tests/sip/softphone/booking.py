"""The spoken English booking that a softphone caller makes with the packaged models and the real agent
(tests/sip/softphone/test_softphone_models.py directly, tests/sip/pbx/test_pbx_softphone.py through a
PBX): the caller's lines, the call itself, and what must hold afterwards — one confirmed booking row in
SQLite with the caller's number, a saved conversation end, and the confirmation code audible (Whisper,
one slip allowed) in what the softphone recorded."""

from __future__ import annotations

import sqlite3
from typing import Any

from callkit import code_heard
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.pipeline.stt import Transcript
from receptionist.pipeline.timing import BotSpoke
from softphone.caller import PoliteSoftphone

CALLER = "+37251234567"  # the softphone's SIP user: the caller id the booking's phone comes from
LINES = ["Hi, I would like to book a room for my dog Max from December 10th to December 12th.",
         "My number is five one two three, four five six seven.",
         "Yes, please.",
         "Thank you, goodbye."]


def cut(audio: AudioChunk, start_s: float, end_s: float) -> AudioChunk:
    rate = audio.sample_rate
    return AudioChunk(audio.samples[max(0, int(start_s * rate)):max(0, int(end_s * rate))], rate)


async def book_by_phone(caller: PoliteSoftphone, uri: str, lines: list[Any]) -> None:
    """Dial `uri`, wait for the greeting, say `lines` (softphone.caller.Line) one turn at a time, and wait
    until the bot says goodbye and hangs up."""
    await caller.call(uri)
    assert await caller.wait_bot_done(), "no greeting"
    for spoken in lines:
        if caller.phone.closed():
            break
        await caller.say(spoken)
    await caller.phone.wait_event("CALL_CLOSED", 30)


def dialogue(events: list) -> str:
    """The call as text (what was transcribed and what the bot said), for assertion messages."""
    return "\n".join(f"{type(e).__name__}: {e.text}" for e in events if isinstance(e, (Transcript, BotSpoke)))


def assert_booked_and_heard(database: str, events: list, caller: PoliteSoftphone, stt: Any) -> str:
    """The booking row, the saved conversation end and the code in the recording (at 16 kHz: G.722 end
    to end); returns the code."""
    db = sqlite3.connect(database)
    try:
        rows = db.execute("SELECT status, resource_id, start_at, end_at, phone, channel, code FROM bookings").fetchall()
        ended = db.execute("SELECT COUNT(*) FROM conversations WHERE ended_at IS NOT NULL").fetchone()[0]
    finally:
        db.close()
    assert len(rows) == 1, dialogue(events)
    status, resource, start, end, phone_no, channel, code = rows[0]
    assert (status, resource, phone_no, channel) == ("confirmed", "dog", CALLER, "voice")
    assert start.startswith("2026-12-10") and end.startswith("2026-12-12")
    assert ended == 1

    said = next(e for e in events if isinstance(e, BotSpoke) and code in e.text)  # the confirmation
    heard = caller.phone.heard()
    assert heard.sample_rate == 16000  # baresip decoded G.722: wideband all the way to the caller
    start_s = (said.started or said.ended) - caller.established_at
    confirmation = resample(cut(heard, start_s - 1.0, said.ended - caller.established_at + 1.0), 16000).samples
    text = stt.transcribe(confirmation, language="en", languages=("en",), max_tokens=200).text
    assert code_heard(text, code), (code, text, said.text)
    return code
