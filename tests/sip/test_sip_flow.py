"""Call-state logic without pjsua2 or sipp: admission, caller ids, keypad entry, and CallFlow with a
scripted session, a fake call control and a fake callback store."""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator

import numpy as np
import pytest

from siphelpers import FakeAgent, FakeCallbacks, sip_config
from receptionist.audio.pcm import AudioChunk
from receptionist.channels.sip.flow import CallFlow
from receptionist.channels.sip.policy import KeypadEntry, MediaWatch, admit, caller_number, source_ip
from receptionist.channels.sip.prompts import Prompter
from receptionist.events import AgentReply, IncomingMessage
from receptionist.pipeline.timing import BotSpoke
from receptionist.pipeline.voice_session import CallInfo


# ---- pure policy --------------------------------------------------------------------------------
def test_admission() -> None:
    kw = dict(max_calls=2, allowed_sources=("127.0.0.1",), registered=False)
    assert admit("127.0.0.1", 0, **kw).status == 200
    assert admit("127.0.0.1", 2, **kw).status == 486
    assert admit("10.0.0.9", 0, **kw).status == 403
    assert admit("10.0.0.9", 0, **{**kw, "registered": True}).status == 200


def test_caller_number_and_source() -> None:
    assert caller_number('"Ann" <sip:+372 5123 4567@pbx.local>;tag=x') == "+37251234567"
    assert caller_number("<sip:anonymous@anonymous.invalid>") is None
    assert caller_number("sip:12@pbx") is None  # an extension, not a number
    assert source_ip("127.0.0.1:5061") == "127.0.0.1" and source_ip("[::1]:5061") == "::1"


def test_media_watch_notices_a_caller_whose_rtp_stopped() -> None:
    watch = MediaWatch(timeout_s=5)
    assert not watch.silent("c1", 0, now=100.0)  # media just came up
    assert not watch.silent("c1", 250, now=104.0)  # packets keep coming
    assert not watch.silent("c1", 250, now=108.0)  # quiet for 4 s: not yet
    assert watch.silent("c1", 250, now=109.0)  # 5 s without a packet
    watch.forget("c1")
    assert not watch.silent("c1", 250, now=120.0)  # a forgotten call starts afresh


def test_media_watch_can_be_switched_off() -> None:
    watch = MediaWatch(timeout_s=0)
    watch.silent("c1", 10, now=0.0)
    assert not watch.silent("c1", 10, now=10_000.0)


def test_keypad_entry() -> None:
    entry = KeypadEntry(max_digits=4)
    assert [entry.push(k) for k in "12*98765"] == [None] * 8
    assert entry.push("#") == "9876"
    assert entry.push("#") == ""


# ---- CallFlow with fakes ----------------------------------------------------------------------------
class ScaledClock:
    """Real monotonic time; sleeps 1000x shorter (a 10 s keypad timeout takes 10 ms)."""

    def now(self):  # pragma: no cover - unused here
        raise NotImplementedError

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / 1000)


class NullSink:
    sample_rate = 16000

    def __init__(self) -> None:
        self.written = 0

    def write(self, chunk: AudioChunk) -> None:
        self.written += len(chunk)

    def clear_buffer(self) -> None:
        pass

    def pending_samples(self) -> int:
        return 0


class SilentVoice:
    sample_rate = 16000

    def synthesize(self, text: str):
        yield np.zeros(160, dtype=np.float32)


class FakeControl:
    def __init__(self, transfer_error: Exception | None = None) -> None:
        self.hangups = 0
        self.transfers: list[str] = []
        self.transfer_error = transfer_error

    async def hangup(self) -> None:
        self.hangups += 1

    async def transfer(self, target: str) -> None:
        if self.transfer_error:
            raise self.transfer_error
        self.transfers.append(target)


class ScriptSession:
    """Greets, then sends each scripted caller text to the brain, 'speaking' every reply."""

    def __init__(self, call: CallInfo, brain: Any, on_event: Any, script: list[str], crash: bool) -> None:
        self.call, self.brain, self.on_event, self.script, self.crash = call, brain, on_event, script, crash

    def _spoke(self, reply: AgentReply) -> None:
        self.on_event(0.0, BotSpoke(self.call.session_id, 0, reply.text, reply.text, False, False, 0.0, 0.0))

    async def run(self, source: AsyncIterator[AudioChunk]) -> None:
        if self.crash:
            raise RuntimeError("whisper died")
        self._spoke(await self.brain.greeting(self.call.session_id, self.call.tenant_id, "voice"))
        for text in self.script:
            msg = IncomingMessage(text=text, channel="voice", session_id=self.call.session_id,
                                  tenant_id=self.call.tenant_id, received_at=None, caller_id=self.call.caller_id)
            self._spoke(await self.brain.handle(msg))
        async for _ in source:
            pass


async def forever() -> AsyncIterator[AudioChunk]:
    await asyncio.Event().wait()
    yield AudioChunk.silence(0.02, 16000)  # pragma: no cover


def reply(text: str, **kw: Any) -> AgentReply:
    return AgentReply("s1", "en", (text,), kw.pop("intent", "x"), **kw)


