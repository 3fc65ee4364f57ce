"""Barge-in policy: pure decisions from speech seconds, transcripts and time."""

from receptionist.pipeline.interruption import BargeInArbiter, BargeInPolicy, Decision, content_words

POLICY = BargeInPolicy(min_speech_s=0.4, commit_speech_s=1.5, resume_after_s=1.5, pause_after_s=0.4)  # the slow pause of before
LANGS = ("en", "et", "ru")


def test_short_speech_does_nothing_then_min_speech_pauses():
    arb = BargeInArbiter(POLICY, languages=LANGS)
    assert arb.on_speech(0.2, 1.0) is Decision.NONE
    assert arb.on_speech(0.45, 1.2) is Decision.PAUSE
    assert arb.on_speech(0.6, 1.3) is Decision.NONE


def test_real_words_interrupt():
    arb = BargeInArbiter(POLICY, languages=LANGS)
    arb.on_speech(0.5, 1.0)
    assert arb.on_transcript("No, wait, Tuesday please", 1.4) is Decision.INTERRUPT
    assert not arb.active


def test_backchannels_resume_in_every_language():
    for text in ("Mhm.", "Okay.", "jah", "Jaa!", "Да.", "Ага", "uh-huh", "Угу, да"):
        arb = BargeInArbiter(POLICY, languages=LANGS)
        arb.on_speech(0.5, 1.0)
        assert arb.on_transcript(text, 1.3, final=True) is Decision.RESUME, text


def test_backchannel_below_min_speech_is_ignored_entirely():
    arb = BargeInArbiter(POLICY, languages=LANGS)
    assert arb.on_speech(0.3, 1.0) is Decision.NONE
    assert arb.on_transcript("mhm", 1.4, final=True) is Decision.NONE


def test_long_speech_without_transcript_commits():
    arb = BargeInArbiter(POLICY, languages=LANGS)
    assert arb.on_speech(0.5, 1.0) is Decision.PAUSE
    assert arb.on_speech(1.6, 2.1) is Decision.INTERRUPT


def test_protected_utterance_is_never_paused():
    arb = BargeInArbiter(POLICY, protected=True, languages=LANGS)
    assert arb.on_speech(3.0, 1.0) is Decision.NONE
    assert arb.on_transcript("stop stop stop", 1.2) is Decision.NONE


def test_resume_after_a_false_interruption_with_no_transcript():
    arb = BargeInArbiter(POLICY, languages=LANGS)
    arb.on_speech(0.5, 1.0)
    arb.on_speech_end(1.1)
    assert arb.tick(2.0) is Decision.NONE
    assert arb.tick(2.7) is Decision.RESUME


def test_empty_speculative_transcript_resumes_at_once():
    arb = BargeInArbiter(POLICY, languages=LANGS)
    arb.on_speech(0.5, 1.0)
    assert arb.on_transcript("", 1.2) is Decision.RESUME


def test_disabled_policy():
    arb = BargeInArbiter(BargeInPolicy(enabled=False), languages=LANGS)
    assert arb.on_speech(5.0, 1.0) is Decision.NONE


def test_content_words_and_configured_backchannels():
    assert content_words("Okay, mhm, Tuesday!", frozenset({"okay", "mhm"})) == ["tuesday"]
    policy = BargeInPolicy(backchannels={"et": frozenset({"jah"})})
    assert policy.is_backchannel("Jah.", ("et",))
    assert not policy.is_backchannel("jaa", ("et",))
