"""One call's audio never reaches another call: calls in sequence share a pooled media port, calls at the
same time each have their own. sipp dials, an RtpPeer is each caller's phone; every caller sends its own
tone and every bot says its own tone, and each side is checked for the other call's pitch."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from siphelpers import (FakeAgent, FakeCallbacks, ToneSession, running_line, sip_config, tone, tone_level,
                        tone_sessions, until)
from sipmedia import RtpPeer
from sippkit import Sipp

pytestmark = pytest.mark.usefixtures("need_sip_tools")

ANNA, BORIS = "+37251234501", "+37251234502"
CALLER_HZ = {ANNA: 300.0, BORIS: 700.0}  # what each caller says
BOT_HZ = {ANNA: 440.0, BORIS: 880.0}  # what the bot says to each
PRESENT, ABSENT = 0.1, 0.01  # tone amplitude (the tones are sent at 0.3)


def heard_by_bot(caller: str) -> np.ndarray:
    session = next(s for s in ToneSession.instances if s.caller_id == caller)
    return np.concatenate(session.heard) if session.heard else np.zeros(0, np.float32)


async def dial(tmp_path: Path, port: int, caller: str, peer: RtpPeer, hold_ms: int) -> Sipp:
    folder = tmp_path / caller.strip("+")
    folder.mkdir()
    sipp = Sipp(folder, port)
    await sipp.start("call", rtp_port=peer.port, caller=caller, hold_ms=hold_ms, max_s=30)
    await peer.wait_remote()
    peer.keep_sending()
    return sipp


async def test_the_next_call_on_the_same_port_hears_nothing_of_the_previous_one(tmp_path: Path, tenant) -> None:
    ToneSession.instances.clear()
    anna, boris = await RtpPeer().open(), await RtpPeer().open()
    try:
        async with running_line(sip_config(max_calls=1), FakeAgent(), FakeCallbacks(), tenant,
                                tone_sessions(6.0, BOT_HZ)) as line:  # one port: both calls use it
            first = await dial(tmp_path, line.port, ANNA, anna, hold_ms=2000)
            await anna.speak(tone(3.0, CALLER_HZ[ANNA]))  # still talking when she hangs up (and the bot too)
            assert (await first.wait(20)).ok
            assert await until(lambda: line.free_ports == 1, 5)
            second = await dial(tmp_path, line.port, BORIS, boris, hold_ms=2000)  # Boris says nothing
            assert (await second.wait(20)).ok
            assert await until(lambda: line.active_calls == 0 and line.free_ports == 1, 5)
    finally:
        anna.close()
        boris.close()
    rate = ToneSession.instances[0].sink.sample_rate
    assert tone_level(heard_by_bot(ANNA), rate, CALLER_HZ[ANNA]) > PRESENT  # the check can see a leak
    assert tone_level(heard_by_bot(BORIS), rate, CALLER_HZ[ANNA]) < ABSENT
    assert float(np.abs(heard_by_bot(BORIS)).max(initial=0.0)) < ABSENT  # Boris's bot heard only his silence
    boris_heard = boris.audio().samples
    assert tone_level(boris_heard, 8000, BOT_HZ[BORIS]) > PRESENT / 6  # his greeting: 1 s of the call
    assert tone_level(boris_heard, 8000, BOT_HZ[ANNA]) < ABSENT  # nothing of Anna's interrupted greeting


async def test_two_calls_at_once_keep_their_audio_apart(tmp_path: Path, tenant) -> None:
    ToneSession.instances.clear()
    peers = {ANNA: await RtpPeer().open(), BORIS: await RtpPeer().open()}
    try:
        async with running_line(sip_config(max_calls=2), FakeAgent(), FakeCallbacks(), tenant,
                                tone_sessions(3.0, BOT_HZ)) as line:
            sipps = [await dial(tmp_path, line.port, who, peer, hold_ms=4000) for who, peer in peers.items()]
            assert line.free_ports == 0  # a port each
            await asyncio.gather(*(peer.speak(tone(2.0, CALLER_HZ[who])) for who, peer in peers.items()))
            assert all([(await sipp.wait(20)).ok for sipp in sipps])
            assert await until(lambda: line.free_ports == 2, 5)
    finally:
        for peer in peers.values():
            peer.close()
    rate = ToneSession.instances[0].sink.sample_rate
    for who, other in ((ANNA, BORIS), (BORIS, ANNA)):
        heard = heard_by_bot(who)
        assert tone_level(heard, rate, CALLER_HZ[who]) > PRESENT / 2, who
        assert tone_level(heard, rate, CALLER_HZ[other]) < ABSENT, who
        received = peers[who].audio().samples
        assert tone_level(received, 8000, BOT_HZ[who]) > PRESENT / 2, who
        assert tone_level(received, 8000, BOT_HZ[other]) < ABSENT, who
