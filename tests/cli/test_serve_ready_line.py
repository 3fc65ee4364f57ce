"""`receptionist serve` ends its start-up with one line for a person on a terminal: what listens where."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

from receptionist.cli.serve_cmd import announce, ready_line
from receptionist.clock import FakeClock
from receptionist.config.channels import ChannelsConfig, HttpConfig, SmsConfig
from receptionist.config.sip import SipConfig
from receptionist.service import serve
from tests.conftest import NOW
from tests.http.shim import shim_config


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bundled_setup_says_web_chat_on_loopback_and_the_rest_off():
    assert ready_line(ChannelsConfig(), {"http": 8080}) == \
        "web chat on http://127.0.0.1:8080/, SIP off, SMS off — Ctrl-C to stop"


def test_the_ports_actually_bound_are_shown():
    channels = ChannelsConfig(http=HttpConfig(port=0))
    assert ready_line(channels, {"http": 43117}).startswith("web chat on http://127.0.0.1:43117/,")


def test_every_enabled_channel_says_where_it_listens():
    channels = ChannelsConfig(
        http=HttpConfig(host="0.0.0.0", port=80, staff_listen=("127.0.0.1", 8081)),
        sip=SipConfig(enabled=True, bind="192.168.1.20", port=5060, registrar="sip:pbx.clinic.lan"),
        sms=SmsConfig(enabled=True, port="/dev/ttyUSB2"))
    assert ready_line(channels, {"http": 80, "http-staff": 8081, "sip": 5060}) == (
        "web chat on http://127.0.0.1:80/ (all addresses), staff API on http://127.0.0.1:8081/, "
        "SIP on udp 192.168.1.20:5060 (registering with sip:pbx.clinic.lan), SMS on /dev/ttyUSB2 — Ctrl-C to stop")


def test_web_chat_turned_off_is_said_so():
    assert ready_line(ChannelsConfig(http=HttpConfig(enabled=False)), {}).startswith("web chat off, SIP off")


def test_the_line_is_printed_on_a_terminal_only():
    terminal, journal = Terminal(), io.StringIO()
    assert announce("web chat on …", terminal) and terminal.getvalue() == "web chat on …\n"
    assert not announce("web chat on …", journal) and journal.getvalue() == ""


async def test_the_service_announces_itself_once_everything_listens(tmp_path):
    config = shim_config(tmp_path, port=0)
    config = replace(config, llm=replace(config.llm, enabled=False))
    stop, lines = asyncio.Event(), []

    def on_ready(running) -> None:
        lines.append(ready_line(config.channels, running.ports))
        stop.set()

    await serve(config, clock=FakeClock(NOW), stop=stop, on_ready=on_ready)
    assert len(lines) == 1 and lines[0].startswith("web chat on http://127.0.0.1:")
    assert ":0/" not in lines[0] and lines[0].endswith("SIP off, SMS off — Ctrl-C to stop")
