"""How a dialogue's calendar is judged: what the caller meant, or a miss, or a wrong booking."""

from __future__ import annotations

from tests.dialogues.calendar_check import Snapshot, judge

WANT = {"status": "confirmed", "resource": "dog", "start": "2026-12-04", "end": "2026-12-06",
        "pet_name": "Rocky", "phone": "+372 5611 2093"}


def stay(code: str = "BK-1", status: str = "confirmed", **changes: str) -> Snapshot:
    values = {"resource": "dog", "resource_id": "dog", "service": "", "start": "2026-12-04", "end": "2026-12-06",
              "at": "", "pet_name": "Rocky", "name": "Rocky", "phone": "+37256112093", "price": "70.00",
              "language": "en"}
    return Snapshot(code, status, {**values, **changes})


def test_the_booking_the_caller_meant_passes() -> None:
    verdict = judge([stay()], [], [], {"bookings": [WANT]})
    assert verdict.ok


def test_a_booking_with_other_dates_is_wrong() -> None:
    verdict = judge([stay(start="2026-11-27", end="2026-11-29")], [], [], {"bookings": [WANT]})
    assert not verdict.ok
    assert len(verdict.wrong) == 1 and "start" in verdict.wrong[0] and "end" in verdict.wrong[0]


def test_a_name_not_in_its_base_form_is_wrong() -> None:
    verdict = judge([stay(pet_name="Rockyt")], [], [], {"bookings": [WANT]})
    assert len(verdict.wrong) == 1 and "pet_name" in verdict.wrong[0]


def test_no_booking_made_is_a_miss_not_a_wrong_booking() -> None:
    verdict = judge([], [], [], {"bookings": [WANT]})
    assert verdict.misses and not verdict.wrong


def test_a_booking_when_none_was_wanted_is_wrong() -> None:
    verdict = judge([stay()], [], [], {"bookings": []})
    assert len(verdict.wrong) == 1 and "no booking was expected" in verdict.wrong[0]


def test_a_cancel_not_done_is_a_miss() -> None:
    old = stay("BK-9")
    verdict = judge([], [old], [old], {"bookings": [], "prefilled": [{"status": "cancelled"}]})
    assert verdict.misses and not verdict.wrong


def test_the_expected_move_passes_and_another_move_is_wrong() -> None:
    old = stay("BK-9")
    moved = stay("BK-9", start="2026-12-07", end="2026-12-09")
    want = {"prefilled": [{"status": "confirmed", "start": "2026-12-07", "end": "2026-12-09"}]}
    assert judge([], [old], [moved], want).ok
    elsewhere = stay("BK-9", start="2026-12-08", end="2026-12-09")
    verdict = judge([], [old], [elsewhere], want)
    assert len(verdict.wrong) == 1 and "changed" in verdict.wrong[0]


def test_a_prefilled_booking_changed_without_being_asked_is_wrong() -> None:
    old = stay("BK-9")
    verdict = judge([], [old], [stay("BK-9", status="cancelled")], {"bookings": []})
    assert len(verdict.wrong) == 1


def test_a_wrong_booking_names_the_slots_it_got_wrong_without_values() -> None:
    verdict = judge([stay(pet_name="Brex")], [], [], {"bookings": [WANT]})
    assert verdict.wrong_fields == ("pet_name",)
    assert judge([stay()], [], [], {"bookings": [WANT]}).wrong_fields == ()
