import pytest

from receptionist.pipeline.speech_text import normalize_for_speech as speak


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "35 €", "thirty-five euros"),
    ("et", "35 €", "kolmkümmend viis eurot"),
    ("ru", "35 €", "тридцать пять евро"),
    ("en", "1 €", "one euro"),
    ("et", "€70,50", "seitsekümmend eurot viiskümmend senti"),
    ("ru", "21,01 EUR", "двадцать один евро один цент"),
    ("en", "BK-4521", "B, K, four, five, two, one"),
    ("et", "BK-4521", "bee, kaa, neli, viis, kaks, üks"),
    ("ru", "BK-4521", "би, кей, четыре, пять, два, один"),
    ("en", "2026-12-01", "December first, twenty twenty-six"),
    ("et", "2026-12-01", "esimene detsember kaks tuhat kakskümmend kuus"),
    ("ru", "2026-12-01", "первое декабря две тысячи двадцать шестого года"),
    ("et", "alates 1. detsembrist kuni 4. detsembrini", "alates esimesest detsembrist kuni neljanda detsembrini"),
    ("ru", "с 1 декабря до 4 декабря", "с первого декабря до четвёртого декабря"),
    ("en", "from December 1 to December 4", "from December first to December fourth"),
    ("en", "at 14:30", "at fourteen thirty"),
    ("et", "kell 9:05", "kell üheksa null viis"),
    ("ru", "в 9:00", "в девять ноль-ноль"),
    ("en", "+372 600 1234", "plus three seven two, six zero zero, one two three four"),
    ("en", "3 nights, 10% off", "three nights, ten percent off"),
    ("ru", "3 ночи", "три ночи"),
    ("ru", "5%", "пять процентов"),
    ("et", "2 kassi", "kaks kassi"),
    ("en", "the 2nd floor", "the second floor"),
])
def test_normalize(lang, text, expected):
    assert speak(text, lang) == expected


def test_text_without_numbers_is_unchanged():
    assert speak("Tere! Kuidas saan aidata?", "et") == "Tere! Kuidas saan aidata?"