def make_flow(*, replies=(), script=(), target=None, caller="+37251234567", crash=False, sessions=True,
              control=None, callbacks=None):
    agent = FakeAgent(list(replies))
    callbacks = callbacks or FakeCallbacks()
    control = control or FakeControl()
    call = CallInfo("s1", "pawsome", "voice", caller)
    factory = (lambda c, brain, sink, on_event: ScriptSession(c, brain, on_event, list(script), crash)) \
        if sessions else None
    flow = CallFlow(call=call, cfg=sip_config(transfer_target=target), agent=agent, callbacks=callbacks,
                    control=control, source=forever, sink=NullSink(), sessions=factory,
                    prompter=Prompter(lambda: {"en": SilentVoice()}, ScaledClock()), clock=ScaledClock(),
                    language="en", business="Pawsome")
    return flow, agent, control, callbacks


async def feed(flow: CallFlow, keys: str, after_s: float = 0.01) -> None:
    await asyncio.sleep(after_s)
    for key in keys:
        flow.on_dtmf(key)
        await asyncio.sleep(0)


async def test_spoken_handoff_is_transferred_after_the_reply_is_heard() -> None:
    flow, agent, control, callbacks = make_flow(replies=[reply("Putting you through.", handoff=True)],
                                                script=["I want to speak to a person"], target="sip:desk@pbx")
    task = asyncio.create_task(flow.run())
    while not control.transfers:
        await asyncio.sleep(0.001)
    flow.on_transfer(100, False)
    flow.on_transfer(200, True)
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "transferred" and control.transfers == ["sip:desk@pbx"] and control.hangups == 1
    assert not callbacks.stored


async def test_handoff_key_without_target_takes_a_callback_on_the_caller_id() -> None:
    flow, agent, control, callbacks = make_flow()
    task = asyncio.create_task(flow.run())
    await feed(flow, "0")  # the hand-off key during the conversation
    await feed(flow, "#")  # '#' alone: call me back on this number
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "callback" and outcome.callback_stored and not outcome.degraded
    assert callbacks.stored[0]["phone"] == "+37251234567"
    assert callbacks.stored[0]["reason"] == "asked for a person"
    assert control.transfers == [] and control.hangups == 1


async def test_failed_transfer_falls_back_to_a_callback_request() -> None:
    flow, agent, control, callbacks = make_flow(target="sip:desk@pbx")
    task = asyncio.create_task(flow.run())
    await feed(flow, "0")
    while not control.transfers:
        await asyncio.sleep(0.001)
    flow.on_transfer(486, True)
    await feed(flow, "55512345#")
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "callback" and callbacks.stored[0]["phone"] == "55512345"


async def test_a_handoff_key_pressed_before_the_conversation_started_is_not_lost() -> None:
    flow, agent, control, callbacks = make_flow()
    flow.on_dtmf("0")  # the caller pressed it while the greeting was still being prepared
    flow.on_dtmf("#")
    outcome = await asyncio.wait_for(flow.run(), 2)
    assert outcome.how == "callback" and callbacks.stored[0]["reason"] == "asked for a person"


async def test_keys_typed_while_the_transfer_is_tried_make_the_callback_number() -> None:
    flow, agent, control, callbacks = make_flow(target="sip:desk@pbx")
    task = asyncio.create_task(flow.run())
    await feed(flow, "0")
    while not control.transfers:
        await asyncio.sleep(0.001)
    await feed(flow, "55512345#")  # typed before the keypad prompt: kept, not dropped
    flow.on_transfer(480, True)
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "callback" and callbacks.stored[0]["phone"] == "55512345"


async def test_transfer_that_cannot_be_sent_falls_back_too() -> None:
    flow, agent, control, callbacks = make_flow(target="sip:desk@pbx", control=FakeControl(RuntimeError("gone")))
    task = asyncio.create_task(flow.run())
    await feed(flow, "0")
    await feed(flow, "#", after_s=0.05)
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.how == "callback"


async def test_goodbye_hangs_up() -> None:
    flow, agent, control, callbacks = make_flow(replies=[reply("Goodbye!", end_of_conversation=True)],
                                                script=["thanks, bye"])
    outcome = await asyncio.wait_for(flow.run(), 2)
    assert outcome.how == "bye" and control.hangups == 1 and agent.handled == ["thanks, bye"]


async def test_crashed_speech_path_degrades_to_the_keypad() -> None:
    flow, agent, control, callbacks = make_flow(crash=True, caller=None)
    task = asyncio.create_task(flow.run())
    await feed(flow, "51234567#")
    outcome = await asyncio.wait_for(task, 2)
    assert outcome.degraded and callbacks.stored[0]["reason"] == "speech unavailable"


async def test_no_models_no_keys_no_caller_id_still_ends_politely() -> None:
    flow, agent, control, callbacks = make_flow(sessions=False, caller=None)
    outcome = await asyncio.wait_for(flow.run(), 2)  # three 10 s (scaled) waits, then goodbye
    assert outcome.how == "no-number" and control.hangups == 1 and not callbacks.stored


async def test_hangup_cancels_the_flow_at_any_moment() -> None:
    flow, agent, control, callbacks = make_flow()
    task = asyncio.create_task(flow.run())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert control.hangups == 0  # the caller is gone: nothing more is sent
    assert not [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
