"""Our codec order wins the SDP answer: the pure SDP trimming behind SipCall.onCallSdpCreated."""

from receptionist.channels.sip.sdp import prefer_codec

OURS = ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=pjmedia\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 4000 RTP/AVP 9 0 8 96 120\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:8 PCMA/8000\r\na=rtpmap:96 speex/16000\r\na=rtpmap:120 telephone-event/8000\r\n"
        "a=fmtp:120 0-16\r\na=sendrecv\r\n")


def offer(*pts_and_maps: str) -> str:
    pts = [p.split()[0] for p in pts_and_maps]
    maps = "".join(f"a=rtpmap:{p}\r\n" for p in pts_and_maps if " " in p)
    return f"v=0\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP {' '.join(pts)}\r\n{maps}a=sendrecv\r\n"


def audio_line(sdp: str) -> str:
    return next(line for line in sdp.splitlines() if line.startswith("m=audio"))


def test_a_phone_offering_g711_before_g722_gets_g722() -> None:
    answer = prefer_codec(OURS, offer("0 PCMU/8000", "9 G722/8000", "101 telephone-event/8000"),
                          ("G722", "PCMU", "PCMA"))
    assert answer is not None
    assert audio_line(answer) == "m=audio 4000 RTP/AVP 9 120"
    assert "PCMU" not in answer and "speex" not in answer and "a=fmtp:120 0-16" in answer


def test_static_payload_types_count_without_an_rtpmap() -> None:
    answer = prefer_codec(OURS, offer("8", "0"), ("G722", "PCMU", "PCMA"))
    assert answer is not None and audio_line(answer) == "m=audio 4000 RTP/AVP 0 120"  # PCMU: our order, not theirs


def test_nothing_in_common_or_nothing_to_trim_leaves_pjsuas_answer() -> None:
    assert prefer_codec(OURS, offer("18 G729/8000"), ("G722", "PCMU")) is None
    only = OURS.replace("9 0 8 96 120", "0 120")
    assert prefer_codec(only, offer("0 PCMU/8000"), ("G722", "PCMU")) is None
