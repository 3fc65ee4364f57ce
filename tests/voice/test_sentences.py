from receptionist.pipeline.sentences import SentenceStream, split_sentences


def test_split_keeps_prices_dates_abbreviations_whole():
    text = "Hello! The price is 35.50 €. Dr. Smith is in. Kas sobib 1. detsembril? Да, т.е. завтра. Ok"
    assert split_sentences(text) == ["Hello!", "The price is 35.50 €.", "Dr. Smith is in.",
                                     "Kas sobib 1. detsembril?", "Да, т.е. завтра.", "Ok"]


def test_long_sentences_are_cut_at_commas():
    long = ", ".join(["a clause with several words in it"] * 8) + "."
    parts = split_sentences(long, max_chars=80)
    assert len(parts) > 1 and all(len(p) <= 80 for p in parts)
    assert " ".join(parts) == long


def test_stream_emits_sentences_as_soon_as_they_are_complete():
    stream = SentenceStream()
    assert stream.feed("Thank you") == []
    assert stream.feed(". Your dog room is ") == ["Thank you."]
    assert stream.feed("booked.") == []  # could still continue ("booked.com")
    assert stream.feed(" See you") == ["Your dog room is booked."]
    assert stream.flush() == ["See you"]
