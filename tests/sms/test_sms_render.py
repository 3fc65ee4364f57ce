"""SMS text rules (pure): segments, cutting to max_parts, numbered options, confirmations."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, strategies as st

from receptionist.channels.sms.confirmations import Confirmations, confirmation_text, may_text
from receptionist.channels.sms.outbox import Outbox, messages
from receptionist.channels.sms.render import chosen, fit, render, segments
from receptionist.events import AgentReply, BookingMade, IncomingMessage, QuickReply
from tests.http.shim import Shim, shim_config

def test_segments_gsm7_and_ucs2():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("€" * 80) == 1  # an extension character costs two septets
    assert segments("õ" * 70) == 1 and segments("õ" * 71) == 2  # õ is not GSM-7: UCS2
    assert segments("я" * 134) == 2 and segments("я" * 135) == 3


@given(st.text(alphabet=st.sampled_from("abc õяd €,."), min_size=0, max_size=600), st.integers(1, 4))
def test_fit_always_fits(text, parts):
    out = fit(text, parts)
    assert segments(out) <= parts
    assert out == text or (out.endswith("...") and text.startswith(out[:-3].rstrip(" ,;:")))


def test_options_are_numbered_and_numbers_choose():
    options = (QuickReply("Yes, book it", "Yes"), QuickReply("No, change something", "No"))
    reply = AgentReply("s", "en", ("Shall I book it?",), "confirm", options=options)
    assert render(reply) == "Shall I book it?\n1) Yes, book it 2) No, change something"
    assert chosen("2", options) == "No" and chosen(" 1) ", options) == "Yes"
    assert chosen("3", options) is None and chosen("12 dogs", options) is None and chosen("1", ()) is None


def test_confirmation_texts_in_the_customers_language():
    made = BookingMade("pawsome", "s", "web", "created", "BK-1234", "+37251234567", "ru", "комната для кошек, Мурка")
    assert confirmation_text(made, "Pawsome", "+372 600 1234") == \
        "Pawsome: ваша бронь BK-1234 подтверждена. комната для кошек, Мурка. Вопросы: +372 600 1234"
    cancelled = BookingMade("pawsome", "s", "web", "cancelled", "BK-1234", "+37251234567", "et", "")
    assert "tühistatud" in confirmation_text(cancelled, "Pawsome", "1")


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, number: str, text: str) -> None:
        self.sent.append((number, text))


RU_BOOKING = ("Здравствуйте, хочу забронировать комнату для кошки с 10 по 12 декабря", "Мурка", "+372 5123 4567", "да")


async def _book(shim, channel: str, session: str, caller_id: str | None = None):
    for text in RU_BOOKING:
        reply = await shim.brain.agent.handle(IncomingMessage(text, channel, session, "pawsome", shim.clock.now(),
                                                              caller_id=caller_id))
    assert reply.booking is not None
    return reply


async def test_a_booking_by_sms_is_confirmed_to_the_sender_in_russian(tmp_path, clock):
    shim = Shim(shim_config(tmp_path), clock)
    sender = RecordingSender()
    outbox = Outbox(shim.brain.worker, sender, clock)
    shim.brain.agent.booking_listeners.append(Confirmations(outbox, shim.config, shim.brain.worker))
    try:
        reply = await _book(shim, "sms", "sms-ru-session-0000001", caller_id="+37251234567")
        assert await outbox.flush() == 1
        assert sender.sent == [("+37251234567", f"Pawsome Pet Hotel: ваша бронь {reply.booking.code} подтверждена. "
                                                f"{reply.booking.summary}. Вопросы: +372 600 1234")]
        assert [m.kind for m in await shim.brain.worker.run(messages, "sent")] == ["confirmation"]
    finally:
        await shim.close()


async def test_the_web_chat_and_other_peoples_numbers_are_never_texted(tmp_path, clock):
    shim = Shim(shim_config(tmp_path), clock)
    sender = RecordingSender()
    outbox = Outbox(shim.brain.worker, sender, clock)
    shim.brain.agent.booking_listeners.append(Confirmations(outbox, shim.config, shim.brain.worker))
    try:
        await _book(shim, "web", "web-ru-session-000001")  # the visitor typed somebody's number
        await _book(shim, "voice", "voice-ru-session-0001", caller_id="+37259999999")  # booked for another number
        assert await outbox.flush() == 0 and sender.sent == []
        assert await shim.brain.worker.run(messages) == []
    finally:
        await shim.close()


def test_who_may_be_texted():
    made = BookingMade("pawsome", "s", "sms", "created", "BK-482913", "+37251234567", "et", "")
    assert may_text(made, "+37251234567", "EE") and may_text(made, "5123 4567", "EE")
    assert not may_text(made, "+37259999999", "EE") and not may_text(made, None, "EE")
    assert not may_text(made, "anonymous", "EE")
    assert not may_text(replace(made, channel="web"), "+37251234567", "EE")
    assert may_text(replace(made, channel="cli"), None, "EE")  # at the appliance's console: staff


def test_only_the_modem_module_touches_the_serial_port():
    import ast
    from pathlib import Path

    pkg = Path(__file__).resolve().parents[2] / "receptionist"
    for path in pkg.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for name in names:
                if name.split(".")[0] in ("gsmmodem", "serial"):
                    assert path.relative_to(pkg).as_posix() == "channels/sms/modem.py", path
