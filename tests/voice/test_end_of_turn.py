"""End of turn in pure code: the model's verdict, text cues per language, the detector's pause rules,
and where an utterance starts (the first voiced window, so 'Yes,' before a pause is kept)."""

import pytest

from receptionist.pipeline.end_of_turn import EndOfTurnPolicy, model_verdict, unfinished_text
from receptionist.pipeline.turn import SpeechPaused, SpeechStarted, TurnDetector, TurnEnded, TurnPolicy

W = 0.032  # one VAD window


def feed(det, probs, t0=0.0):
    """Step the detector through `probs` (one per window); returns [(event, window end)]."""
    out, t = [], t0
    for p in probs:
        ev = det.step(p, t, t + W)
        t += W
        if ev is not None:
            out.append((ev, t))
    return out, t


def windows(seconds, prob):
    return [prob] * round(seconds / W)


@pytest.mark.parametrize("prob, language, verdict", [
    (0.97, "en", "end"), (0.05, "en", "hold"), (0.5, "en", "none"),
    (0.97, "et", "none"), (0.05, "et", "none"),  # not a trusted language: silence decides
    (None, "en", "none"),
])
def test_model_verdicts(prob, language, verdict):
    assert model_verdict(EndOfTurnPolicy(model_languages=("en", "ru")), prob, language) == verdict


def test_every_language_can_be_trusted_with_a_star():
    assert model_verdict(EndOfTurnPolicy(model_languages=("*",)), 0.99, "et") == "end"


@pytest.mark.parametrize("text, language", [
    ("My number is five five five, one two three,", "en"),
    ("My number is 555 123", "en"),
    ("I'd like a room for my dog and", "en"),
    ("Minu number on viis viis viis", "et"),
    ("Me tuleme kümnendal ja", "et"),
    ("Мой номер пять пять пять", "ru"),
    ("Я хочу с десятого по", "ru"),
    ("Well, I was thinking...", "en"),
    ("Hukskakskoon viis viis viis", "en"),  # Estonian number words under the wrong language
])
def test_unfinished_sentences(text, language):
    assert unfinished_text(text, language)


@pytest.mark.parametrize("text, language", [
    ("I would like to book from December first to December fourth.", "en"),
    ("Thank you very much, goodbye.", "en"),
    ("For 2 nights please.", "en"),
    ("Can I check in?", "en"),
    ("Minu nimi on Mari Tamm.", "et"),
    ("Ma tulen kümnendast kuni viieteistkümnenda detsembrini.", "et"),
    ("Меня зовут Иван Петров.", "ru"),
    ("My phone number is 5123 4567.", "en"),  # a whole phone number
    ("Minu number on 5123 4567.", "et"),
    ("", "en"),
])
def test_finished_sentences(text, language):
    assert not unfinished_text(text, language)


def test_a_complete_verdict_ends_the_turn_at_the_short_pause():
    det = TurnDetector(TurnPolicy(), verdicts=True)
    events, t = feed(det, windows(1.0, 0.9) + windows(0.25, 0.0))
    paused = [ev for ev, _ in events if isinstance(ev, SpeechPaused)]
    assert paused and not any(isinstance(ev, TurnEnded) for ev, _ in events)
    ended = det.verdict("end", paused[0].speech_end_s, t)
    assert isinstance(ended, TurnEnded) and ended.reason == "verdict"
    assert not det.speaking


def test_an_unfinished_verdict_keeps_listening_through_a_long_pause():
    det = TurnDetector(TurnPolicy(max_silence_s=1.6), verdicts=True)
    events, t = feed(det, windows(1.0, 0.9) + windows(0.25, 0.0))
    paused = next(ev for ev, _ in events if isinstance(ev, SpeechPaused))
    assert det.verdict("hold", paused.speech_end_s, t) is None
    events, t = feed(det, windows(1.0, 0.0) + windows(1.0, 0.9) + windows(1.7, 0.0), t)  # a 1.25 s pause
    ended = [ev for ev, _ in events if isinstance(ev, TurnEnded)]
    assert len(ended) == 1 and ended[0].duration_s > 3.0  # one turn: both parts


def test_no_opinion_falls_back_to_the_silence_rule():
    det = TurnDetector(TurnPolicy(end_silence_s=0.6), verdicts=True)
    events, t = feed(det, windows(1.0, 0.9) + windows(0.25, 0.0))
    paused = next(ev for ev, _ in events if isinstance(ev, SpeechPaused))
    assert det.verdict("none", paused.speech_end_s, t) is None
    events, _ = feed(det, windows(0.4, 0.0), t)
    (ended,) = [ev for ev, _ in events if isinstance(ev, TurnEnded)]
    assert ended.reason == "silence"


def test_a_late_verdict_after_the_caller_went_on_is_ignored():
    det = TurnDetector(TurnPolicy(), verdicts=True)
    events, t = feed(det, windows(1.0, 0.9) + windows(0.25, 0.0))
    paused = next(ev for ev, _ in events if isinstance(ev, SpeechPaused))
    _, t = feed(det, windows(0.3, 0.9), t)
    assert det.verdict("end", paused.speech_end_s, t) is None
    assert det.speaking


