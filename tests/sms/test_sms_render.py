"""SMS text rules (pure): segments, cutting to max_parts, numbered options, reassembly, confirmations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, strategies as st

from receptionist.channels.sms.confirmations import Confirmations, confirmation_text
from receptionist.channels.sms.outbox import Outbox, messages
from receptionist.channels.sms.render import Reassembler, chosen, fit, render, segments
from receptionist.events import AgentReply, BookingMade, IncomingMessage, QuickReply
from tests.http.shim import Shim, shim_config

AT = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)


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


def test_reassembly_in_any_order_and_expiry():
    r = Reassembler()
    assert r.add("+372", "world", (5, 2, 2), AT) is None
    assert r.add("+372", "hello ", (5, 2, 1), AT) == "hello world"
    assert r.add("+372", "single", None, AT) == "single"
    assert r.add("+372", "lost ", (6, 2, 1), AT) is None
    assert r.add("+372", "late", (6, 2, 2), AT + timedelta(hours=2)) is None  # the first part expired


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


async def test_a_web_booking_is_confirmed_by_sms_in_russian(tmp_path, clock):
    shim = Shim(shim_config(tmp_path), clock)
    sender = RecordingSender()
    outbox = Outbox(shim.brain.worker, sender, clock)
    shim.brain.agent.booking_listeners.append(Confirmations(outbox, shim.config))
    try:
        for text in ("Здравствуйте, хочу забронировать комнату для кошки с 10 по 12 декабря", "Мурка",
                     "+372 5123 4567", "да"):
            reply = await shim.brain.agent.handle(IncomingMessage(text, "web", "web-ru-session-000001", "pawsome",
                                                                  clock.now()))
        assert reply.booking is not None
        assert await outbox.flush() == 1
        assert sender.sent == [("+37251234567", f"Pawsome Pet Hotel: ваша бронь {reply.booking.code} подтверждена. "
                                                f"{reply.booking.summary}. Вопросы: +372 600 1234")]
        assert [m.kind for m in await shim.brain.worker.run(messages, "sent")] == ["confirmation"]
    finally:
        await shim.close()


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
