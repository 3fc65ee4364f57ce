"""Each profile says how its requests travel as the availability check's query (the HTTP backend asks
another appliance's staff API with it), and the staff API decodes exactly the parameters the profiles
declare."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from receptionist import profiles
from receptionist.booking.models import AppointmentRequest, StayRequest
from receptionist.channels.http.staff_api import _AVAIL
from receptionist.profiles.table import TableRequest

TZ = ZoneInfo("Europe/Tallinn")
REQUESTS = [
    StayRequest("dog", date(2026, 12, 10), date(2026, 12, 15)),
    AppointmentRequest("checkup", datetime(2026, 12, 1, 10, 30, tzinfo=TZ), "dr-tamm"),
    AppointmentRequest("checkup", datetime(2026, 12, 1, 10, 30, tzinfo=TZ)),
    TableRequest(4, datetime(2026, 12, 1, 19, 0, tzinfo=TZ), "t2"),
    TableRequest(2, datetime(2026, 12, 1, 19, 0, tzinfo=TZ)),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: type(r).__name__)
def test_a_request_survives_the_availability_query(request_):
    query = profiles.for_request(request_).availability_query(request_)
    assert all(isinstance(v, str) for v in query.values())  # a URL query
    assert profiles.request_from_dict(query, TZ) == request_


def test_the_staff_api_reads_what_every_profile_declares():
    read = {p.name for p in _AVAIL}
    for name in profiles.names():
        assert {p.name for p in profiles.get(name).query_params} <= read
    assert {"tenant", "start"} <= read


def test_the_staff_cli_offers_every_option_the_profiles_declare():
    from receptionist.cli.staff import check_cmd, create_cmd, move_cmd

    for command, create in ((check_cmd, False), (create_cmd, True), (move_cmd, False)):
        offered = {opt for param in command.params for opt in param.opts}
        for name in profiles.names():
            declared = {o.flag for o in profiles.get(name).staff_flags if create or not o.create_only}
            assert declared <= offered, (command.name, name)