def test_a_short_yes_before_a_pause_starts_the_utterance():
    """'Yes,' (0.13 s, below min_speech), a 0.13 s pause, then 'please confirm': one utterance from 'Yes'."""
    det = TurnDetector(TurnPolicy(min_speech_s=0.2, onset_gap_s=0.1))
    events, _ = feed(det, windows(0.5, 0.0) + windows(0.13, 0.9) + windows(0.13, 0.0) + windows(1.0, 0.9))
    (started,) = [ev for ev, _ in events if isinstance(ev, SpeechStarted)]
    assert started.start_s == pytest.approx(16 * W, abs=1e-6)  # the first voiced window, not 'please'


def test_under_the_echo_guard_the_utterance_starts_at_the_first_window_above_the_normal_threshold():
    det = TurnDetector(TurnPolicy(threshold=0.5, echo_threshold=0.85))
    det.set_echo_guard(True)
    events, _ = feed(det, windows(0.5, 0.1) + windows(0.1, 0.6) + windows(0.6, 0.95))
    (started,) = [ev for ev, _ in events if isinstance(ev, SpeechStarted)]
    assert started.start_s == pytest.approx(16 * W, abs=1e-6)


def test_the_lookback_never_reaches_far_into_a_long_sound():
    det = TurnDetector(TurnPolicy(threshold=0.5, echo_threshold=0.85, lookback_max_s=1.0))
    det.set_echo_guard(True)
    echo = windows(5.0, 0.6)  # echo of the bot, then the caller
    events, _ = feed(det, echo + windows(0.6, 0.95))
    (started,) = [ev for ev, _ in events if isinstance(ev, SpeechStarted)]
    assert started.start_s == pytest.approx(len(echo) * W - 1.0, abs=1e-6)


def test_a_blip_over_the_bot_resumes_after_a_grace_unless_the_caller_goes_on():
    from receptionist.pipeline.interruption import BargeInArbiter, BargeInPolicy, Decision

    policy = BargeInPolicy(pause_after_s=0.064, resume_grace_s=0.3)
    cough = BargeInArbiter(policy, languages=("en",))
    assert cough.on_speech(0.064, 1.0, confirmed=False) is Decision.PAUSE
    assert cough.on_sound_gone(1.1) is Decision.NONE
    assert cough.tick(1.3) is Decision.NONE
    assert cough.tick(1.4) is Decision.RESUME

    yes_then_more = BargeInArbiter(policy, languages=("en",))
    yes_then_more.on_speech(0.064, 1.0, confirmed=False)
    yes_then_more.on_sound_gone(1.2)  # "Yes," ...
    assert yes_then_more.on_speech(0.1, 1.4, confirmed=False) is Decision.NONE  # ... "please"
    assert yes_then_more.tick(1.8) is Decision.NONE  # still paused


def test_a_partial_backchannel_while_the_caller_goes_on_does_not_resume():
    from receptionist.pipeline.interruption import BargeInArbiter, BargeInPolicy, Decision

    arb = BargeInArbiter(BargeInPolicy(), languages=("en",))
    arb.on_speech(0.5, 1.0)
    arb.on_speech(0.6, 1.5)  # speaking again when the speculative "Yes." arrives
    assert arb.on_transcript("Yes.", 1.55) is Decision.NONE
    assert arb.on_transcript("Yes, please confirm.", 2.0) is Decision.INTERRUPT


def test_a_short_sound_with_words_does_not_cancel_unless_it_answers_the_question():
    from receptionist.pipeline.interruption import BargeInArbiter, BargeInPolicy, Decision

    policy = BargeInPolicy(min_speech_s=0.4)
    misheard_mhm = BargeInArbiter(policy, languages=("en",))
    misheard_mhm.on_speech(0.3, 1.0)
    assert misheard_mhm.on_transcript("and make them", 1.6, final=True) is not Decision.INTERRUPT
    answer = BargeInArbiter(policy, languages=("en",))
    answer.on_speech(0.3, 1.0)
    assert answer.on_transcript("Yes.", 1.6, final=True, asking=True) is Decision.INTERRUPT


@pytest.mark.parametrize("word, language", [("Yes.", "en"), ("Jah.", "et"), ("Да.", "ru")])
def test_yes_is_a_backchannel_while_informing_and_an_answer_while_asking(word, language):
    from receptionist.pipeline.interruption import BargeInPolicy

    policy = BargeInPolicy()
    assert policy.is_backchannel(word, (language,))
    assert not policy.is_backchannel(word, (language,), asking=True)


def test_spelled_out_hums_are_no_words():
    from receptionist.pipeline.interruption import BargeInPolicy

    assert BargeInPolicy().is_backchannel("M. H. N.", ("en",))
    assert not BargeInPolicy().is_backchannel("5", ("en",))
