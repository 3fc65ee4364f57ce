"""Two calls on one TTS worker (fakes, virtual time): a barge-in in one call cancels only that call's
speech; the other call's protected reply, with its confirmation number, is heard whole."""

from __future__ import annotations

import asyncio
import threading
from typing import Iterator

import numpy as np
import pytest

from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, ScriptedBrain, tone
from receptionist.clock import FakeClock
from receptionist.config.voice import VoiceConfig
from receptionist.events import AgentReply
from receptionist.ownership import VOICE, Owner
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.simulate import CallerLine, SimulatedCall, simulate_calls
from receptionist.pipeline.timing import BargeInTiming, BotSpoke
from receptionist.pipeline.tts import SpeechSynthesizer
from receptionist.pipeline.worker import EngineWorker, StaleResult

from voicekit import assert_no_leaked_tasks, silence

GATE_WAIT_S = 10.0  # a gate the test never opens fails the test instead of hanging it
LONG_REPLY = ("Sure, a dog room is free next week.", "It costs 35 € per night.", "Shall I book it for you?")
CODE = "Your confirmation number is K 7 Q 2."
PROTECTED = ("Your booking is confirmed.", CODE, "Thank you.")


class GatedTts(FakeTts):
    """FakeTts whose sentences containing `marker` wait until `gate` is set (on the worker thread)."""

    def __init__(self, marker: str) -> None:
        super().__init__(16000)
        self.marker = marker
        self.gate = threading.Event()
        self.waiting = threading.Event()

    def synthesize(self, text: str) -> Iterator[np.ndarray]:
        if self.marker in text:
            self.waiting.set()
            if not self.gate.wait(GATE_WAIT_S):
                raise AssertionError(f"the test never opened the gate for {text!r}")
        yield from super().synthesize(text)


def line(*parts: np.ndarray, barge: float | None = None) -> CallerLine:
    return CallerLine(AudioChunk(np.concatenate(parts), 16000), barge)


def spoken(result, protected: bool) -> list[BotSpoke]:
    return [ev for _, ev in result.events if isinstance(ev, BotSpoke) and ev.protected == protected]


async def test_a_barge_in_in_one_call_never_cuts_the_other_calls_confirmation():
    tts = GatedTts(marker="confirmation number")
    engines = VoiceEngines(lambda: EnergyVad(), FakeStt("I would like to book a room for my dog"), {"en": tts})
    chatty = ScriptedBrain(reply=lambda m: LONG_REPLY)
    booker = ScriptedBrain(reply=lambda m: AgentReply(m.session_id, "en", PROTECTED, "booked", protected=True))
    barged: list[BargeInTiming] = []

    def on_event(at: float, ev: object) -> None:
        if isinstance(ev, BargeInTiming) and ev.session_id == "call-a" and ev.outcome == "interrupted":
            assert tts.waiting.is_set(), "call B's confirmation must be in the TTS worker when A barges in"
            barged.append(ev)
            tts.gate.set()

    calls = [
        # A asks, then talks over the long answer 3 s into it (B's confirmation is being synthesised by then)
        SimulatedCall("call-a", (line(tone(1.5)), line(tone(1.6), barge=3.0)), chatty),
        # B asks a second later and gets the protected confirmation
        SimulatedCall("call-b", (line(silence(1.0), tone(1.5)),), booker),
    ]
    result_a, result_b = await simulate_calls(engines, VoiceConfig(), calls, languages=("en",), sink_rate=16000,
                                              greet=False, on_event=on_event)
    engines.close()
    assert_no_leaked_tasks()

    assert len(barged) == 1 and any(s.interrupted for s in spoken(result_a, protected=False))
    (confirmation,) = spoken(result_b, protected=True)
    assert not confirmation.interrupted and confirmation.heard_text == " ".join(PROTECTED)
    assert any(text.startswith("Your confirmation number is K") for text in tts.texts)


@pytest.fixture
def shared_tts():
    tts = GatedTts(marker="hold")
    worker = EngineWorker("tts")
    yield tts, (SpeechSynthesizer({"en": tts}, worker, FakeClock()), SpeechSynthesizer({"en": tts}, worker, FakeClock()))
    tts.gate.set()
    worker.close()


async def test_cancelling_one_calls_speech_skips_its_queued_sentences_and_keeps_the_others(shared_tts):
    tts, (call_a, call_b) = shared_tts
    a_reply, b_reply = Owner("call-a", 4, VOICE), Owner("call-b", 2, VOICE)
    blocker = asyncio.create_task(call_b.synthesize("hold on.", "en", owner=b_reply))
    while not tts.waiting.is_set():
        await asyncio.sleep(0.005)
    queued_a = [asyncio.create_task(call_a.synthesize(text, "en", owner=a_reply)) for text in LONG_REPLY]
    queued_b = asyncio.create_task(call_b.synthesize(CODE, "en", owner=b_reply))
    while call_a.worker.waiting < 4:
        await asyncio.sleep(0.005)

    assert call_a.cancel(a_reply) == 3  # the barge-in in call A
    for task in queued_a:
        with pytest.raises(StaleResult):
            await task  # released at once, before the worker is free
    tts.gate.set()
    assert (await blocker).duration_s > 0 and (await queued_b).duration_s > 0
    assert tts.texts[0] == "hold on." and len(tts.texts) == 2  # A's cancelled sentences were never synthesised
    assert tts.texts[1].startswith("Your confirmation number is K")
