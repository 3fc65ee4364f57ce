"""Staff CLI against a real SQLite file, for both profiles."""

from __future__ import annotations

import click

from receptionist.booking.service import CalendarService
from receptionist.cli.main import main
from receptionist.clock import FakeClock
from receptionist.config import load_config
from tests.conftest import NOW

STAY = ["--room-type", "dog", "--from", "2026-12-01", "--to", "2026-12-04"]
OWNER = ["--name", "Kati Kask", "--phone", "5123 4567"]


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_every_staff_command_has_help_with_an_example(pet_cli):
    staff = {"bookings", "calendar", "callbacks", "customers", "demo-data", "config"}
    checked = 0
    for path, _ in all_commands(main):
        if path[0] in staff:
            result = pet_cli.ok(*path, "--help")
            assert "Example" in result.stdout, path
            checked += 1
    assert checked >= 14


def test_stay_create_list_show_move_cancel(pet_cli):
    booking = pet_cli.json("bookings", "create", *STAY, *OWNER, "--pet-name", "Rex", "--language", "et")
    code = booking["code"]
    assert (booking["price"], booking["phone"], booking["nights"], booking["details"]) == (
        "105.00", "+37251234567", 3, {"pet_name": "Rex", "pet_type": "dog"})
    listed = pet_cli.json("bookings", "list", "--from", "2026-12-01", "--to", "2026-12-31")
    assert [b["code"] for b in listed] == [code]
    assert pet_cli.json("bookings", "list", "--from", "2026-12-05") == []
    assert code in pet_cli.ok("bookings", "show", code.lower()).stdout
    moved = pet_cli.json("bookings", "move", code, "--from", "2026-12-02")  # keeps 3 nights
    assert (moved["start"], moved["end"], moved["code"]) == ("2026-12-02", "2026-12-05", code)
    assert "cancelled" in pet_cli.ok("bookings", "cancel", code).stdout
    assert [b["status"] for b in pet_cli.json("bookings", "list", "--status", "cancelled")] == ["cancelled"]
    table = pet_cli.ok("bookings", "list").stdout
    assert code in table and "+372 5123 4567" in table


def test_double_booking_is_refused_when_capacity_is_filled(pet_cli):
    cat = ["--room-type", "cat", "--from", "2026-12-01", "--to", "2026-12-03"]
    for n in range(4):
        pet_cli.ok("bookings", "create", *cat, "--name", f"Owner {n}", "--phone", f"+372 510{n} 000{n}")
    result = pet_cli.fails("bookings", "create", *cat, *OWNER)
    assert result.stderr.startswith("error [full]:")
    check = pet_cli.json("bookings", "check", *cat)
    assert check["available"] is False and check["reason"] == "full" and len(check["alternatives"]) == 3
    calendar = pet_cli.json("calendar", "--from", "2026-11-30", "--days", "3")
    assert calendar["rows"][1]["counts"] == [0, 4, 4]
    assert "4/4" in pet_cli.ok("calendar", "--from", "2026-11-30", "--days", "3").stdout


def test_errors_exit_non_zero_with_a_clear_message(pet_cli):
    assert pet_cli.fails("bookings", "create", *STAY, "--name", "X", "--phone", "123").stderr \
        .startswith("error [invalid-phone]:")
    assert "Invalid value for '--from'" in pet_cli.fails("bookings", "create", "--room-type", "dog", "--from",
                                                          "2026-13-01", "--to", "2026-12-04", *OWNER).stderr
    past = ["--room-type", "dog", "--from", "2026-11-01", "--to", "2026-11-04"]
    assert pet_cli.fails("bookings", "create", *past, *OWNER).stderr.startswith("error [past-date]:")
    assert pet_cli.fails("bookings", "create", "--room-type", "dog", "--from", "2026-12-24", "--to", "2026-12-27",
                         *OWNER).stderr.startswith("error [closed]:")
    assert pet_cli.fails("bookings", "show", "BK-1234").stderr.startswith("error [not-found]:")
    assert pet_cli.fails("bookings", "cancel", "nonsense").stderr.startswith("error [not-found]:")
    assert pet_cli.fails("bookings", "move", "BK-1234", "--from", "2026-12-02").stderr.startswith("error [not-found]")
    assert "books stays" in pet_cli.fails("bookings", "create", "--service", "checkup", *OWNER).stderr
    assert pet_cli.fails("bookings", "list", "--tenant", "nope").stderr.startswith("error [unknown-tenant]:")
    assert pet_cli.fails("customers", "show", "+372 5999 9999").stderr.startswith("error [not-found]:")


