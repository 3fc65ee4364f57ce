"""The line against a real softphone (baresip) on loopback, with stand-in speech sessions (no models):
G.722 is negotiated and carries wideband audio both ways, G.711 still works, and a hold pauses the
bot's playout until the caller resumes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from sipmedia import LoopbackCapture
from siphelpers import FakeAgent, FakeCallbacks, running_line, sip_config, until
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.events import CallOffered
from softphone.baresip import Baresip, write_wav
from softphone.signals import band_energy, tone, voiced_seconds

pytestmark = pytest.mark.usefixtures("need_baresip")


class RecordingSession:
    """A stand-in VoiceSession: says `say` (the 'greeting'), keeps every caller frame it gets."""

    instances: list["RecordingSession"] = []

    def __init__(self, sink, say: AudioChunk) -> None:
        self.sink, self.say = sink, say
        self.frames: list[AudioChunk] = []
        RecordingSession.instances.append(self)

    async def run(self, source) -> None:
        self.sink.write(self.say)
        async for frame in source:
            self.frames.append(frame)

    def heard(self) -> AudioChunk:
        rate = self.frames[0].sample_rate
        return AudioChunk(np.concatenate([f.samples for f in self.frames]), rate)


def saying(audio: AudioChunk):
    def make(call, brain, sink, on_event):
        return RecordingSession(sink, audio)
    return make


def offered_codec(events: list) -> str:
    return next(e.audio.codec for e in events if isinstance(e, CallOffered))


async def call_and_listen(tmp_path: Path, tenant, codecs: tuple[str, ...], bot_says: AudioChunk, caller_says: AudioChunk,
                          seconds: float = 3.0):
    RecordingSession.instances.clear()
    events: list = []
    async with running_line(sip_config(), FakeAgent(), FakeCallbacks(), tenant, saying(bot_says), events) as line:
        async with Baresip(tmp_path, codecs=codecs) as phone:
            await phone.use_source(write_wav(tmp_path / "caller.wav", caller_says, pad_s=60, lead_s=0.5))
            await phone.dial(f"sip:reception@127.0.0.1:{line.port}")
            await phone.wait_event("CALL_ESTABLISHED")
            await asyncio.sleep(seconds)  # the call runs this long (both sides keep talking)
            await phone.hangup()
            await phone.wait_event("CALL_CLOSED")
        assert await until(lambda: line.active_calls == 0, 5)
    return events, phone.heard(), RecordingSession.instances[-1]


async def test_a_g722_softphone_gets_wideband_audio_both_ways(tmp_path: Path, tenant) -> None:
    high = tone(2.5, 6000.0, 16000)  # above G.711's 4 kHz band: only a 16 kHz path carries it
    events, heard, session = await call_and_listen(tmp_path, tenant, ("G722/16000", "PCMU/8000"), high, high)
    assert offered_codec(events) == "G722/16000"
    caller = session.heard()
    assert caller.sample_rate == 16000  # what goes on to VAD and Whisper
    assert band_energy(caller, 5500, 6500) > 0.5  # the caller's 6 kHz tone arrived as sent
    assert heard.sample_rate == 16000 and band_energy(heard, 5500, 6500) > 0.5  # the bot's did too


async def test_a_softphone_listing_g711_first_still_gets_g722(tmp_path: Path, tenant) -> None:
    high = tone(1.5, 6000.0, 16000)
    events, heard, session = await call_and_listen(tmp_path, tenant, ("PCMU/8000", "G722/16000"), high, high,
                                                   seconds=2.0)
    assert offered_codec(events) == "G722/16000"  # our order ([sip] codecs), not the caller's
    assert band_energy(session.heard(), 5500, 6500) > 0.5


async def test_a_g711_only_softphone_still_gets_through(tmp_path: Path, tenant) -> None:
    low = tone(2.5, 1000.0, 16000)
    events, heard, session = await call_and_listen(tmp_path, tenant, ("PCMU/8000",), low, low)
    assert offered_codec(events) == "PCMU/8000"
    assert session.heard().sample_rate == 16000  # resampled up by the bridge; Whisper's rate either way
    assert voiced_seconds(session.heard()) > 1.5 and voiced_seconds(heard) > 1.5
    assert band_energy(session.heard(), 900, 1100) > 0.5


async def test_hold_pauses_the_bots_playout_and_unhold_resumes_it(tmp_path: Path, tenant) -> None:
    """baresip stops recording at a hold, so what it hears is read from its RTP (G.711, decoded here)."""
    RecordingSession.instances.clear()
    events: list = []
    greeting = tone(4.0, 1000.0, 16000)
    async with running_line(sip_config(), FakeAgent(), FakeCallbacks(), tenant, saying(greeting), events) as line:
        async with Baresip(tmp_path, codecs=("PCMU/8000",), rtp_ports=2) as phone:
            async with LoopbackCapture(tmp_path / "heard.pcap", phone.rtp_port) as capture:
                await phone.dial(f"sip:reception@127.0.0.1:{line.port}")
                await phone.wait_event("CALL_ESTABLISHED")
                audio = next(e.audio for e in events if isinstance(e, CallOffered))
                assert await until(lambda: audio.frames_out > 50)  # a second of the 4 s greeting went out
                await phone.hold()  # re-INVITE, a=sendonly
                assert await until(lambda: audio.held)
                await asyncio.sleep(4.0)  # longer than the rest of the greeting: without a pause it would be lost
                assert audio.sink.pending_samples() > 16000  # more than a second of it still waits
                await phone.resume()  # re-INVITE, a=sendrecv
                assert await until(lambda: not audio.held)
                assert await until(lambda: audio.sink.pending_samples() == 0, 10)
                await asyncio.sleep(0.5)
                await phone.hangup()
                await phone.wait_event("CALL_CLOSED")
        assert await until(lambda: line.active_calls == 0, 5)
    assert audio.holds == 1
    assert voiced_seconds(capture.audio()) > 3.6  # the caller heard the whole greeting, in two parts
