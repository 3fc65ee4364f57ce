"""End-of-turn detection from lists of speech probabilities (32 ms windows), no audio, no clock."""

from receptionist.pipeline.turn import (SpeechPaused, SpeechResumed, SpeechStarted, TurnDetector, TurnEnded,
                                        TurnPolicy)

W = 0.032


def run(probs, policy=None, echo=False):
    det = TurnDetector(policy or TurnPolicy())
    det.set_echo_guard(echo)
    events = []
    for i, p in enumerate(probs):
        ev = det.step(p, i * W, (i + 1) * W)
        if ev is not None:
            events.append(ev)
    return events


def secs(seconds, p):
    return [p] * round(seconds / W)


def test_a_simple_turn_starts_and_ends_after_the_end_silence():
    events = run(secs(0.3, 0.0) + secs(1.0, 0.9) + secs(1.0, 0.05))
    kinds = [type(e) for e in events]
    assert kinds == [SpeechStarted, SpeechPaused, TurnEnded]
    end = events[-1]
    assert abs(end.start_s - 0.288) < 0.05 and abs(end.end_s - 1.28) < 0.05
    assert end.reason == "silence"
    assert 0.55 <= end.at_s - end.end_s <= 0.65  # ended after ~0.6 s of silence


def test_a_mid_sentence_pause_does_not_end_the_turn():
    # "I'd like to book, uhm ... for Tuesday": a 0.45 s pause (< 0.6 s end silence)
    probs = secs(0.8, 0.9) + secs(0.45, 0.1) + secs(0.8, 0.9) + secs(0.8, 0.0)
    events = run(probs)
    ends = [e for e in events if isinstance(e, TurnEnded)]
    assert len(ends) == 1
    assert ends[0].start_s == 0.0 and ends[0].duration_s > 1.9
    kinds = [type(e) for e in events]
    assert kinds == [SpeechStarted, SpeechPaused, SpeechResumed, SpeechPaused, TurnEnded]


def test_short_blips_are_not_speech():
    events = run(secs(0.5, 0.0) + secs(0.1, 0.9) + secs(1.0, 0.0))
    assert events == []


def test_hysteresis_keeps_speech_going_on_slightly_lower_probabilities():
    events = run(secs(0.5, 0.9) + secs(0.5, 0.4) + secs(0.8, 0.0))
    end = [e for e in events if isinstance(e, TurnEnded)][0]
    assert end.duration_s > 0.9


def test_max_utterance_length_ends_the_turn():
    policy = TurnPolicy(max_utterance_s=3.0)
    events = run(secs(5.0, 0.9), policy)
    ends = [e for e in events if isinstance(e, TurnEnded)]
    assert ends[0].reason == "max_length" and 2.9 <= ends[0].duration_s <= 3.05


def test_echo_guard_needs_louder_longer_speech():
    echo_like = secs(1.0, 0.7)  # our own voice coming back through a speaker-phone
    assert run(echo_like + secs(0.8, 0.0), echo=True) == []
    assert isinstance(run(echo_like + secs(0.8, 0.0), echo=False)[0], SpeechStarted)
    real = secs(1.0, 0.95)
    started = run(real, echo=True)[0]
    assert isinstance(started, SpeechStarted) and started.at_s >= 0.35


def test_speech_seconds_and_flush():
    det = TurnDetector()
    for i, p in enumerate(secs(0.5, 0.9)):
        det.step(p, i * W, (i + 1) * W)
    assert det.speaking and 0.45 < det.speech_s < 0.55
    ended = det.flush(1.0)
    assert isinstance(ended, TurnEnded) and not det.speaking
