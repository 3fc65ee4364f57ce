"""More calls than one box: two appliances (`receptionist serve` processes) behind Kamailio's dispatcher
(examples/kamailio/dispatcher.cfg: round-robin, OPTIONS keep-alives). Box A owns the calendar and serves
the booking API; box B books through it ([agent] booking_backend = "http" with A's token).

Calls are real SIP calls through the dispatcher (sipp), answered by each box's line in keypad mode (no
speech models: light enough for CI). The bookings are web-chat conversations with each box's agent,
which is where a spoken call's booking is made too: the race for the last room is two conversations,
one per box, confirming at the same moment."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

import pytest

from boxkit import Box, cli
from kamkit import DISPATCHER_CFG, Kamailio, require_pbx_tools
from pbxkit import call_through
from siphelpers import until

pytestmark = pytest.mark.usefixtures("need_kamailio")


class TwoBoxes:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.a = Box(folder, "a")
        self.token_b = _token(self.a, "box-b")  # B's key to A's booking API
        self.token_a = _token(self.a, "tests")
        self.b = Box(folder, "b", backend_url=self.a.url, backend_token=self.token_b, sip="max_calls = 1")
        self.token_b_own = _token(self.b, "tests")  # to look into B's own (unused) calendar
        listing = folder / "dispatcher.list"
        listing.write_text(f"1 sip:127.0.0.1:{self.a.sip_port} 8 0 duid=box-a\n"
                           f"1 sip:127.0.0.1:{self.b.sip_port} 8 0 duid=box-b\n", encoding="utf-8")
        self.pbx = Kamailio(folder, DISPATCHER_CFG, DISPATCHER_LIST=f'"{listing}"', PING_INTERVAL=1,
                            PING_FAILURES=2, NO_ANSWER_MS=2000)

    def answered(self) -> tuple[int, int]:
        return self.a.answered(), self.b.answered()

    def diagnostics(self) -> str:
        return f"--- kamailio\n{self.pbx.tail()}\n--- box a\n{self.a.tail()}\n--- box b\n{self.b.tail()}"


def _token(box: Box, name: str) -> str:
    made = cli(box.config, "tokens", "create", "--name", name, "--scope", "write")
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


@pytest.fixture(scope="module")
def boxes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoBoxes]:
    require_pbx_tools()  # module scope: set up before the per-test fixtures that would skip
    two = TwoBoxes(tmp_path_factory.mktemp("two-boxes"))
    try:
        two.a.start()
        two.b.start()
        two.pbx.start()
        yield two
    finally:
        two.pbx.stop()
        two.b.stop()
        two.a.stop()


async def calls(boxes: TwoBoxes, workdir: Path, n: int) -> None:
    for i in range(n):
        result = await call_through(workdir, boxes.pbx.port, callee="reception", hold_ms=800)
        assert result.ok, f"call {i + 1}: {result.errors}\n{boxes.diagnostics()}"


async def test_calls_spread_over_both_boxes(boxes: TwoBoxes, tmp_path: Path) -> None:
    before = boxes.answered()
    await calls(boxes, tmp_path, 4)
    assert await until(lambda: sum(boxes.answered()) - sum(before) == 4, 10), boxes.diagnostics()
    a, b = (now - then for now, then in zip(boxes.answered(), before))
    assert (a, b) == (2, 2), boxes.diagnostics()  # round-robin: every other call


def open_stay(box: Box, token: str, nights: int = 3) -> tuple[date, date, str]:
    """The first cat-room stay from 20 days ahead that the calendar takes (the hotel closes on holidays)."""
    for ahead in range(20, 60):
        start = date.today() + timedelta(days=ahead)
        end = start + timedelta(days=nights)
        query = f"/api/v1/availability?room_type=cat&start={start.isoformat()}&end={end.isoformat()}"
        if box.request("GET", query, token=token)["available"]:
            return start, end, f"from {start:%B} {start.day} to {end:%B} {end.day}"
    raise AssertionError("no open stay in the next two months")


def book(box: Box, pet: str, phone: str, when: str) -> dict:
    """A web-chat booking of a cat room on `box`, up to its summary; returns the summary reply."""
    summary = box.chat(f"Hi, I'd like to book a room for my cat {pet} {when}. My number is {phone}.")
    assert "Shall I book it?" in summary["reply"], summary["reply"]
    return summary


async def test_both_boxes_book_into_one_calendar_and_the_last_room_goes_once(boxes: TwoBoxes) -> None:
    a, b = boxes.a, boxes.b
    start, end, when = open_stay(a, boxes.token_a)
    codes = []
    for box, pet, phone in ((a, "Luna", "+372 5100 0001"), (b, "Mia", "+372 5100 0002"), (a, "Tom", "+372 5100 0003")):
        summary = book(box, pet, phone, when)
        done = box.chat("Yes", summary["session_id"])
        assert done["booking"] and done["booking"]["status"] == "confirmed", (box.name, done["reply"])
        codes.append(done["booking"]["code"])
    # 3 of the 4 cat rooms are taken; two callers, one on each box, confirm the last one at once
    on_a, on_b = book(a, "Felix", "+372 5100 0004", when), book(b, "Oscar", "+372 5100 0005", when)
    answers = await asyncio.gather(asyncio.to_thread(a.chat, "Yes", on_a["session_id"]),
                                   asyncio.to_thread(b.chat, "Yes", on_b["session_id"]))
    won = [r for r in answers if r["booking"] and r["booking"]["status"] == "confirmed"]
    assert len(won) == 1, [r["reply"] for r in answers]
    lost = next(r for r in answers if r is not won[0])
    assert "no cat room free" in lost["reply"], lost["reply"]  # told at once, with other dates to pick from
    codes.append(won[0]["booking"]["code"])

    query = f"/api/v1/bookings?from={start.isoformat()}&to={(end - timedelta(days=1)).isoformat()}&status=confirmed"
    calendar = a.request("GET", query, token=boxes.token_a)["bookings"]
    assert sorted(bk["code"] for bk in calendar) == sorted(codes)  # B's bookings are in A's calendar
    assert b.request("GET", query, token=boxes.token_b_own)["bookings"] == []  # B keeps no calendar of its own


async def test_a_busy_box_passes_the_call_to_the_other(boxes: TwoBoxes, tmp_path: Path) -> None:
    held: list[asyncio.Task] = []
    try:
        while True:  # long calls until one is on box B, which takes one call at a time (max_calls = 1)
            before = boxes.answered()
            held.append(asyncio.create_task(call_through(tmp_path, boxes.pbx.port, hold_ms=8000, timeout_s=40)))
            assert await until(lambda: sum(boxes.answered()) > sum(before), 10), boxes.diagnostics()
            if boxes.answered()[1] > before[1]:
                break
            assert len(held) < 2, boxes.diagnostics()  # round-robin: the second long call is B's
        before = boxes.answered()
        await calls(boxes, tmp_path, 2)  # one of them is B's turn: B answers 486, the dispatcher asks A
        assert await until(lambda: boxes.answered()[0] - before[0] == 2, 10), boxes.diagnostics()
        assert boxes.answered()[1] == before[1]
        assert boxes.pbx.lines(r"box failed \(486\), trying box sip:127\.0\.0\.1:%d" % boxes.a.sip_port)
    finally:
        ended = await asyncio.gather(*held, return_exceptions=True)  # they hang up by themselves
    assert all(getattr(r, "ok", False) for r in ended), ended


async def test_a_stopped_box_gets_no_calls_and_a_restarted_one_gets_them_again(boxes: TwoBoxes,
                                                                             tmp_path: Path) -> None:
    boxes.b.stop()
    down = f"receptionist box down: sip:127.0.0.1:{boxes.b.sip_port}"
    assert await until(lambda: boxes.pbx.lines(down), 20), boxes.diagnostics()  # the keep-alives noticed
    before = boxes.answered()
    await calls(boxes, tmp_path, 3)
    assert await until(lambda: boxes.answered()[0] - before[0] == 3, 10), boxes.diagnostics()
    assert boxes.answered()[1] == before[1]

    boxes.b.start()
    up = f"receptionist box up: sip:127.0.0.1:{boxes.b.sip_port}"
    assert await until(lambda: boxes.pbx.lines(up), 20), boxes.diagnostics()
    before = boxes.answered()
    await calls(boxes, tmp_path, 2)
    assert await until(lambda: sum(boxes.answered()) - sum(before) == 2, 10), boxes.diagnostics()
    assert boxes.answered()[1] - before[1] == 1, boxes.diagnostics()
