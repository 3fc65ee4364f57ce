"""The festival voice: one long-lived festival process, text made readable for it, espeak-ng when it is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from receptionist.backends.festival_tts import festival_text, scheme_string, voice_installed
from receptionist.config.voice import TtsConfig, VoiceChoice, VoiceConfig, festival_choice

RU = "msu_ru_nsh_clunits"
FI = "hy_fi_mv_diphone"


def need_festival(voice: str) -> None:
    if not voice_installed(voice):
        pytest.skip(f"festival voice {voice} is not installed (Debian festival + festvox-*)")


def test_quotes_and_symbols_become_spaces_and_punctuation_stays_on_its_word():
    assert festival_text("Отель «Пушистик» .", "utf-8").decode() == "Отель Пушистик."
    assert festival_text('Say "yes" (or no) & go', "latin-1") == b"Say yes or no go"


def test_punctuation_glued_between_words_is_spaced_out():
    assert festival_text("два,три.четыре", "utf-8").decode() == "два три четыре"


def test_letters_latin1_lacks_are_folded_to_their_base_letter():
    assert festival_text("Šokolaad žürii õun", "latin-1") == "Sokolaad zürii õun".encode("latin-1")
    assert festival_text("Щенок", "latin-1").strip() == b""


def test_scheme_strings_escape_quotes_and_backslashes():
    assert scheme_string(b'a "b" \\ c') == b'"a \\"b\\" \\\\ c"'


def test_festival_is_the_default_russian_and_estonian_voice_with_espeak_behind_it():
    ru, et = TtsConfig().voices["ru"], TtsConfig().voices["et"]
    assert (ru.engine, ru.voice) == ("festival", RU)
    assert ru.fallback == VoiceChoice("espeak", voice="ru")
    assert (et.engine, et.voice) == ("festival", "suo_fi_lj_diphone")
    assert et.fallback == VoiceChoice("espeak", voice="et")


def test_an_operators_piper_voice_still_wins(tmp_path):
    from receptionist.config.fields import Section
    from receptionist.config.voice import parse_voice

    cfg = parse_voice(Section({"tts": {"ru": {"engine": "piper", "model": "models/piper/ru_RU-denis-medium.onnx"}}},
                              "", tmp_path))
    assert cfg.tts.voices["ru"] == VoiceChoice("piper", model=tmp_path / "models/piper/ru_RU-denis-medium.onnx")


def test_a_configured_festival_voice_keeps_espeak_behind_it(tmp_path):
    from receptionist.config.fields import Section
    from receptionist.config.voice import parse_voice

    cfg = parse_voice(Section({"tts": {"et": {"engine": "festival", "voice": FI}}}, "", tmp_path))
    assert cfg.tts.voices["et"] == festival_choice("et", FI)
    assert cfg.tts.voices["et"].fallback == VoiceChoice("espeak", voice="et")


def test_a_missing_festival_voice_falls_back_to_espeak():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    from receptionist.app import build_voices
    from receptionist.backends.espeak_tts import EspeakTts

    cfg = VoiceConfig(tts=TtsConfig(voices={"ru": festival_choice("ru", voice="no_such_voice_clunits")}))
    voices = build_voices(cfg, ("ru",))
    assert isinstance(voices["ru"], EspeakTts) and voices["ru"].voice == "ru"


def test_a_missing_voice_without_fallback_is_an_error():
    from receptionist.app import build_voices
    from receptionist.errors import ModelError

    cfg = VoiceConfig(tts=TtsConfig(voices={"ru": VoiceChoice("festival", voice="no_such_voice_clunits")}))
    with pytest.raises(ModelError) as err:
        build_voices(cfg, ("ru",))
    assert err.value.code == "model-missing"


@pytest.fixture(scope="module")
def russian():
    need_festival(RU)
    from receptionist.backends.festival_tts import FestivalTts

    tts = FestivalTts(RU)
    yield tts
    tts.close()


def _speech(tts, text: str) -> np.ndarray:
    parts = list(tts.synthesize(text))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def test_russian_sentences_are_spoken_by_one_festival_process(russian):
    pid = russian._proc.pid
    first = _speech(russian, "Здравствуйте, вас приветствует отель «Пушистик».")
    second = _speech(russian, "С десятого по пятнадцатое декабря, пять ночей.")
    assert russian.sample_rate == 16000
    for audio in (first, second):
        assert len(audio) > 0.5 * russian.sample_rate and float(np.abs(audio).max()) > 0.05
    assert russian._proc.pid == pid


def test_blank_text_is_no_audio(russian):
    assert list(russian.synthesize("  «» ")) == []


def test_a_festival_that_died_is_restarted_for_the_next_sentence(russian):
    old = russian._proc
    old.kill()
    old.wait()
    audio = _speech(russian, "Снова на связи.")
    assert len(audio) > 0 and russian._proc is not old and russian._proc.poll() is None


def test_close_ends_the_festival_process():
    need_festival(FI)
    from receptionist.backends.festival_tts import FestivalTts

    tts = FestivalTts(FI)
    assert len(_speech(tts, "Tere, siin lemmikloomahotell.")) > 0
    proc, folder = tts._proc, tts._dir
    tts.close()
    assert proc.poll() is not None and not Path(folder).exists()


def test_a_voice_name_that_is_not_a_plain_name_is_refused_before_festival_hears_it():
    from receptionist.backends.festival_tts import FestivalTts
    from receptionist.errors import ModelError

    if shutil.which("festival") is None:
        pytest.skip("festival is not installed")
    with pytest.raises(ModelError) as err:
        FestivalTts('x) (system "true"')
    assert err.value.code == "model-missing"
