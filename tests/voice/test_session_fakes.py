"""The whole voice session on fakes and virtual time: turns, barge-in, backchannels, protected replies."""

import logging

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, ScriptedBrain, tone
from receptionist.config.voice import VoiceConfig
from receptionist.events import AgentReply
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.simulate import CallerLine, simulate_call
from receptionist.pipeline.timing import BargeInTiming, BotSpoke, CallerTurnDropped, TurnTiming
from receptionist.pipeline.virtual_clock import VirtualClock

from voicekit import assert_no_leaked_tasks, silence

REPLY = ("Sure, a dog room is free.", "It costs 35 € per night.", "Shall I book it for you?")


def by_length(seconds: float) -> str:
    """Fake STT: short utterances are backchannels, longer ones real requests."""
    return "mhm" if seconds < 1.2 else "I would like to book a room for my dog"


def engines(stt=by_length):
    return VoiceEngines(lambda: EnergyVad(), FakeStt(stt), {"en": FakeTts(16000)})


def line(*parts, barge=None):
    return CallerLine(AudioChunk(np.concatenate(parts), 16000), barge)


async def run(lines, brain=None, **kw):
    brain = brain or ScriptedBrain(reply=lambda m: REPLY)
    eng = engines(kw.pop("stt", by_length))
    result = await simulate_call(eng, VoiceConfig(), lines, brain=brain, languages=("en",), sink_rate=16000, **kw)
    eng.close()
    assert_no_leaked_tasks()
    return result, brain


def of(result, kind):
    return [ev for _, ev in result.events if isinstance(ev, kind)]


async def test_a_turn_reaches_the_brain_and_the_reply_is_played_with_timings():
    result, brain = await run([line(tone(1.5))])
    assert [m.text for m in brain.messages] == ["I would like to book a room for my dog"]
    assert brain.messages[0].language_hint == "en" and brain.messages[0].channel == "voice"
    spoken = of(result, BotSpoke)
    assert [s.interrupted for s in spoken] == [False, False]  # greeting + reply, both in full
    (timing,) = of(result, TurnTiming)
    assert timing.speech_start < timing.speech_end <= timing.transcript_ready <= timing.reply_ready
    assert timing.first_audio_out is not None and timing.speculative_hit
    assert 0.55 <= timing.voice_to_voice_s < 0.9  # end-of-turn silence (0.6 s) + (fake) compute
    assert result.bot_audio.duration_s > 5


async def test_a_pause_mid_sentence_does_not_end_the_turn():
    result, brain = await run([line(tone(0.8), silence(0.4), tone(0.8))])
    assert len(brain.messages) == 1
    (timing,) = of(result, TurnTiming)
    assert timing.speech_end - timing.speech_start > 1.9


async def test_talking_over_the_bot_stops_it_and_cancels_the_reply():
    result, brain = await run([line(tone(1.5)), line(tone(1.6), barge=0.5)])
    (barge,) = of(result, BargeInTiming)
    assert barge.outcome == "interrupted"
    assert barge.reaction_s <= 0.15  # two 32 ms VAD windows pause the playout (the sink is cleared at once)
    interrupted = [s for s in of(result, BotSpoke) if s.interrupted]
    assert len(interrupted) == 1
    assert brain.heard and brain.heard[0] == interrupted[0].heard_text
    assert len(brain.heard[0]) < len(" ".join(REPLY))
    assert len(brain.messages) == 2  # the interrupting turn was answered


async def test_a_backchannel_does_not_interrupt():
    result, brain = await run([line(tone(1.5)), line(tone(0.6), barge=0.8)])
    assert len(brain.messages) == 1
    assert not [s for s in of(result, BotSpoke) if s.interrupted]
    assert [d.reason for d in of(result, CallerTurnDropped)] == ["backchannel"]
    outcomes = [b.outcome for b in of(result, BargeInTiming)]
    assert outcomes in (["resumed"], ["ignored"])


async def test_a_protected_reply_is_heard_in_full_then_the_caller_is_answered():
    def reply(msg):
        if len(msg.text) > 20 and not getattr(reply, "done", False):
            reply.done = True
            return AgentReply(session_id=msg.session_id, language="en", intent="booked", protected=True,
                              sentences=("Your booking code is BK-4521.", "Again: BK-4521."))
        return ("Anything else?",)

    brain = ScriptedBrain(reply=reply)
    result, brain = await run([line(tone(1.5)), line(tone(1.6), barge=0.5)], brain=brain)
    protected = [s for s in of(result, BotSpoke) if s.protected]
    assert protected and not protected[0].interrupted
    assert protected[0].heard_text == protected[0].text
    assert of(result, BargeInTiming) == []
    assert len(brain.messages) == 2


async def test_silence_and_noise_never_reach_the_brain():
    result, brain = await run([line(silence(2.0))], stt=lambda s: "")
    assert brain.messages == []


async def test_virtual_clock_skips_waiting():
    clock = VirtualClock(count_compute=False)
    import asyncio
    driver = asyncio.create_task(clock.drive())
    await clock.sleep(3600)
    driver.cancel()
    await asyncio.gather(driver, return_exceptions=True)
    assert clock.monotonic() == 3600


async def test_a_holding_phrase_is_spoken_while_the_agent_thinks():
    import asyncio

    brain = ScriptedBrain(reply=lambda m: ("Done.",), holding="One moment please.", think_s=0.3,
                          sleep=asyncio.sleep)
    result, brain = await run([line(tone(1.5))], brain=brain)
    texts = [s.text for s in of(result, BotSpoke)]
    assert texts[1:] == ["One moment please.", "Done."]


async def test_timeline_is_json_ready_and_relative_to_call_start():
    import json

    result, _ = await run([line(tone(1.5))])
    rows = result.timeline()
    json.dumps(rows)
    assert rows[0]["t"] >= 0 and {"TurnTiming", "SpeechStarted", "TurnEnded", "Transcript"} <= {r["type"] for r in rows}
    timing = next(r for r in rows if r["type"] == "TurnTiming")
    assert timing["voice_to_voice_s"] > 0


class BrokenTts(FakeTts):
    """A voice that fails on one sentence (e.g. an espeak-ng crash)."""

    def synthesize(self, text):
        if "thirty-five" in text:  # the voice gets the sentence as it is spoken ("35 €" → "thirty-five euros")
            raise RuntimeError("voice crashed")
        yield from super().synthesize(text)


async def test_a_failing_voice_does_not_end_the_call(caplog):
    caplog.set_level(logging.DEBUG, logger="receptionist.pipeline.voice_session")
    eng = VoiceEngines(lambda: EnergyVad(), FakeStt(by_length), {"en": BrokenTts(16000)})
    brain = ScriptedBrain(reply=lambda m: REPLY)
    result = await simulate_call(eng, VoiceConfig(), [line(tone(1.5)), line(tone(1.5))], brain=brain,
                                 languages=("en",), sink_rate=16000)
    eng.close()
    assert_no_leaked_tasks()
    assert len(brain.messages) == 2  # the second turn was still heard and answered
    spoken = of(result, BotSpoke)
    assert len(spoken) == 3 and "free" in spoken[1].heard_text
    errors = [r for r in caplog.records if r.levelno >= logging.INFO and "tts-failed" in r.getMessage()]
    assert errors and not any(r.exc_info for r in errors)  # the error line: a code and a type, no text
    assert any(r.levelno == logging.DEBUG and r.exc_info for r in caplog.records)  # the traceback: DEBUG only
