"""Language ID: detector signals, the session state machine, and accuracy on short utterances."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from receptionist.agent.language import (
    LanguageDetector,
    LanguageState,
    current_language,
    update_language,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "langid_short.tsv"
LANGS = ("en", "et", "ru")


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(LANGS)


def _top(scores: dict[str, float]) -> str:
    return max(scores, key=scores.__getitem__)


def _feed(detector: LanguageDetector, *texts: str, state: LanguageState | None = None) -> LanguageState:
    state = state or LanguageState()
    for text in texts:
        state = update_language(state, text, detector)
    return state


def test_scores_are_normalised_over_configured_languages_only(detector):
    scores = detector.scores("Bonjour, je voudrais réserver")
    assert set(scores) == set(LANGS)
    assert sum(scores.values()) == pytest.approx(1.0)


def test_two_language_detector_never_mentions_the_third():
    scores = LanguageDetector(["en", "et"]).scores("Здравствуйте")
    assert set(scores) == {"en", "et"}


def test_cyrillic_is_russian(detector):
    assert detector.scores("да")["ru"] > 0.9
    assert detector.scores("Собаку зовут Max")["ru"] > 0.99


def test_estonian_greeting_that_fasttext_calls_english(detector):
    # fastText lite alone says en 0.58 / et 0.29 for this one.
    assert detector.scores("Tere, ma sooviks broneerida")["et"] > 0.95


def test_estonian_letters_point_to_estonian_without_lexicon():
    bare = LanguageDetector(LANGS, use_fasttext=False, lexicon={})
    assert _top(bare.scores("Tõstke öösel")) == "et"


def test_neutral_text_is_uniform(detector):
    for text in ("ok", "2", "+372 5123 4567", ""):
        assert detector.scores(text) == pytest.approx({k: 1 / 3 for k in LANGS}), text


def test_injected_fasttext_is_used_and_restricted():
    fake = LanguageDetector(LANGS, fasttext=lambda _t: {"fr": 0.5, "et": 0.45, "en": 0.05}, lexicon={})
    assert _top(fake.scores("zzz qqq")) == "et"


def test_single_word_does_not_commit(detector):
    state = _feed(detector, "Tere")
    assert state.committed is None
    assert current_language(state, "en") == "en"


def test_words_accumulate_until_commit(detector):
    state = _feed(detector, "Tere", "ok", "jah palun")
    assert state.committed == "et"
    assert current_language(state, "en") == "et"


def test_one_clear_sentence_commits(detector):
    assert _feed(detector, "Hi, I'd like to book a room").committed == "en"


def test_neutral_turns_keep_the_committed_language(detector):
    state = _feed(detector, "Tere, soovin broneerida")
    assert _feed(detector, "ok", "2", "Max", "+372 5123 4567", "yes", state=state) == state


def test_confident_two_word_switch_is_followed(detector):
    state = _feed(detector, "Tere, soovin broneerida", "Sorry, do you speak English?")
    assert state.committed == "en"


def test_cyrillic_switches_even_with_one_word(detector):
    state = _feed(detector, "Hello, I need a room", "Здравствуйте")
    assert state.committed == "ru"


def test_hint_can_tip_an_undecided_session(detector):
    state = update_language(LanguageState(), "Max Max", detector, hint="et", hint_weight=4.0)
    assert state.committed == "et"


def test_state_is_immutable_and_updates_are_pure(detector):
    start = LanguageState()
    update_language(start, "Hello, I need a room", detector)
    assert start == LanguageState()
    with pytest.raises(AttributeError):
        start.committed = "en"  # type: ignore[misc]


def _rows(path: Path = DATA) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def test_test_set_is_big_enough_and_short():
    rows = _rows()
    counts = Counter(lang for lang, _ in rows)
    assert all(counts[lang] >= 60 for lang in LANGS), counts
    assert all(2 <= len(text.split()) <= 6 for _, text in rows)


@pytest.mark.parametrize("name", ["langid_short.tsv", "langid_heldout.tsv"])
def test_accuracy_on_short_utterances_is_at_least_95_percent_per_language(detector, name):
    """langid_short.tsv was used while tuning the lexicon; langid_heldout.tsv was written apart from it."""
    total, correct, misses = Counter(), Counter(), []
    for lang, text in _rows(DATA.with_name(name)):
        guess = _top(detector.scores(text))
        total[lang] += 1
        correct[lang] += guess == lang
        if guess != lang:
            misses.append((lang, guess, text))
    accuracy = {lang: correct[lang] / total[lang] for lang in total}
    assert all(acc >= 0.95 for acc in accuracy.values()), (accuracy, misses)
