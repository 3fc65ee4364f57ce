"""The soak test's child process: the real line (pjsua2 endpoint, pooled media ports) with stand-in speech
sessions and a fake agent, dialled by three sipp streams at once; prints one JSON summary line last.

    python tests/sip/soakline.py WORKDIR --calls 240 --cancels 100 --drops 10

Run in a child so that a crash of the SIP library (a segfault) fails the test instead of killing pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from siphelpers import (FakeAgent, FakeCallbacks, ToneSession, english_config, running_line, sip_config,  # noqa: E402
                        tone, tone_level, tone_sessions, until)
from sipmedia import pcap_from_audio  # noqa: E402
from sippkit import Sipp, play  # noqa: E402

from receptionist.channels.sip.events import CallEnded, CallOffered  # noqa: E402

MAX_CALLS = 4
CALLER_HZ = 300.0  # the short calls' caller says this tone


def caller_tone(session: ToneSession) -> float:
    """How loud the caller's tone was in what the session heard (0 when no RTP of it came through)."""
    heard = np.concatenate(session.heard) if session.heard else np.zeros(0, np.float32)
    return tone_level(heard, session.sink.sample_rate, CALLER_HZ)


async def soak(workdir: Path, calls: int, cancels: int, drops: int) -> dict:
    tenant = english_config(workdir).default_tenant
    events: list = []
    pcap = pcap_from_audio(workdir / "hello.pcap", tone(0.3, CALLER_HZ), tail_silence_s=0.0)
    streams = {  # name: (scenario, calls, at most at once, calls a second, placeholders)
        "short": ("soak_call", calls, 2, 10.0, {"play": play(pcap), "hold_ms": 300}),
        "cancel": ("soak_cancel", cancels, 1, 5.0, {}),
        "drop": ("soak_drop", drops, 1, 1.0, {"bye_timeout_ms": 15000}),
    }
    started = time.monotonic()
    async with running_line(sip_config(max_calls=MAX_CALLS, media_timeout_s=2), FakeAgent(), FakeCallbacks(),
                            tenant, tone_sessions(0.5), events) as line:
        sipps = {}
        for name, (scenario, n, limit, rate, values) in streams.items():
            (workdir / name).mkdir()
            sipps[name] = Sipp(workdir / name, line.port)
            await sipps[name].start(scenario, calls=n, limit=limit, rate=rate, max_s=120, **values)
        results = {name: await sipp.wait(150) for name, sipp in sipps.items()}
        dialled_s = time.monotonic() - started
        offered = lambda: sum(isinstance(e, CallOffered) for e in events)  # noqa: E731
        # A call's session records its finish just after the call ends: wait for those records too.
        settled = await until(lambda: line.active_calls == 0 and line.free_ports == MAX_CALLS
                              and len(line.finished) >= offered(), 10)
        summary = {
            "sipp": {name: {"rc": r.returncode, "errors": r.errors[-1500:] if not r.ok else ""}
                     for name, r in results.items()},
            "dialled": sum(n for _, n, _, _, _ in streams.values()),
            "offered": sum(isinstance(e, CallOffered) for e in events),
            "ended": sum(isinstance(e, CallEnded) for e in events),
            "ended_by": {by: sum(isinstance(e, CallEnded) and e.by == by for e in events)
                         for by in ("remote", "local", "media-lost")},
            "finished": len(line.finished),
            "heard_caller": sum(1 for session in ToneSession.instances if caller_tone(session) > 0.03),
            "rejected": {str(k): v for k, v in line.rejected.items()},
            "settled": settled,
            "active_calls": line.active_calls,
            "free_ports": line.free_ports,
            "max_calls": MAX_CALLS,
            "dialled_s": round(dialled_s, 1),
        }
    summary["stopped"] = True
    summary["total_s"] = round(time.monotonic() - started, 1)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--calls", type=int, default=240)
    parser.add_argument("--cancels", type=int, default=100)
    parser.add_argument("--drops", type=int, default=10)
    args = parser.parse_args()
    summary = asyncio.run(soak(args.workdir, args.calls, args.cancels, args.drops))
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
