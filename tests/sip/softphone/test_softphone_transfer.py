"""Key presses and an unanswered transfer with real softphones (baresip): the caller presses the hand-off
key during the greeting; the line REFERs the call to the front desk (a second baresip that rings and
never answers); after the transfer timeout the caller's '#' (typed while it rang) leaves a callback
request on the caller's own number in the calendar database, and the line hangs up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from siphelpers import FakeAgent, english_config, running_line, sip_config, tone_sessions, until
from receptionist.app import build_brain
from receptionist.channels.sip.events import CallOffered, DtmfReceived, TransferStatus
from softphone.baresip import Baresip

pytestmark = pytest.mark.usefixtures("need_baresip")

CALLER = "+37251234567"


@pytest.fixture
def calendar(tmp_path: Path):
    config = english_config(tmp_path)
    brain = build_brain(config, model=None)
    yield config, brain
    brain.close()


async def test_handoff_key_in_the_greeting_then_an_unanswered_transfer_leaves_a_callback(tmp_path: Path,
                                                                                         calendar) -> None:
    config, brain = calendar
    events: list = []
    (tmp_path / "desk").mkdir()
    async with Baresip(tmp_path / "desk", user="desk") as desk:
        cfg = sip_config(transfer_target=f"sip:desk@127.0.0.1:{desk.sip_port}")
        async with running_line(cfg, FakeAgent(), brain.local, config.default_tenant, tone_sessions(6.0),
                                events) as line:
            async with Baresip(tmp_path, user=CALLER) as phone:
                await phone.dial(f"sip:reception@127.0.0.1:{line.port}")
                await phone.wait_event("CALL_ESTABLISHED")
                audio = next(e.audio for e in events if isinstance(e, CallOffered))
                assert await until(lambda: audio.frames_out > 25)
                assert audio.sink.pending_samples() > 16000  # the greeting is still playing
                await phone.dtmf("0")  # RFC 2833: the hand-off key
                await desk.wait_event("CALL_INCOMING", 15)  # the caller was REFERred to the desk: it rings
                await phone.command("line", "1")  # back to the first call (baresip made the new one current)
                await phone.dtmf("#")  # '#': call me back on this number (typed while the desk rings)
                assert await until(lambda: bool(line.finished), 40), events  # 20 s transfer timeout, then keypad
                await phone.wait_event("CALL_CLOSED", 15)  # the line hung up after "taken"
    assert ("0", "rfc2833") in [(e.digit, e.method) for e in events if isinstance(e, DtmfReceived)]
    statuses = [e.status for e in events if isinstance(e, TransferStatus)]
    assert statuses and all(s < 200 for s in statuses), statuses  # progress only: never answered
    assert line.finished[-1].how == "callback"
    db = sqlite3.connect(config.app.database)
    stored = db.execute("SELECT phone, reason FROM callbacks").fetchall()
    db.close()
    assert stored == [(CALLER, "asked for a person")]
