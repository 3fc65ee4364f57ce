"""A caller's hold (re-INVITE a=sendonly) from sipp: the music it plays while holding never reaches the
speech pipeline (it would be transcribed and answered), and the call goes on after the resume. The same
music in a call that stays sendrecv does reach it (the control case)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from siphelpers import FakeAgent, FakeCallbacks, running_line, sip_config, until
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.events import CallOffered
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