def test_appointment_create_move_cancel_and_refuse_taken_slot(clinic_cli):
    booking = clinic_cli.json("bookings", "create", "--service", "checkup", "--at", "2026-12-01 10:00",
                              "--name", "Mari Tamm", "--phone", "+372 5123 4567")
    code = booking["code"]
    assert (booking["start"], booking["practitioner_id"], booking["price"], booking["language"]) == (
        "2026-12-01T10:00:00+02:00", "dr-tamm", "45.00", "et")
    taken = clinic_cli.fails("bookings", "create", "--service", "blood-test", "--at", "2026-12-01 10:10", *OWNER)
    assert taken.stderr.startswith("error [full]:")
    lunch = clinic_cli.fails("bookings", "create", "--service", "checkup", "--at", "2026-12-01 11:50", *OWNER)
    assert lunch.stderr.startswith("error [outside-hours]:")
    moved = clinic_cli.json("bookings", "move", code, "--at", "2026-12-02 14:00")
    assert moved["start"] == "2026-12-02T14:00:00+02:00"
    listed = clinic_cli.json("bookings", "list", "--from", "2026-12-02", "--to", "2026-12-02")
    assert [b["code"] for b in listed] == [code]
    assert "moved" in clinic_cli.ok("bookings", "move", code, "--at", "2026-12-02 15:00").stdout
    clinic_cli.ok("bookings", "cancel", code)
    assert clinic_cli.json("bookings", "show", code)["status"] == "cancelled"
    assert "books appointments" in clinic_cli.fails("bookings", "create", *STAY, *OWNER).stderr
    assert "Invalid value for '--at'" in clinic_cli.fails("bookings", "create", "--service", "checkup", "--at",
                                                          "tomorrow", *OWNER).stderr
    view = clinic_cli.json("calendar", "--days", "2")
    assert view["days"] == ["2026-11-24", "2026-11-25"]


def test_callbacks_and_customers(clinic_cli):
    config = load_config(clinic_cli.config)
    calendar = CalendarService(config.app.database, config, FakeClock(NOW))
    cb = calendar.add_callback("kesklinna", phone="5123 4567", name="Mari", reason="test results", language="et")
    calendar.close()
    listed = clinic_cli.json("callbacks", "list")
    assert [c["id"] for c in listed] == [cb.id] and listed[0]["reason"] == "test results"
    assert "test results" in clinic_cli.ok("callbacks", "list").stdout
    assert "marked done" in clinic_cli.ok("callbacks", "done", str(cb.id)).stdout
    assert clinic_cli.json("callbacks", "list") == []
    assert len(clinic_cli.json("callbacks", "list", "--status", "all")) == 1
    assert clinic_cli.fails("callbacks", "done", "999").stderr.startswith("error [not-found]:")

    clinic_cli.ok("bookings", "create", "--service", "vaccination", "--at", "2026-12-02 09:00", "--name", "Mari",
                  "--phone", "+372 5123 4567", "--language", "en")
    customer = clinic_cli.json("customers", "show", "5123 4567")
    assert (customer["name"], customer["phone"], customer["language"]) == ("Mari", "+37251234567", "en")
    assert len(customer["bookings"]) == 1


def test_demo_data_is_idempotent_for_every_tenant(two_cli):
    first = two_cli.ok("demo-data").stdout
    assert "pawsome: 6 demo bookings created" in first and "kesklinna: 6 demo bookings created" in first
    assert "already present" in two_cli.ok("demo-data", "--tenant", "kesklinna").stdout
    assert len(two_cli.json("bookings", "list")) == 6
    assert len(two_cli.json("bookings", "list", "--tenant", "kesklinna")) == 6
