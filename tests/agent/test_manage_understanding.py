"""Changing a booking from its own number: the new day said in the request itself is used (and read
back before anything changes), an appointment's one day is found however it is introduced, and the
new-dates question is never asked a third time."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from tests.agent.harness import Conversation, ScriptedModel, prefill

OWNER = "+37251234567"


def _talk(config, tmp_path, clock, items, lines):
    db = tmp_path / "cal.db"
    (booking,) = prefill(config, db, clock, items)
    conv = Conversation(config, db, clock, model=ScriptedModel(), channel="sms", caller_id=OWNER)
    try:
        replies = [asyncio.run(conv.say(line)) for line in lines]
        calendar = conv.calendar()
        try:
            return replies, calendar.get(conv.tenant.id, booking.code)
        finally:
            calendar.close()
    finally:
        conv.close()


STAY = [{"room_type": "dog", "start": "2026-12-10", "end": "2026-12-14", "phone": "+372 5123 4567", "pet_name": "Rex"}]
APPOINTMENT = [{"service": "checkup", "at": "2026-12-08T10:00", "phone": "+372 5123 4567", "name": "Mari Tamm"}]


def test_an_appointment_moved_to_a_weekday_and_time_in_one_sentence(clinic_config, tmp_path, clock):
    replies, moved = _talk(clinic_config, tmp_path, clock, APPOINTMENT,
                           ["I need to reschedule my appointment to Thursday at 2 pm", "yes"])
    assert "Thursday 26 November 14:00" in replies[0].text  # today is Tuesday 24 November
    assert moved.request.start.replace(tzinfo=None) == datetime(2026, 11, 26, 14, 0)


def test_a_stay_moved_to_next_friday_keeps_its_length(pet_config, tmp_path, clock):
    replies, moved = _talk(pet_config, tmp_path, clock, STAY, ["Здравствуйте, хочу перенести бронь на следующую пятницу", "да"])
    assert "4 декабря (пятница)" in replies[0].text
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 4), date(2026, 12, 8))


def test_the_old_start_named_in_the_request_is_not_taken_for_the_new_one(pet_config, tmp_path, clock):
    replies, kept = _talk(pet_config, tmp_path, clock, STAY, ["I need to move my booking from the 10th"])
    assert "What are the new dates?" in replies[0].text and kept.request.start == date(2026, 12, 10)


def test_new_dates_are_asked_at_most_twice_then_a_colleague_is_offered(pet_config, tmp_path, clock):
    replies, kept = _talk(pet_config, tmp_path, clock, STAY, ["I need to move my booking", "hmm", "no idea"])
    assert "For example" in replies[1].text and "call you back" in replies[2].text
    assert kept.request.start == date(2026, 12, 10) and kept.status == "confirmed"


def test_a_new_time_is_not_read_as_a_new_day(clinic_config, tmp_path, clock):
    replies, moved = _talk(clinic_config, tmp_path, clock, APPOINTMENT, ["Can you move my appointment on the 8th to 2 pm?", "yes"])
    assert "Tuesday 8 December 14:00" in replies[0].text
    assert moved.request.start.replace(tzinfo=None) == datetime(2026, 12, 8, 14, 0)


def test_the_day_it_has_now_is_not_the_new_day(clinic_config, tmp_path, clock):
    replies, moved = _talk(clinic_config, tmp_path, clock, APPOINTMENT,
                           ["Перенесите, пожалуйста, мой осмотр с восьмого декабря на десятое, в десять утра", "да"])
    assert moved.request.start.replace(tzinfo=None) == datetime(2026, 12, 10, 10, 0)


def test_an_estonian_adjective_names_the_booked_day_not_the_new_one(clinic_config, tmp_path, clock):
    replies, moved = _talk(clinic_config, tmp_path, clock, APPOINTMENT,
                           ["Palun tõstke mu teisipäevane üldkontroll järgmise nädala neljapäevale kell 11", "jah"])
    assert moved.request.start.replace(tzinfo=None) == datetime(2026, 12, 3, 11, 0)


def test_a_stay_moved_by_an_amount(pet_config, tmp_path, clock):
    replies, moved = _talk(pet_config, tmp_path, clock, STAY, ["Tahaksin broneeringut muuta", "kaks päeva hiljem", "jah"])
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 12), date(2026, 12, 16))


def test_move_from_the_old_start_to_a_new_one_keeps_the_length(pet_config, tmp_path, clock):
    replies, moved = _talk(pet_config, tmp_path, clock, STAY, ["Can you move my booking from the 10th to the 12th?", "yes"])
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 12), date(2026, 12, 16))


def test_a_stay_extended(pet_config, tmp_path, clock):
    replies, moved = _talk(pet_config, tmp_path, clock, STAY, ["Can we extend Rex's stay until the 16th?", "yes"])
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 10), date(2026, 12, 16))


def test_an_appointment_moved_a_day_later(clinic_config, tmp_path, clock):
    replies, moved = _talk(clinic_config, tmp_path, clock, APPOINTMENT, ["перенесите мой приём на день позже", "да"])
    assert moved.request.start.replace(tzinfo=None) == datetime(2026, 12, 9, 10, 0)


def test_collected_two_days_earlier(pet_config, tmp_path, clock):
    items = [{"room_type": "cat", "start": "2026-12-10", "end": "2026-12-16", "phone": "+372 5123 4567", "pet_name": "Маркиз"}]
    replies, moved = _talk(pet_config, tmp_path, clock, items,
                           ["Заберём Маркиза на два дня раньше, 14-го, поправьте, пожалуйста, бронь", "да"])
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 10), date(2026, 12, 14))


def test_the_replaced_day_is_left_out(pet_config, tmp_path, clock):
    items = [{"room_type": "dog", "start": "2026-12-10", "end": "2026-12-16", "phone": "+372 5123 4567", "pet_name": "Willow"}]
    replies, moved = _talk(pet_config, tmp_path, clock, items,
                           ["We're back early, so can Willow's stay finish on the 14th instead of the 16th?", "yes"])
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 10), date(2026, 12, 14))


def test_a_new_time_on_the_same_day_instead_of_the_old_one(clinic_config, tmp_path, clock):
    replies, moved = _talk(clinic_config, tmp_path, clock, APPOINTMENT,
                           ["Kas üldkontrolli saaks jätta samale päevale, aga kell kümne asemel pool kolm päeval?", "jah"])
    assert moved.request.start.replace(tzinfo=None) == datetime(2026, 12, 8, 14, 30)


def test_one_of_two_bookings_picked_by_its_pet(pet_config, tmp_path, clock):
    db = tmp_path / "two.db"
    prefill(pet_config, db, clock, [*STAY, {"room_type": "cat", "start": "2026-12-11", "end": "2026-12-13",
                                             "phone": "+372 5123 4567", "pet_name": "Tiiu"}])
    conv = Conversation(pet_config, db, clock, model=ScriptedModel(), channel="sms", caller_id=OWNER)
    try:
        asyncio.run(conv.say("Our trip's off, so please scrap the booking for the cat"))
        asyncio.run(conv.say("yes"))
        calendar = conv.calendar()
        statuses = {b.details["pet_name"]: b.status for b in calendar.list_bookings(conv.tenant.id)}
        calendar.close()
        assert statuses == {"Rex": "confirmed", "Tiiu": "cancelled"}
    finally:
        conv.close()


def test_two_more_nights_are_added(pet_config, tmp_path, clock):
    replies, moved = _talk(pet_config, tmp_path, clock, STAY, ["Tere, Rexile oleks vaja veel kaks ööd", "jah"])
    assert (moved.request.start, moved.request.end) == (date(2026, 12, 10), date(2026, 12, 16))
