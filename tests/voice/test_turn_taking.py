"""Turn-taking in a whole session on fakes and virtual time: the turn model ends a finished turn at the
short pause and holds an unfinished one, an unfinished transcript waits for the rest, a cough over the
bot only pauses it, 'yes' to a question is an answer, and the audio after a barge-in starts with the
caller's first word."""

import numpy as np

from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, FakeTurnModel, ScriptedBrain, tone
from receptionist.config.voice import VoiceConfig
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.simulate import CallerLine, simulate_call
from receptionist.pipeline.timing import BargeInTiming, BotSpoke, CallerTurnDropped, TurnTiming

from voicekit import assert_no_leaked_tasks, silence

REPLY = ("Sure, a dog room is free.", "It costs 35 € per night.", "Shall I book it for you?")


def line(*parts, barge=None):
    return CallerLine(AudioChunk(np.concatenate(parts), 16000), barge)


async def run(lines, *, stt, turn_model=None, reply=lambda m: REPLY):
    engines = VoiceEngines(lambda: EnergyVad(), stt, {"en": FakeTts(16000)}, turn_model=turn_model)
    brain = ScriptedBrain(reply=reply)
    result = await simulate_call(engines, VoiceConfig(), lines, brain=brain, languages=("en",), sink_rate=16000)
    engines.close()
    assert_no_leaked_tasks()
    return result, brain


def of(result, kind):
    return [ev for _, ev in result.events if isinstance(ev, kind)]


async def test_a_finished_turn_is_answered_at_the_short_pause():
    slow, _ = await run([line(tone(1.5))], stt=FakeStt("I need a room for my dog."))
    fast, _ = await run([line(tone(1.5))], stt=FakeStt("I need a room for my dog."), turn_model=FakeTurnModel(0.98))
    (before,), (after,) = of(slow, TurnTiming), of(fast, TurnTiming)
    assert after.voice_to_voice_s < before.voice_to_voice_s - 0.25  # 0.2 s pause instead of 0.6 s


async def test_an_unfinished_turn_keeps_listening_through_a_long_pause():
    model = FakeTurnModel(lambda seconds: 0.02 if seconds < 2.0 else 0.98)  # unfinished until both parts
    result, brain = await run([line(tone(1.0), silence(1.1), tone(1.0))], stt=FakeStt("Room for two nights."),
                              turn_model=model)
    assert len(brain.messages) == 1
    (timing,) = of(result, TurnTiming)
    assert timing.speech_end - timing.speech_start > 3.0


async def test_a_phone_number_in_groups_is_one_answer():
    """Silence alone would cut after each group; the transcript ends in a number, so the bot waits."""
    def said(seconds):
        return "My number is five five five," if seconds < 1.5 else "one two three four."

    result, brain = await run([line(tone(0.9), silence(0.9), tone(1.8))], stt=FakeStt(said))
    assert [m.text for m in brain.messages] == ["My number is five five five, one two three four."]
    assert [d.reason for d in of(result, CallerTurnDropped)] == ["held"]
    assert len([s for s in of(result, BotSpoke) if s.text.startswith("Sure")]) == 1


async def test_a_cough_over_the_bot_pauses_it_and_it_carries_on():
    result, brain = await run([line(tone(1.5)), line(tone(0.1), barge=1.0)],
                              stt=FakeStt(lambda s: "" if s < 0.5 else "I need a room."))
    (barge,) = of(result, BargeInTiming)
    assert barge.outcome == "resumed" and barge.reaction_s <= 0.15
    reply = [s for s in of(result, BotSpoke) if s.text.startswith("Sure")]
    assert reply and not reply[0].interrupted and reply[0].heard_text == reply[0].text
    assert len(brain.messages) == 1


async def test_yes_while_the_bot_asks_is_an_answer():
    question = ("Shall I book it?",)
    result, brain = await run([line(tone(1.5)), line(tone(0.5), barge=0.3)],
                              stt=FakeStt(lambda s: "Yes." if s < 1.0 else "Book a room."),
                              reply=lambda m: question)
    assert [m.text for m in brain.messages] == ["Book a room.", "Yes."]
    assert [b.outcome for b in of(result, BargeInTiming)] == ["interrupted"]


