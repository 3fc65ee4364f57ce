"""Staff CLI for the restaurant profile (examples/restaurant.toml): create, list, move and cancel table
bookings; the smallest free table that seats the party is taken; the listing shows party and time."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli
from tests.conftest import REPO, copy_config

OWNER = ("--name", "Mari Tamm", "--phone", "5123 4567")


@pytest.fixture
def restaurant_cli(tmp_path) -> Cli:
    return Cli(copy_config(REPO / "examples/restaurant.toml", tmp_path))


def test_table_create_list_move_cancel(restaurant_cli):
    cli = restaurant_cli
    booking = cli.json("bookings", "create", "--party", "4", "--at", "2026-12-01 19:00", *OWNER,
                       "--dietary", "one vegetarian")
    code = booking["code"]
    assert (booking["kind"], booking["party_size"], booking["table_id"], booking["start"], booking["price"]) == (
        "table", 4, "t3", "2026-12-01T19:00:00+02:00", "0.00")
    assert booking["details"] == {"dietary": "one vegetarian", "party_size": "4"}
    second = cli.json("bookings", "create", "--party", "3", "--at", "2026-12-01 19:30", *OWNER)
    assert second["table_id"] == "t4"  # t3 is taken until 21:00: the next table that seats three
    listing = cli.ok("bookings", "list", "--from", "2026-12-01", "--to", "2026-12-01").stdout
    assert "4 guests 2026-12-01 19:00 at table t3" in listing and code in listing
    late = cli.fails("bookings", "create", "--party", "2", "--at", "2026-12-01 21:00", *OWNER)
    assert late.stderr.startswith("error [closed]:")  # a sitting must end by closing time (22:00 on Tuesdays)
    too_many = cli.fails("bookings", "create", "--party", "9", "--at", "2026-12-01 18:00", *OWNER)
    assert "largest table seats 8" in too_many.stderr
    moved = cli.json("bookings", "move", code, "--at", "2026-12-02 18:00", "--party", "6")
    assert (moved["start"], moved["party_size"], moved["table_id"]) == ("2026-12-02T18:00:00+02:00", 6, "t5")
    cli.ok("bookings", "cancel", code)
    assert cli.json("bookings", "show", code)["status"] == "cancelled"
    assert "books tables: give --party and --at" in cli.fails("bookings", "create", "--service", "x", *OWNER).stderr
    view = cli.json("calendar", "--from", "2026-12-01", "--days", "2")
    assert [r["resource_id"] for r in view["rows"]] == ["t1", "t2", "t3", "t4", "t5", "t6"]
    assert view["rows"][3]["counts"] == [1, 0]
