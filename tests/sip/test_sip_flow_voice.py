"""CallFlow and the conversation's phone-line features, with fakes: keys typed at a number or date
question go to the conversation (the hand-off key is the line's otherwise), and a conversation that
ended the call itself because the caller was silent is an abandoned call — hung up, no callback."""

from __future__ import annotations

import asyncio
from typing import AsyncIterator

from siphelpers import FakeAgent, FakeCallbacks, sip_config
from test_sip_flow import FakeControl, NullSink, ScaledClock, SilentVoice, forever
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.flow import CallFlow
from receptionist.channels.sip.prompts import Prompter
from receptionist.pipeline.voice_session import CallInfo


class KeypadSession:
    """Takes digit keys while `wants_keys`; ends by itself (`ended_by`) when told to."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.wants_keys = False
        self.ended_by: str | None = None
        self.end = asyncio.Event()

    def on_key(self, key: str) -> bool:
        if self.wants_keys:
            self.keys.append(key)
        return self.wants_keys

    async def run(self, source: AsyncIterator[AudioChunk]) -> None:
        await self.end.wait()


def flow_with(session: KeypadSession, callbacks: FakeCallbacks, control: FakeControl) -> CallFlow:
    return CallFlow(call=CallInfo("s1", "pawsome", "voice", "+37251234567"), cfg=sip_config(), agent=FakeAgent([]),
                    callbacks=callbacks, control=control, source=forever, sink=NullSink(),
                    sessions=lambda c, brain, sink, on_event: session,
                    prompter=Prompter(lambda: {"en": SilentVoice()}, ScaledClock()), clock=ScaledClock(),
                    language="en", business="Pawsome")


async def test_keys_at_a_number_question_go_to_the_conversation_not_the_handoff() -> None:
    session, callbacks, control = KeypadSession(), FakeCallbacks(), FakeControl()
    flow = flow_with(session, callbacks, control)
    task = asyncio.create_task(flow.run())
    await asyncio.sleep(0.01)
    session.wants_keys = True
    for key in "0512#":
        flow.on_dtmf(key)
    assert session.keys == list("0512") + ["#"] and not task.done()  # "0" was a digit, not the hand-off
    session.ended_by = "caller-silent"
    session.end.set()
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "caller-silent" and not outcome.callback_stored
    assert callbacks.stored == [] and control.hangups == 1


async def test_outside_those_questions_the_handoff_key_still_works() -> None:
    session, callbacks, control = KeypadSession(), FakeCallbacks(), FakeControl()
    flow = flow_with(session, callbacks, control)
    task = asyncio.create_task(flow.run())
    await asyncio.sleep(0.01)
    flow.on_dtmf("0")  # the hand-off key: no transfer target -> keypad callback request
    flow.on_dtmf("#")  # call me back on this number
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "callback" and session.keys == []
