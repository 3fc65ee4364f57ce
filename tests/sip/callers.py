"""Scripted phone callers in a process of their own (so that their timing is not disturbed by the line
they measure): each call is sipp (signalling) + an RtpPeer (G.711 media, RTP every 20 ms like a phone)
that takes turns politely (`PoliteCaller`). Used by scripts/bench-sip.

    python tests/sip/callers.py SPEC.json       # writes SPEC's "out" folder: results.json + audio per call

SPEC: {"port": <the line's SIP port>, "out": "<folder>", "calls": [{"caller": "+372...", "start_s": 0.0,
"lines": ["<clip.npy: float32 samples at 8 kHz>", ...], "texts": ["what the clip says", ...],
"think_s": [seconds to wait before each line, ...]}, ...]}
results.json: one entry per call, in order: sipp's outcome, whether the bot hung up, and per turn the
time the caller stopped speaking and the time the bot's first voice came back (time.monotonic(), the same
clock in every process of the machine). `<i>-bot.npy` holds the bot's audio as received (8 kHz) and
`<i>-bot-times.npy` the arrival time of each 20 ms frame in it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]

from callkit import PoliteCaller  # noqa: E402
from receptionist.audio.pcm import AudioChunk  # noqa: E402
from sipmedia import RATE, RtpPeer  # noqa: E402
from sippkit import Sipp  # noqa: E402

HANGUP_WAIT_S = 5.0  # after the last reply: how long the caller waits for the bot's BYE before hanging up
MAX_CALL_S = 400  # sipp's own limit for one call


async def one_call(index: int, spec: dict[str, Any], port: int, out: Path) -> dict[str, Any]:
    await asyncio.sleep(spec.get("start_s", 0.0))
    clips = [AudioChunk(np.load(path).astype(np.float32), RATE) for path in spec["lines"]]
    work = out / f"sipp-{index}"
    work.mkdir(parents=True, exist_ok=True)
    peer = await RtpPeer().open()
    result: dict[str, Any] = {"caller": spec["caller"], "turns": [], "answered": False, "bot_hung_up": False}
    sipp = Sipp(work, port)
    try:
        await sipp.start("call_or_hangup", rtp_port=peer.port, caller=spec["caller"],
                         bye_timeout_ms=(MAX_CALL_S - 30) * 1000, max_s=MAX_CALL_S)
        caller = PoliteCaller(peer)
        try:
            await peer.wait_remote(15.0)
        except TimeoutError:
            outcome = await sipp.wait(10)
            result.update(sipp_ok=False, errors=_errors(outcome.errors + outcome.output))
            return result
        result["answered"] = True
        peer.keep_sending()
        result["greeting_started"] = await caller.wait_bot_done(time.monotonic() - 1)
        for text, clip, think_s in zip(spec["texts"], clips, spec.get("think_s", [0.0] * len(clips))):
            await asyncio.sleep(think_s)  # a person takes a moment before answering
            turn = await caller.say(text, clip)
            result["turns"].append({"text": text, "caller_stopped": turn.caller_stopped,
                                    "bot_started": turn.bot_started})
        result["bot_hung_up"] = await sipp.ended(HANGUP_WAIT_S)  # the bot says goodbye and hangs up ...
        if not result["bot_hung_up"]:
            sipp.hang_up()  # ... or the caller does
        outcome = await sipp.wait(15)
        result["sipp_ok"] = outcome.ok
        if not outcome.ok:
            result["errors"] = _errors(outcome.errors + outcome.output)
        return result
    finally:
        sipp.kill()
        peer.close()
        np.save(out / f"{index}-bot.npy", np.concatenate([r.samples for r in peer.received])
                if peer.received else np.zeros(0, np.float32))
        np.save(out / f"{index}-bot-times.npy", np.array([r.at for r in peer.received], dtype=np.float64))


def _errors(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[-6:])


async def main(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    results = await asyncio.gather(*(one_call(i, call, spec["port"], out) for i, call in enumerate(spec["calls"])),
                                   return_exceptions=True)
    rows = [r if isinstance(r, dict) else {"error": f"{type(r).__name__}: {r}", "turns": []} for r in results]
    (out / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
