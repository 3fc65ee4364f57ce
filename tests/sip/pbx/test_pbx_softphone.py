"""A real softphone through the PBX: Kamailio (examples/kamailio/registrar.cfg, digest auth) is the clinic's
registrar/proxy, the appliance's line registers with it as `reception`, and baresip registers as another
user (the caller's number) and calls sip:reception@<the PBX>. Kamailio hands the INVITE to the line's
registered contact; the media flows between the two phones directly. With the packaged models and the
real agent the spoken English booking (Piper lines as baresip's microphone) ends with the booking row in
SQLite and the confirmation code audible in baresip's recording, over G.722 end to end
(softphone/booking.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit import REGISTRAR_CFG, Kamailio
from pbxkit import line_config
from siphelpers import running_line, until
from receptionist.channels.sip.events import CallOffered
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from softphone.baresip import Baresip, baresip_available
from softphone.booking import CALLER, LINES, assert_booked_and_heard, book_by_phone
from softphone.caller import PoliteSoftphone, prepare_lines

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_kamailio")]

PHONE_PASSWORD = "Desk-Phone-7"


@pytest.fixture
def pbx(tmp_path: Path, need_kamailio: None):
    """The registrar with two accounts: the appliance's line and the caller's softphone."""
    if not baresip_available():
        pytest.skip("baresip is not installed (Debian package baresip-core)")
    kamailio = Kamailio(tmp_path, REGISTRAR_CFG, accounts={"reception": "s3cret", CALLER: PHONE_PASSWORD})
    kamailio.start()
    yield kamailio
    kamailio.stop()


async def test_a_softphone_books_by_calling_the_appliance_through_the_pbx(tmp_path: Path, pbx: Kamailio, brain,
                                                                          sip_engines) -> None:
    config, b = brain
    voice_cfg, engines = sip_engines
    tenant = config.default_tenant
    lines = prepare_lines(engines.voices["en"], LINES, tmp_path)
    events: list = []
    sessions = voice_sessions(engines, voice_cfg, SystemClock(), tenant.languages)
    async with running_line(line_config(pbx.port), b.agent, b.local, tenant, sessions, events) as line:
        assert await until(lambda: line.registration is not None and line.registration.registered, 15), pbx.tail()
        account = f'auth_pass={PHONE_PASSWORD};outbound="sip:127.0.0.1:{pbx.port};lr";regint=60'
        async with Baresip(tmp_path, user=CALLER, domain=f"127.0.0.1:{pbx.port}", account=account) as phone:
            assert await until(lambda: pbx.lines(rf"REGISTER ok: \{CALLER} from"), 15), pbx.tail() + phone.log_tail()
            caller = PoliteSoftphone(phone, events)
            await book_by_phone(caller, f"sip:reception@127.0.0.1:{pbx.port}", lines)
        assert await until(lambda: line.active_calls == 0, 5)
    offered = next(e for e in events if isinstance(e, CallOffered))
    assert offered.source == f"127.0.0.1:{pbx.port}"  # the INVITE came from the proxy, not the phone
    assert offered.caller_id == CALLER
    assert caller.audio.codec == "G722/16000"
    assert_booked_and_heard(config.app.database, events, caller, engines.stt)
