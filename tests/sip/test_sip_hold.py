"""A caller's hold (re-INVITE a=sendonly) from sipp: the music it plays while holding never reaches the
speech pipeline (it would be transcribed and answered), and the call goes on after the resume. The same
music in a call that stays sendrecv does reach it (the control case). A hold longer than `[turn]
silence_prompt_s` (and the hang-up after it) is no silence: no "Are you still there?" after the resume,
no hang-up while held."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from siphelpers import FakeAgent, FakeCallbacks, running_line, sip_config, until
from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts
from receptionist.channels.sip.events import CallOffered, HoldChanged
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from receptionist.config.turn import TurnConfig
from receptionist.config.voice import VoiceConfig
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.timing import BotSpoke
from sipmedia import ulaw_file
from sippkit import Sipp, stream

pytestmark = pytest.mark.usefixtures("need_sip_tools")


class Listener:
    """A stand-in speech session: a long greeting, then it keeps what the caller sends."""

    def __init__(self, sink) -> None:
        self.sink, self.frames = sink, []

    async def run(self, source) -> None:
        self.sink.write(AudioChunk(np.full(16000 * 8, 0.1, np.float32), 16000))
        async for frame in source:
            self.frames.append(frame.samples)

    def loud_seconds(self) -> float:
        return sum(0.02 for f in self.frames if len(f) and np.sqrt(np.mean(f ** 2)) > 0.05)


@pytest.mark.parametrize("direction, music_heard", [("sendonly", False), ("sendrecv", True)])
async def test_music_on_hold_is_not_heard_by_the_bot(tmp_path: Path, tenant, direction: str,
                                                     music_heard: bool) -> None:
    listeners: list[Listener] = []
    events: list = []

    def sessions(call, brain, sink, on_event):
        listeners.append(Listener(sink))
        return listeners[-1]

    t = np.arange(8000 * 2) / 8000
    music = ulaw_file(tmp_path / "music.ulaw", AudioChunk((0.4 * np.sin(2 * np.pi * 800 * t)).astype(np.float32), 8000))
    async with running_line(sip_config(), FakeAgent(), FakeCallbacks(), tenant, sessions, events) as line:
        result = await Sipp(tmp_path, line.port).run("hold_music", direction=direction, play=stream(music),
                                                     hold_ms=3000, timeout_s=30)
        assert result.ok, result.errors
        assert await until(lambda: line.active_calls == 0, 5)
    audio = next(e.audio for e in events if isinstance(e, CallOffered))
    assert audio.holds == (0 if music_heard else 1)
    assert (listeners[-1].loud_seconds() > 1.0) is music_heard


@pytest.mark.parametrize("direction, hangup_s, still_there", [("sendonly", 2, False), ("inactive", 2, False),
                                                              ("sendrecv", 30, True)])
async def test_a_hold_longer_than_the_silence_prompt_is_no_silence(tmp_path: Path, tenant, direction: str,
                                                                   hangup_s: int, still_there: bool) -> None:
    """A real voice session (fake speech engines, the real idle watch) with a 2 s silence prompt: the
    caller says nothing, holds for 5 s (longer than the prompt and the hang-up together), resumes and
    stays quiet for 1 s more, then hangs up (sipp fails the scenario if the line hangs up first: for
    silence, or for lost media, whose 2 s timeout a hold does not count either). The control case stays
    sendrecv just as long, and is asked whether it is still there."""
    engines = VoiceEngines(lambda: EnergyVad(), FakeStt(""), {"en": FakeTts(16000)})
    voice = VoiceConfig(turn=TurnConfig(silence_prompt_s=2, silence_hangup_s=hangup_s, model="off"))
    events: list = []
    quiet = ulaw_file(tmp_path / "quiet.ulaw", AudioChunk(np.zeros(8000 * 8, np.float32), 8000))  # outlasts the hold
    try:
        async with running_line(sip_config(media_timeout_s=2), FakeAgent(), FakeCallbacks(), tenant,
                                voice_sessions(engines, voice, SystemClock(), ("en",)), events) as line:
            result = await Sipp(tmp_path, line.port).run("hold_music", direction=direction, play=stream(quiet),
                                                         hold_ms=5000, timeout_s=30)
            assert result.ok, result.errors
            assert await until(lambda: line.active_calls == 0, 5)
    finally:
        engines.close()
    said = [e.text for e in events if isinstance(e, BotSpoke)]
    assert said[0] == "Hello."
    assert ("Are you still there?" in said) is still_there, said
    assert [e.held for e in events if isinstance(e, HoldChanged)] == ([] if still_there else [True, False])