async def test_yes_while_the_bot_informs_is_a_backchannel():
    result, brain = await run([line(tone(1.5)), line(tone(0.5), barge=0.3)],
                              stt=FakeStt(lambda s: "Yes." if s < 1.0 else "Book a room."),
                              reply=lambda m: ("Our rooms are heated and every dog gets two walks a day.",))
    assert [m.text for m in brain.messages] == ["Book a room."]


async def test_the_interrupting_words_are_kept_whole():
    """'Yes,' then a breath (0.25 s), then 'please confirm' over the bot: Whisper gets the audio from 'Yes'."""
    stt = FakeStt(lambda s: "Yes, please confirm." if s > 1.55 else "please confirm.")
    result, brain = await run([line(tone(1.5)), line(tone(0.15), silence(0.25), tone(1.2), barge=0.5)], stt=stt)
    assert brain.messages[-1].text == "Yes, please confirm."
    interrupting = max(seconds for seconds, _ in stt.calls)
    assert interrupting >= 0.15 + 0.25 + 1.2  # more than the 0.3 s pre-roll before "please" would give


async def test_a_barge_in_is_answered_at_the_short_pause_once_it_is_decided():
    barge = [line(tone(1.5)), line(tone(1.6), barge=0.5)]
    slow, _ = await run(barge, stt=FakeStt("I need a room for my dog."))
    fast, brain = await run(barge, stt=FakeStt("I need a room for my dog."), turn_model=FakeTurnModel(0.98))
    before, after = of(slow, TurnTiming)[-1], of(fast, TurnTiming)[-1]
    assert [b.outcome for b in of(fast, BargeInTiming)] == ["interrupted"]
    assert after.voice_to_voice_s < before.voice_to_voice_s - 0.25


async def test_the_last_group_of_a_phone_number_is_answered_without_waiting_again():
    """'555, 123,' is held; '4567.' completes seven digits: answered at once, not after another hold."""
    def said(seconds):
        return "My number is 555, 123," if seconds > 1.4 else "4567."

    result, brain = await run([line(tone(1.2), silence(0.9), tone(0.6))], stt=FakeStt(said))
    assert [m.text for m in brain.messages] == ["My number is 555, 123, 4567."]
    assert [d.reason for d in of(result, CallerTurnDropped)] == ["held"]
    (timing,) = of(result, TurnTiming)
    assert timing.voice_to_voice_s < 1.0  # no second 1.6 s wait


async def test_going_on_right_after_the_bot_started_is_answered_together():
    """The turn ended at a mid-sentence pause (the model was sure); the caller goes on over the reply's
    first words: the interruption is answered with the whole sentence, not the fragment."""
    def said(seconds):
        return "I would like to book a room," if seconds < 1.5 else "for my dog next week."

    result, brain = await run([line(tone(1.0), silence(0.5), tone(1.6))], stt=FakeStt(said),
                              turn_model=FakeTurnModel(0.99))
    assert [m.text for m in brain.messages][-1] == "I would like to book a room, for my dog next week."


async def test_after_the_number_question_a_pause_between_groups_is_waited_for_in_any_language():
    """Whisper garbles the groups (no text cue); the bot asked for the phone number, so it waits."""
    from receptionist.events import AgentReply

    def reply(msg):
        return AgentReply(msg.session_id, "et", ("Mis on teie telefoninumber?",), "ask", awaiting="phone")

    def said(seconds):
        return "Tere." if seconds < 1.0 else "Nelj viskur see."

    result, brain = await run([line(tone(0.6)), line(tone(1.0), silence(1.0), tone(1.0))], stt=FakeStt(said),
                              reply=reply)
    assert len(brain.messages) == 2  # "Tere." and the whole number, one turn
    (span_hello, span_number) = result.line_spans
    assert of(result, TurnTiming)[-1].first_audio_out >= span_number.end


async def test_a_whole_number_after_the_number_question_is_answered_at_the_short_pause():
    from receptionist.events import AgentReply

    def reply(msg):
        return AgentReply(msg.session_id, "en", ("What is your phone number?",), "ask", awaiting="phone")

    def said(seconds):
        return "Hello." if seconds < 1.2 else "5123 4567."

    result, brain = await run([line(tone(0.5)), line(tone(1.5))], stt=FakeStt(said), reply=reply)
    assert [m.text for m in brain.messages] == ["Hello.", "5123 4567."]
    assert of(result, TurnTiming)[-1].voice_to_voice_s < 0.55  # not the 1.6 s a dictation may pause
