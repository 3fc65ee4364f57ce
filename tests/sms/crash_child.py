"""A receptionist process to kill: `python -m tests.sms.crash_child TMP_PATH MODEM_PATH`.

It runs the real SMS channel (modem link, inbox, outbox) on the test's database, but its agent never
answers: it writes TMP_PATH/received when a text reaches it (stored, deleted from the SIM, not yet
answered) and then waits until the test kills the process with SIGKILL."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from receptionist.app import build_brain
from receptionist.channels.sms.runtime import start_sms
from receptionist.clock import FakeClock
from tests.conftest import NOW
from tests.sms.conftest import sms_config


class NeverAnswers:
    """An agent that receives a text and hangs before it can reply."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker
        self.booking_listeners: list = []

    async def handle(self, msg):
        self.marker.write_text(msg.session_id)
        await asyncio.Event().wait()


async def main(tmp_path: Path, port: str) -> None:
    clock = FakeClock(NOW)
    config = sms_config(tmp_path, port)
    brain = build_brain(config, clock=clock, model=None)
    await start_sms(config, NeverAnswers(tmp_path / "received"), brain.worker, clock)  # type: ignore[arg-type]
    print("started", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
