"""Over SIP (sipp, G.711 µ-law) with the packaged models: a caller who says "Yes, please confirm" while
the bot is still talking is heard from the first word — the audio Whisper gets after a barge-in starts
at the caller's first speech frame, the short "Yes," before a breath included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from callkit import synth
from siphelpers import running_line, sip_config
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from receptionist.pipeline.stt import Transcript
from receptionist.pipeline.timing import BargeInTiming
from sipmedia import ulaw_file
from sippkit import Sipp, free_port, stream

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_sip_tools")]


async def test_yes_said_over_the_greeting_is_kept(tmp_path: Path, brain, sip_engines) -> None:
    config, b = brain
    voice_cfg, engines = sip_engines
    tenant = config.default_tenant
    events: list = []
    yes = synth(engines.voices["en"], "Yes,").samples
    rest = synth(engines.voices["en"], "please confirm the booking.").samples
    breath = np.zeros(int(0.3 * 8000), np.float32)  # longer than the 0.1 s onset gap: "Yes" alone is a blip
    lead = np.zeros(int(1.5 * 8000), np.float32)  # the greeting is playing by then
    caller = ulaw_file(tmp_path / "caller.ulaw", AudioChunk(np.concatenate([lead, yes, breath, rest]), 8000))
    sessions = voice_sessions(engines, voice_cfg, SystemClock(), tenant.languages)
    async with running_line(sip_config(), b.agent, b.local, tenant, sessions, events) as line:
        result = await Sipp(tmp_path, line.port).run("call", media_port=free_port(pair=True), play=stream(caller),
                                                     hold_ms=9000, timeout_s=30)
        assert result.ok, result.errors
    barge = [e for e in events if isinstance(e, BargeInTiming)]
    assert [b.outcome for b in barge] == ["interrupted"], barge  # paused once, never resumed in between
    heard = [e.text for e in events if isinstance(e, Transcript)]
    assert heard and heard[0].lower().lstrip(" .,").startswith("yes"), heard
