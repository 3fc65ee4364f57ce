"""Lexicon intent guesses; anything unclear is "unknown" for the LLM to handle."""

from __future__ import annotations

import pytest

from receptionist.agent.extract import INTENTS, IntentGuess, classify_intent


@pytest.mark.parametrize(
    ("text", "lang", "intent"),
    [
        ("Hi, I'd like to book a room", "en", "book"),
        ("Tere, ma sooviksin broneerida", "et", "book"),
        ("Здравствуйте, хочу забронировать", "ru", "book"),
        ("I need a vet appointment for my cat", "en", "book"),
        ("How much does it cost?", "en", "question"),
        ("Kui palju maksab?", "et", "question"),
        ("Сколько стоит?", "ru", "question"),
        ("What are your opening hours?", "en", "question"),
        ("I want to cancel my booking", "en", "cancel_booking"),
        ("Soovin broneeringu tühistada", "et", "cancel_booking"),
        ("Хочу отменить бронь", "ru", "cancel_booking"),
        ("Can I change the dates?", "en", "change_booking"),
        ("Tahaksin kuupäevi muuta", "et", "change_booking"),
        ("Можно перенести на понедельник?", "ru", "change_booking"),
        ("Can I talk to a person?", "en", "human"),
        ("Kas ma saan inimesega rääkida?", "et", "human"),
        ("Соедините с оператором", "ru", "human"),
        ("Could someone call me back?", "en", "human"),
        ("Hello", "en", "greeting"),
        ("Tere", "et", "greeting"),
        ("Добрый день", "ru", "greeting"),
        ("Thanks, goodbye", "en", "thanks_bye"),
        ("Aitäh, head aega", "et", "thanks_bye"),
        ("Спасибо, до свидания", "ru", "thanks_bye"),
        ("Yes please", "en", "yes"),
        ("Jah", "et", "yes"),
        ("Да", "ru", "yes"),
        ("No, thank you", "en", "no"),
        ("Ei, aitäh", "et", "no"),
        ("No, the 12th", "en", "no"),
    ],
)
def test_clear_intents(text, lang, intent):
    guess = classify_intent(text, lang)
    assert guess.intent == intent
    assert guess.confidence >= 0.6


@pytest.mark.parametrize("text", ["banana", "My dog is called Max", "", "12"])
def test_unclear_text_is_unknown(text):
    assert classify_intent(text, "en") == IntentGuess("unknown", 0.0)


def test_every_guess_is_a_known_intent_with_bounded_confidence():
    for text in ("book?", "cancel or change?", "hi, how much, thanks", "Kas?"):
        guess = classify_intent(text, "en")
        assert guess.intent in INTENTS
        assert 0.0 <= guess.confidence <= 0.95
