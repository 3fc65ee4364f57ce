"""What only the phone line needs from a voice session, on fakes and virtual time: a silent caller is
asked once whether they are still there, then told goodbye and the call ends (abandoned, no callback);
noise does not keep it open; a caller on hold is no silent caller; at the number and date questions the
keypad is offered and typed digits are the answer."""

import asyncio

import numpy as np

from receptionist.audio.io import ClockedSink
from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, ScriptedBrain, tone
from receptionist.config.turn import TurnConfig
from receptionist.config.voice import VoiceConfig
from receptionist.events import AgentReply
from receptionist.pipeline.engines import VoiceEngines, build_session
from receptionist.pipeline.keypad import KeypadAnswer, keypad_hint
from receptionist.pipeline.line_idle import IdlePolicy, IdleWatch
from receptionist.pipeline.timing import BotSpoke
from receptionist.pipeline.virtual_clock import VirtualClock
from receptionist.pipeline.voice_session import CallInfo

from voicekit import assert_no_leaked_tasks

CHUNK = 320  # 20 ms at 16 kHz
HELD = object()  # a script's answer while the caller holds: the line passes on no frame at all


class RecordingBrain(ScriptedBrain):
    """A scripted brain that also keeps the events a channel records (record_event)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.recorded = []

    async def record_event(self, session_id, meta):
        self.recorded.append(dict(meta))


async def call(script, brain, *, cfg=VoiceConfig(), keypad=True, seconds=60.0, stt="hello"):
    """Run one session for at most `seconds` of virtual time. `script(t, session)` returns the caller's
    next 20 ms of audio (None for silence, HELD for nothing) and may press keys."""
    engines = VoiceEngines(lambda: EnergyVad(), FakeStt(stt), {"en": FakeTts(16000)})
    clock = VirtualClock(engines.activity)
    sink = ClockedSink(16000, clock)
    events = []
    session = build_session(engines, cfg, call=CallInfo("line-1", "default"), brain=brain, sink=sink, clock=clock,
                            languages=("en",), keypad=keypad, on_event=lambda at, ev: events.append(ev))

    async def source():
        t = 0.0
        while t < seconds:
            chunk = script(t, session)
            if chunk is not HELD:
                yield AudioChunk(chunk if chunk is not None else np.zeros(CHUNK, np.float32), 16000)
            await clock.sleep(0.02)
            t += 0.02

    driver = asyncio.create_task(clock.drive())
    try:
        await session.run(source())
    finally:
        driver.cancel()
        await asyncio.gather(driver, return_exceptions=True)
    engines.close()
    assert_no_leaked_tasks()
    return session, [e for e in events if isinstance(e, BotSpoke)], clock.monotonic()


def quiet(t, session):
    return None


async def test_a_silent_caller_is_asked_once_then_told_goodbye_and_the_call_ends():
    cfg = VoiceConfig(turn=TurnConfig(silence_prompt_s=8, silence_hangup_s=6))
    brain = RecordingBrain()
    session, spoken, ended_at = await call(quiet, brain, cfg=cfg, seconds=120)
    texts = [s.text for s in spoken]
    assert texts == ["Hello, how can I help you?", "Are you still there?",
                     "I can't hear anyone, so I'll end the call now. Please call again any time. Goodbye."]
    assert session.ended_by == "caller-silent" and ended_at < 60
    assert brain.recorded == [{"event": "call-abandoned", "reason": "caller-silent"}]
    assert brain.messages == []  # nothing was passed to the agent as a caller turn


def on_hold_between(start_s, end_s):
    """A quiet caller who holds the call from `start_s` to `end_s` (the line tells the session, and passes
    on no audio meanwhile, as the SIP line does with a sendonly/inactive re-INVITE)."""
    held = []

    def script(t, session):
        if start_s <= t < end_s:
            if not held:
                held.append(t)
                session.on_hold(True)
            return HELD
        if held and len(held) == 1:
            held.append(t)
            session.on_hold(False)
        return None

    return script


async def test_a_hold_longer_than_the_silence_prompt_is_no_silence():
    cfg = VoiceConfig(turn=TurnConfig(silence_prompt_s=8, silence_hangup_s=6))
    brain = RecordingBrain()
    # on hold from 4 s to 44 s: longer than the prompt and the hang-up together; then 7 s of quiet
    session, spoken, _ = await call(on_hold_between(4.0, 44.0), brain, cfg=cfg, seconds=51)
    assert [s.text for s in spoken] == ["Hello, how can I help you?"]
    assert session.ended_by is None and brain.recorded == []


async def test_the_silence_after_a_hold_is_counted_from_the_resume():
    cfg = VoiceConfig(turn=TurnConfig(silence_prompt_s=8, silence_hangup_s=6))
    session, spoken, _ = await call(on_hold_between(4.0, 44.0), RecordingBrain(), cfg=cfg, seconds=70)
    assert [s.text for s in spoken][1:] == ["Are you still there?", spoken[-1].text]
    prompt = spoken[1]
    assert prompt.started is not None and prompt.started >= 44.0 + 8.0
    assert session.ended_by == "caller-silent"


async def test_noise_is_no_caller_turn_and_does_not_keep_the_call_open():
    cfg = VoiceConfig(turn=TurnConfig(silence_prompt_s=8, silence_hangup_s=6))
    rng = np.random.default_rng(1)

    def noisy(t, session):  # a door, a dog, traffic: bursts every 3 s that Whisper hears as nothing
        return (0.3 * rng.standard_normal(CHUNK)).astype(np.float32) if int(t * 50) % 150 < 20 else None

    brain = RecordingBrain()
    session, spoken, _ = await call(noisy, brain, cfg=cfg, seconds=120, stt="")
    assert brain.messages == []
    assert session.ended_by == "caller-silent"
    assert {s.text for s in spoken} >= {"Are you still there?"}


async def test_a_caller_who_answers_the_prompt_goes_on_normally():
    cfg = VoiceConfig(turn=TurnConfig(silence_prompt_s=8, silence_hangup_s=6))
    speech = tone(1.2)

    def answers(t, session):
        i = int(round((t - 11.0) * 16000))
        return speech[i:i + CHUNK] if 0 <= i < len(speech) - CHUNK else None

    brain = RecordingBrain(reply=lambda m: ("Of course.",))
    session, spoken, _ = await call(answers, brain, cfg=cfg, seconds=16, stt="Yes, I'm here.")
    assert [m.text for m in brain.messages] == ["Yes, I'm here."]
    assert session.ended_by is None


async def test_the_number_question_offers_the_keypad_and_typed_digits_are_the_answer():
    def reply(msg):
        if not msg.text.isdigit():
            return AgentReply(msg.session_id, "en", ("What phone number can we reach you on?",), "ask",
                              awaiting="phone")
        return ("Thank you.",)

    speech = tone(1.2)

    def caller(t, session):
        i = int(round((t - 3.0) * 16000))
        if 0 <= i < len(speech) - CHUNK:
            return speech[i:i + CHUNK]
        for k, key in enumerate("5123 4567#".replace(" ", "")):
            if abs(t - (12.0 + 0.3 * k)) < 0.01:
                assert session.on_key(key)
        return None

    brain = RecordingBrain(reply=reply)
    _, spoken, _ = await call(caller, brain, seconds=20, stt="I'd like to book.")
    assert [m.text for m in brain.messages] == ["I'd like to book.", "51234567"]
    asked = next(s for s in spoken if s.text.startswith("What phone number"))
    assert asked.text.endswith(keypad_hint("phone", "en"))


async def test_keys_outside_a_number_or_date_question_are_left_to_the_line():
    brain = RecordingBrain()
    pressed = []

    def caller(t, session):
        if abs(t - 5.0) < 0.01:
            pressed.append(session.on_key("0"))
        return None

    await call(caller, brain, seconds=6)
    assert pressed == [False]  # the line's hand-off key still works


async def test_a_microphone_session_does_not_mention_a_keypad():
    brain = RecordingBrain(reply=lambda m: AgentReply(m.session_id, "en", ("On which day would you like to come?",),
                                                      "ask", awaiting="date"))
    speech = tone(1.2)

    def caller(t, session):
        i = int(round((t - 3.0) * 16000))
        return speech[i:i + CHUNK] if 0 <= i < len(speech) - CHUNK else None

    _, spoken, _ = await call(caller, brain, keypad=False, seconds=10, stt="I'd like to come.")
    assert [s.text for s in spoken][-1] == "On which day would you like to come?"


def test_keypad_answers_and_hints_per_language():
    entry = KeypadAnswer()
    assert [entry.push(k) for k in "15*12"] == [None] * 5
    assert entry.push("#") == "15.12"
    assert entry.push("#") is None  # nothing typed
    for lang in ("en", "et", "ru"):
        assert keypad_hint("phone", lang) and keypad_hint("start_date", lang)
        assert keypad_hint("pet_name", lang) == ""


def test_the_idle_watch_waits_while_the_bot_talks():
    watch = IdleWatch(IdlePolicy(prompt_after_s=5, hangup_after_s=5), now=0.0)
    assert watch.tick(4.0, busy=False) is None
    assert watch.tick(30.0, busy=True) is None  # a long reply: not silence
    assert watch.tick(34.0, busy=False) is None
    assert watch.tick(35.0, busy=False) == "prompt"
    assert watch.tick(39.0, busy=False) is None
    assert watch.tick(40.0, busy=False) == "hangup"
    assert watch.tick(90.0, busy=False) is None


def test_the_idle_watch_says_nothing_while_the_caller_holds():
    watch = IdleWatch(IdlePolicy(prompt_after_s=5, hangup_after_s=5), now=0.0)
    watch.set_held(True, 3.0)
    assert [watch.tick(t, busy=False) for t in (10.0, 60.0, 600.0)] == [None, None, None]
    watch.set_held(False, 600.0)
    assert watch.tick(604.0, busy=False) is None  # counted from the resume
    assert watch.tick(605.0, busy=False) == "prompt"
