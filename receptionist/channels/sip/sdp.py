"""Our codec order wins the SDP answer (pure text handling, no pjsua2).

pjmedia answers an offer in the *caller's* codec order, so a phone that lists G.711 before G.722 would
get G.711 and its caller would reach Whisper through an 8 kHz bottleneck. `prefer_codec` trims our
answer's audio line to the first codec of `[sip] codecs` that the offer carries (plus telephone-event,
for DTMF), which leaves the negotiator exactly that choice.
"""

from __future__ import annotations

import re

# RFC 3551 static payload types of the codecs we may be offered without an rtpmap line.
_STATIC = {"0": "pcmu", "8": "pcma", "9": "g722", "3": "gsm"}
_DTMF = "telephone-event"


def _audio_formats(sdp: str) -> tuple[list[str], dict[str, str]]:
    """(payload types of the first m=audio line, payload type -> lower-case codec name) of an SDP."""
    lines = sdp.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("m=audio"):
            pts = line.split()[3:]
            names = {pt: _STATIC[pt] for pt in pts if pt in _STATIC}
            for attr in lines[i + 1:]:
                if attr.startswith("m="):
                    break
                m = re.match(r"a=rtpmap:(\d+)\s+([^/\s]+)", attr)
                if m and m.group(1) in pts:
                    names[m.group(1)] = m.group(2).lower()
            return pts, names
    return [], {}


def prefer_codec(local: str, remote: str, order: tuple[str, ...]) -> str | None:
    """`local` (our SDP answer as pjsua built it) with its audio line cut down to the first codec in `order`
    ("G722", "PCMU", ...) that `remote` (the caller's offer) carries, plus telephone-event; None when
    nothing needs to change (no common codec in `order`, or our answer already has only that one)."""
    _, offered = _audio_formats(remote)
    ours, names = _audio_formats(local)
    offered_names = set(offered.values())
    choice = next((c.lower() for c in order if c.lower() in offered_names), None)
    if choice is None:
        return None
    keep = [pt for pt in ours if names.get(pt) in (choice, _DTMF)]
    if not any(names.get(pt) == choice for pt in keep) or keep == ours:
        return None
    drop = set(ours) - set(keep)
    out, in_audio = [], False
    for line in local.splitlines():
        if line.startswith("m="):
            in_audio = line.startswith("m=audio")
            if in_audio:
                head = line.split()[:3]
                line = " ".join(head + keep)
        elif in_audio:
            m = re.match(r"a=(?:rtpmap|fmtp|rtcp-fb):(\d+)\b", line)
            if m and m.group(1) in drop:
                continue
        out.append(line)
    return "\r\n".join(out) + "\r\n"
