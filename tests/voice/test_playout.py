"""The bot-utterance handle: pacing, instant stop, resume, and what the caller heard."""

import asyncio

import numpy as np

from receptionist.audio.io import ClockedSink
from receptionist.audio.pcm import AudioChunk
from receptionist.pipeline.playout import Utterance
from receptionist.pipeline.virtual_clock import VirtualClock

RATE = 1000


def seg(seconds):
    return AudioChunk(np.ones(int(seconds * RATE), np.float32), RATE)


async def drive(clock, coro):
    driver = asyncio.create_task(clock.drive())
    try:
        return await coro
    finally:
        driver.cancel()
        await asyncio.gather(driver, return_exceptions=True)


async def test_plays_everything_and_hears_everything():
    clock = VirtualClock(count_compute=False)
    sink = ClockedSink(RATE, clock)
    utt = Utterance(sink, clock)
    utt.add("One two three.", seg(0.6))
    utt.add("Four five.", seg(0.4))
    utt.close()
    await drive(clock, utt.play())
    assert utt.finished and utt.played_s() == 1.0
    assert utt.heard_text() == "One two three. Four five."
    assert abs(clock.monotonic() - 1.0) < 0.05
    assert utt.first_audio_at is not None and utt.first_audio_at < 0.01


async def test_pause_stops_at_once_and_resume_continues_where_it_stopped():
    clock = VirtualClock(count_compute=False)
    sink = ClockedSink(RATE, clock)
    utt = Utterance(sink, clock)
    utt.add("alpha beta gamma delta", seg(1.0))
    utt.close()

    async def scenario():
        player = asyncio.create_task(utt.play())
        await clock.sleep(0.5)
        utt.pause()
        assert sink.pending_samples() == 0  # nothing more comes out of the speaker
        played = utt.played_samples()
        assert 0.4 * RATE <= played <= 0.55 * RATE
        await clock.sleep(0.5)
        assert utt.played_samples() == played
        utt.resume()
        await player
        return played

    await drive(clock, scenario())
    rec = sink.recording().samples
    assert utt.finished and rec.sum() == RATE  # every sample played exactly once
    assert rec[int(0.6 * RATE):int(0.95 * RATE)].sum() == 0  # the paused gap is silent


async def test_interrupt_keeps_only_heard_words():
    clock = VirtualClock(count_compute=False)
    sink = ClockedSink(RATE, clock)
    utt = Utterance(sink, clock)
    utt.add("First sentence here.", seg(0.5))
    utt.add("Second one has six words total.", seg(1.0))
    utt.close()

    async def scenario():
        player = asyncio.create_task(utt.play())
        await clock.sleep(1.0)
        utt.interrupt()
        await player

    await drive(clock, scenario())
    assert utt.interrupted and not utt.finished
    heard = utt.heard_text()
    assert heard.startswith("First sentence here. Second") and heard.endswith("…")
    assert "total" not in heard
    assert sink.pending_samples() == 0
