"""The spoken mode of the dialogue benchmark: which lines are spoken, how transcripts replace them,
how the error rates are counted, the festival text, the transcript cache — and, with the real
engines, a line spoken and heard through the child process and then read from the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.dialogues import spoken
from tests.dialogues.spoken_engines import CACHE_VERSION, Heard, TranscriptCache, caller_speech, caller_voices, festival_text
from tests.dialogues.suite import Dialogue

BOOKED = {"bookings": [{"status": "confirmed", "resource": "dog", "start": "2026-12-10", "end": "2026-12-12"}]}


def dialogue(lang: str = "en", **fields) -> Dialogue:
    return Dialogue.from_dict({"name": "t", "lang": lang, "turns": ["A room for Rex", "from the 10th to the 12th"],
                               "answers": {"phone": "5123 4567"}, "expect": BOOKED, **fields}, "test")


def line(text: str, heard: str, lang: str = "en", kept: bool = True, spoken_by: str = "piper x") -> dict:
    return {"text": text, "lang": lang, "voice": "piper x", "model": "whisper", "heard": heard, "kept": kept,
            "spoken_by": spoken_by, "audio_s": 1.0}


def said(*lines: dict) -> spoken.SpokenLines:
    return spoken.SpokenLines.from_json({"voices": {"en": "piper x"}, "model": "whisper", "lines": list(lines)})


def test_every_line_a_dialogue_may_say_is_spoken_once() -> None:
    twice = [dialogue(), dialogue(turns=["A room for Rex"], answers={"confirm": "yes please"})]
    assert spoken.lines_of(twice) == [("A room for Rex", "en"), ("from the 10th to the 12th", "en"),
                                      ("5123 4567", "en"), ("yes", "en"), ("yes please", "en")]
    assert ("jah", "et") in spoken.lines_of([dialogue("et")])


def test_the_agent_receives_the_transcripts_and_the_spoken_yes() -> None:
    heard = spoken.as_heard(dialogue(), said(line("A room for Rex", "A room for Rex."),
                                             line("from the 10th to the 12th", "From the tenth to the twelfth."),
                                             line("5123 4567", "5, 1, 2, 3, 4, 5, 6, 7."), line("yes", "Yes.")))
    assert heard.turns == ("A room for Rex.", "From the tenth to the twelfth.")
    assert heard.answers == {"phone": "5, 1, 2, 3, 4, 5, 6, 7.", "confirm": "Yes."}
    assert heard.confirm_word == "Yes."
    assert (heard.name, heard.expect, heard.lang) == ("t", BOOKED, "en")


def test_a_line_the_pipeline_would_drop_is_not_said() -> None:
    heard = spoken.as_heard(dialogue(), said(line("A room for Rex", "Thank you.", kept=False),
                                             line("from the 10th to the 12th", "From the 10th to the 12th."),
                                             line("5123 4567", ""), line("yes", "Yes.")))
    assert heard.turns == ("From the 10th to the 12th.",)
    assert heard.answers == {"confirm": "Yes."}


def test_error_rates_are_per_language_with_dropped_lines_heard_as_nothing() -> None:
    rows = spoken.error_rates(said(line("a room for Rex", "A room for Rex!"), line("two words", "too words"),
                                   line("Его зовут Бастер", "Его зовут бастер.", "ru", spoken_by="espeak-ng ru"),
                                   line("да", "Спасибо.", "ru", kept=False)))
    by = {r["group"]: r for r in rows}
    assert by["en"]["wer"] == pytest.approx(1 / 6) and by["en"]["dropped"] == 0 and by["en"]["fallback"] == 0
    assert by["ru"]["wer"] == pytest.approx(1 / 4) and by["ru"]["dropped"] == 1 and by["ru"]["fallback"] == 1
    assert by["all"]["lines"] == 4 and by["all"]["wer"] == pytest.approx(2 / 10)
    assert "WER" in spoken.render({"voices": {"en": "piper x"}, "model": "whisper", "error_rates": rows})


def test_callers_say_numbers_in_words_and_phone_numbers_in_digit_groups() -> None:
    assert caller_speech("5250 3371", "en") == "five two five zero, three three seven one"
    assert caller_speech("mu number on 5250-3371", "et") == "mu number on viis kaks viis null, kolm kolm seitse üks"
    assert caller_speech("Room for 2 nights, 10 12", "en") == "Room for two nights, ten twelve"


def test_festival_gets_words_apart_and_letters_it_can_encode() -> None:
    assert festival_text("пять два,три", "utf-8").decode("utf-8") == "пять два три"
    assert festival_text("Šarik õues, 12.", "latin-1") == "Sarik õues, 12.".encode("latin-1")
    assert festival_text("Boss ✓", "latin-1") == b"Boss  "


def test_the_cache_keeps_transcripts_by_text_language_voice_and_model(tmp_path: Path) -> None:
    path = tmp_path / "spoken" / "transcripts.json"
    cache = TranscriptCache(path)
    heard = Heard("Tere", "et", "festival v", "whisper", "Tere.", True, "festival v", 0.6)
    cache.put(heard)
    cache.save()
    again = TranscriptCache(path)
    assert again.get("Tere", "et", "festival v", "whisper") == heard
    assert again.get("Tere", "et", "espeak-ng et", "whisper") is None
    assert again.get("Tere", "et", "festival v", "whisper-small") is None
    path.write_text(json.dumps({"version": 0, "entries": {heard.key(): {}}}), encoding="utf-8")
    assert TranscriptCache(path).entries == {}


def test_festival_speaks_for_callers_when_installed_and_the_configured_voice_otherwise() -> None:
    from receptionist.config.voice import TtsConfig, VoiceChoice, VoiceConfig

    cfg = VoiceConfig(tts=TtsConfig(voices={"et": VoiceChoice("espeak", voice="et"),
                                            "ru": VoiceChoice("espeak", voice="ru")}))
    with_festival = caller_voices(cfg, ("et", "ru"), festival=lambda voice: True)
    assert [v.label for v in with_festival["ru"]] == ["festival msu_ru_nsh_clunits", "espeak-ng ru"]
    assert [v.label for v in with_festival["et"]] == ["festival hy_fi_mv_diphone", "espeak-ng et"]
    without = caller_voices(cfg, ("et",), festival=lambda voice: False)
    assert [v.label for v in without["et"]] == ["espeak-ng et"]


@pytest.mark.models
def test_lines_are_spoken_and_heard_by_this_checkouts_engines_then_read_from_the_cache(tmp_path: Path) -> None:
    from tests.voice.voicekit import PIPER_EN, WHISPER, need

    need(WHISPER / "model.bin", PIPER_EN)
    cache = tmp_path / "transcripts.json"
    lines = [("My dog is called Max.", "en"), ("Его зовут Бастер.", "ru")]
    first = spoken.speak_and_hear(lines, cache=cache)
    assert "max" in first.heard[lines[0]].lower()
    assert "бастер" in first.heard[lines[1]].lower()
    assert first.voices["en"] == "piper en_US-joe-medium" and first.model.startswith("whisper-base")
    entries = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 2
    for entry in entries.values():  # a cached transcript is what the next run gets, without speaking
        entry["heard"] = "from the cache"
    cache.write_text(json.dumps({"version": CACHE_VERSION, "entries": entries}, ensure_ascii=False), encoding="utf-8")
    assert set(spoken.speak_and_hear(lines, cache=cache).heard.values()) == {"from the cache"}
