"""Nothing lost, nothing twice: incoming texts are stored before they leave the SIM, answered once —
across a killed process, a repeated +CMTI and a re-read at connect — and an auto-responder is silenced."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from receptionist.channels.sms import inbox
from receptionist.channels.sms.modem import IncomingSms
from receptionist.channels.sms.outbox import messages
from receptionist.errors import caller_message
from receptionist.ops.metrics import REGISTRY
from tests.conftest import REPO
from tests.sms.conftest import SmsEnv, eventually
from tests.sms.fakemodem import FakeModem

CALLER = "+37251234567"
AT = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)


def limited_total() -> float:
    return REGISTRY.get_sample_value("receptionist_sms_rate_limited_total", {"tenant": "pawsome"}) or 0.0


def replies(rows) -> list:
    return [r for r in rows if r.kind == "reply"]


async def test_a_text_survives_a_killed_process_and_is_answered_once_after_the_restart(tmp_path, clock):
    modem = FakeModem(tmp_path / "ttyFAKE")
    env = SmsEnv(tmp_path, clock, modem=modem)  # builds the database the child process opens too
    child = subprocess.Popen([sys.executable, "-m", "tests.sms.crash_child", str(tmp_path), str(modem.path)],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert (await asyncio.to_thread(child.stdout.readline)).strip() == "started"
        await eventually(lambda: any(c.startswith("AT+CNMI") for c in modem.commands), 60, "the child connecting")
        modem.receive(CALLER, "Hi, I want to book a room for my dog")
        await eventually(lambda: (tmp_path / "received").exists(), 30, "the text reaching the agent")
        await eventually(lambda: modem.storage == {}, what="the text deleted from the SIM (it is stored)")
    finally:
        os.kill(child.pid, signal.SIGKILL)  # between receipt and reply
        child.wait()
    assert modem.messages() == []  # no reply went out before the kill

    await env.start()  # the restart
    try:
        number, text = (await env.replies(1))[0]
        assert number == CALLER and "check in" in text
        assert await env.runtime.channel.process() == 0  # nothing left to answer
        assert len(replies(await env.db(messages))) == 1
        assert [t.status for t in await env.db(inbox.texts)] == ["done"]
        await env.stop()  # and once more: still answered once
        env.restart()
        await env.start()
        assert await env.runtime.channel.process() == 0 and len(replies(await env.db(messages))) == 1
    finally:
        await env.close()


async def test_a_repeated_announcement_or_a_re_read_is_not_answered_twice(sms_env):
    m = sms_env.modem
    m.receive(CALLER, "Hi, I want to book a room for my dog")
    await sms_env.replies(1)
    m.announce(m.store_pdu(m.delivered[0]))  # the modem shows the same text again (+CMTI)
    await eventually(lambda: m.storage == {}, what="the repeated copy deleted")
    assert await sms_env.runtime.channel.process() == 0
    m.store_pdu(m.delivered[0])  # …and once more, found on the SIM at the next connect
    await sms_env.stop()
    sms_env.restart()
    await sms_env.start()
    await eventually(lambda: m.storage == {}, what="the stale copy deleted at connect")
    assert await sms_env.runtime.channel.process() == 0
    assert len(replies(await sms_env.db(messages))) == 1 and len(m.messages()) == 1
    assert len(await sms_env.db(inbox.texts)) == 1


async def test_an_auto_responder_is_answered_ten_times_then_silenced(sms_env):
    channel = sms_env.runtime.channel
    before = limited_total()
    for i in range(12):
        await channel.receive(IncomingSms(CALLER, f"Auto-reply: I am out of office ({i})", sent_at=f"t{i}"))
    texts = await sms_env.db(inbox.texts)
    assert [t.status for t in texts] == ["done"] * 10 + ["limited"] * 2
    assert len(replies(await sms_env.db(messages))) == 10
    assert limited_total() - before == 2
    await channel.receive(IncomingSms("+37259999999", "Hello", sent_at="other"))  # others are still answered
    sms_env.clock.advance(11 * 60)  # the window passed: the sender is answered again
    await channel.receive(IncomingSms(CALLER, "Hello again", sent_at="later"))
    assert [t.status for t in await sms_env.db(inbox.texts)][-2:] == ["done", "done"]


async def test_a_sender_that_is_not_a_phone_number_is_stored_but_not_answered(sms_env):
    await sms_env.runtime.channel.receive(IncomingSms("Telia", "Your bill is ready", sent_at="x"))
    assert [t.status for t in await sms_env.db(inbox.texts)] == ["ignored"]
    assert await sms_env.db(messages) == []


def _stored(id_: int, text: str, concat=None, minutes: int = 0) -> inbox.StoredSms:
    return inbox.StoredSms(id_, "pawsome", CALLER, text, concat, "new",
                           (AT + timedelta(minutes=minutes)).isoformat(timespec="milliseconds"))


def test_long_messages_are_put_together_in_any_order_or_after_the_wait():
    wait = timedelta(hours=1)
    stored = [_stored(1, "world", (5, 2, 2)), _stored(2, "single"), _stored(3, "hello ", (5, 2, 1)),
              _stored(4, "lost ", (6, 2, 1))]
    assert inbox.assemble(stored, AT, wait) == [inbox.Unit((1, 3), CALLER, "hello world"),
                                                inbox.Unit((2,), CALLER, "single")]
    late = inbox.assemble(stored, AT + wait, wait)  # part 2 of message 6 never came: answer what did
    assert late[-1] == inbox.Unit((4,), CALLER, "lost ")


class BrokenAgent:
    """An agent whose every turn fails the way a broken database would."""

    async def handle(self, msg, *, on_holding=None):
        raise RuntimeError("the database is gone")


async def test_a_text_the_agent_fails_on_is_answered_once_from_the_error_table(sms_env):
    channel = sms_env.runtime.channel
    channel.agent = BrokenAgent()
    await channel.receive(IncomingSms(CALLER, "Hello", sent_at="t1"))
    assert [t.status for t in await sms_env.db(inbox.texts)] == ["ignored"]  # never retried: no loop
    language = sms_env.config.tenant(sms_env.config.channels.sms.tenant).languages[0]
    assert [m.text for m in replies(await sms_env.db(messages))] == [caller_message("internal", language)]
