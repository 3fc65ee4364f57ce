"""The line against sipp on loopback, with stand-in speech sessions (no models): answer, audio both
ways, hang-up at any moment, the call cap, DTMF (RFC 2833 and SIP INFO), REFER on the hand-off key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from siphelpers import FakeAgent, FakeCallbacks, ToneSession, running_line, sip_config, tone_sessions, until
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.events import CallEnded, DtmfReceived
from sipmedia import LoopbackCapture, RtpPeer, dtmf_packets, ulaw_file, write_pcap
from sippkit import Sipp, free_port, play, stream

pytestmark = pytest.mark.usefixtures("need_sip_tools")



def tone(seconds: float, freq: float = 300.0, rate: int = 8000) -> AudioChunk:
    t = np.arange(int(seconds * rate)) / rate
    return AudioChunk((0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate)


def keys_pcap(path: Path, keys: str, start_s: float = 0.5, gap_s: float = 0.4) -> Path:
    packets, seq = [], 1
    for i, key in enumerate(keys):
        burst = dtmf_packets(key, start_s + i * gap_s, seq=seq)
        seq += len(burst)
        packets += burst
    return write_pcap(path, packets)


async def test_answers_and_audio_flows_both_ways(tmp_path: Path, tenant) -> None:
    ToneSession.instances.clear()
    agent, events = FakeAgent(), []
    caller = ulaw_file(tmp_path / "caller.ulaw", tone(1.5))
    media = free_port(pair=True)
    async with running_line(sip_config(), agent, FakeCallbacks(), tenant, tone_sessions(1.0), events) as line:
        async with LoopbackCapture(tmp_path / "bot.pcap", media) as capture:
            result = await Sipp(tmp_path, line.port).run("call", media_port=media, play=stream(caller),
                                                         hold_ms=2500, timeout_s=30)
        assert result.ok, result.errors
        assert await until(lambda: line.active_calls == 0, 5)
    session = ToneSession.instances[-1]
    assert session.frames > 100  # caller audio reached the session (20 ms frames)
    bot = capture.audio().samples
    assert len(bot) > 8000 * 2  # RTP flowed the whole call
    assert np.sqrt(np.mean(bot[: 8000] ** 2)) > 0.1  # the 'greeting' tone was heard by the caller
    assert agent.ended and isinstance(events[-1], CallEnded) and events[-1].by == "remote"


async def test_hangup_mid_reply_then_second_call(tmp_path: Path, tenant) -> None:
    ToneSession.instances.clear()
    agent = FakeAgent()
    async with running_line(sip_config(), agent, FakeCallbacks(), tenant, tone_sessions(6.0)) as line:
        sipp = Sipp(tmp_path, line.port)
        first = await sipp.run("call", hold_ms=800, timeout_s=20)  # hangs up while the bot talks
        assert first.ok, first.errors
        assert await until(lambda: len(agent.ended) == 1 and line.active_calls == 0, 5)
        first_session = ToneSession.instances[0]
        assert first_session.cancelled or first_session.finished  # the speech session stopped at once
        assert await until(lambda: not [t for t in asyncio.all_tasks() if t.get_name().startswith("sip-call-")], 2)
        peer = await RtpPeer().open()
        try:
            second = await sipp.run("call", rtp_port=peer.port, hold_ms=1500, timeout_s=20)
        finally:
            peer.close()
        assert second.ok, second.errors
        assert await until(lambda: len(agent.ended) == 2, 5)
        assert peer.first_voice_after(0.0) is not None  # the second caller heard the bot
    assert len(line.finished) == 2


async def test_calls_beyond_the_cap_get_486(tmp_path: Path, tenant) -> None:
    async with running_line(sip_config(max_calls=1), FakeAgent(), FakeCallbacks(), tenant,
                            tone_sessions(1.0)) as line:
        first = Sipp(tmp_path, line.port)
        await first.start("call", hold_ms=3000)
        assert await until(lambda: line.active_calls == 1, 10)
        busy = await Sipp(tmp_path, line.port).run("busy", timeout_s=20)
        assert busy.ok, busy.errors
        assert line.rejected == {486: 1}
        assert (await first.wait(20)).ok


async def test_the_default_number_of_simultaneous_calls_is_answered_and_one_more_gets_486(tmp_path: Path,
                                                                                         tenant) -> None:
    from receptionist.config.sip import SipConfig

    cap = SipConfig().max_calls
    async with running_line(sip_config(max_calls=cap), FakeAgent(), FakeCallbacks(), tenant,
                            tone_sessions(0.5)) as line:
        callers = []
        for i in range(cap):
            (tmp_path / f"c{i}").mkdir()
            callers.append(Sipp(tmp_path / f"c{i}", line.port))
            await callers[-1].start("call", hold_ms=6000, caller=f"+3725123450{i}")
        assert await until(lambda: line.active_calls == cap, 10)
        (tmp_path / "busy").mkdir()
        busy = await Sipp(tmp_path / "busy", line.port).run("busy", timeout_s=20)
        assert busy.ok, busy.errors  # 486 Busy Here, from us or from the SIP library's own call limit
        results = [await c.wait(30) for c in callers]
        assert all(r.ok for r in results), [r.errors for r in results if not r.ok]


async def test_a_caller_whose_audio_stops_is_hung_up_and_frees_the_line(tmp_path: Path, tenant) -> None:
    """A phone that loses its network never sends a BYE: its call must not hold the only call slot
    (this is how `bench-sip --calls 3` once ended in 486 Busy Here, read as "no RTP from the bot")."""
    events: list = []
    async with running_line(sip_config(max_calls=1, media_timeout_s=2), FakeAgent(), FakeCallbacks(), tenant,
                            tone_sessions(0.5), events) as line:
        peer = await RtpPeer().open()
        vanished = Sipp(tmp_path, line.port)
        await vanished.start("call_until_bye", rtp_port=peer.port, bye_timeout_ms=30000)
        try:
            peer.keep_sending()  # RTP every 20 ms: the call stays up past the media timeout
            await peer.wait_remote()
            sending_since = asyncio.get_running_loop().time()
            while asyncio.get_running_loop().time() - sending_since < 3.0:
                assert line.active_calls == 1
                await asyncio.sleep(0.1)
        finally:
            peer.close()  # the caller's audio stops, and no BYE comes
        result = await vanished.wait(30)
        assert result.ok, result.errors  # the line sent the BYE
        assert [e.by for e in events if isinstance(e, CallEnded)] == ["media-lost"]
        assert await until(lambda: line.active_calls == 0, 5)
        second = await Sipp(tmp_path, line.port).run("call", hold_ms=1000, timeout_s=20)
        assert second.ok, second.errors  # answered, not 486
    assert line.rejected == {}


async def test_dtmf_rfc2833_and_sip_info(tmp_path: Path, tenant) -> None:
    events: list = []
    pcap = keys_pcap(tmp_path / "keys.pcap", "12")
    async with running_line(sip_config(), FakeAgent(), FakeCallbacks(), tenant, tone_sessions(0.5),
                            events) as line:
        result = await Sipp(tmp_path, line.port).run("dtmf", play=play(pcap), hold_ms=2000, info_digit="7",
                                                     timeout_s=30)
        assert result.ok, result.errors
    got = [(e.digit, e.method) for e in events if isinstance(e, DtmfReceived)]
    assert ("1", "rfc2833") in got and ("2", "rfc2833") in got
    assert ("7", "info") in got


async def test_handoff_key_sends_refer(tmp_path: Path, tenant) -> None:
    pcap = keys_pcap(tmp_path / "zero.pcap", "0", start_s=1.0)
    cfg = sip_config(transfer_target="sip:desk@127.0.0.1:5999")
    callbacks = FakeCallbacks()
    async with running_line(cfg, FakeAgent(), callbacks, tenant, tone_sessions(0.5)) as line:
        result = await Sipp(tmp_path, line.port).run("refer", play=play(pcap), timeout_s=30,
                                                     refer_timeout_ms=10000)
        assert result.ok, result.errors
        assert await until(lambda: bool(line.finished), 5)
    assert line.finished[-1].how == "transferred"
    assert not callbacks.stored


async def test_degraded_mode_takes_a_callback_number_on_the_keypad(tmp_path: Path) -> None:
    import shutil
    import sqlite3

    from siphelpers import english_config
    from receptionist.app import build_brain

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    config = english_config(tmp_path)
    brain = build_brain(config, model=None)
    pcap = keys_pcap(tmp_path / "number.pcap", "51234567#", start_s=2.0, gap_s=0.25)
    try:
        async with running_line(sip_config(), brain.agent, brain.local, config.default_tenant, None) as line:
            result = await Sipp(tmp_path, line.port).run("call_until_bye", play=play(pcap), caller="anonymous",
                                                         bye_timeout_ms=25000, timeout_s=40)
            assert result.ok, result.errors  # the line answered, took the number and hung up
            assert await until(lambda: bool(line.finished), 5)
        assert line.finished[-1].how == "callback" and line.finished[-1].degraded
    finally:
        brain.close()
    db = sqlite3.connect(config.app.database)
    rows = db.execute("SELECT phone, reason, language FROM callbacks").fetchall()
    db.close()
    assert rows == [("+37251234567", "speech unavailable", "en")]
