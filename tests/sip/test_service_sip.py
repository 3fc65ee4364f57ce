"""The whole appliance as `receptionist serve` starts it (agent, HTTP shim, SIP line with the real
speech models) answers a call from sipp; the caller's turn timings reach the conversation log."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import aiohttp
import numpy as np
import pytest

from siphelpers import until
from receptionist.audio.pcm import AudioChunk
from receptionist.config.app import load_config
from receptionist.service import start_service
from sipmedia import LoopbackCapture, ulaw_file
from sippkit import Sipp, free_port, stream
from tests.conftest import REPO

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_sip_tools")]


def piper(text: str) -> AudioChunk:
    from receptionist.backends.piper_tts import PiperTts

    voice = PiperTts(REPO / "models/piper/en_US-joe-medium.onnx")
    return AudioChunk(np.concatenate(list(voice.synthesize(text))), voice.sample_rate)


async def test_serve_answers_the_phone_and_logs_turn_timings(tmp_path: Path) -> None:
    base = load_config(REPO / "config.toml")
    config = replace(
        base,
        app=replace(base.app, database=tmp_path / "cal.db", data_dir=tmp_path),
        channels=replace(base.channels, sip=replace(base.channels.sip, enabled=True, port=0),
                         http=replace(base.channels.http, port=0)),
    )
    caller = ulaw_file(tmp_path / "caller.ulaw", piper("What are your opening hours on Sunday?"))
    running = await start_service(config, model=None)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{running.ports['http']}/readyz") as resp:
                assert resp.status == 200
        media = free_port(pair=True)
        async with LoopbackCapture(tmp_path / "bot.pcap", media) as capture:
            result = await Sipp(tmp_path, running.ports["sip"]).run(
                "call", media_port=media, play=stream(caller), hold_ms=16000, timeout_s=60)
        assert result.ok, result.errors
        assert len(capture.audio().samples) > 8000 * 5  # the bot talked (greeting and answer)
        worker = running.brain.worker

        def log_rows(db):
            return db.execute("SELECT role, text, meta_json FROM messages ORDER BY id").fetchall()

        assert await until(lambda: True, 0.5)
        rows = await worker.run(log_rows)
        spoken = [r[1] for r in rows if r[0] == "caller"]
        assert any("sunday" in t.lower() for t in spoken), rows
        bot = [r[1] for r in rows if r[0] == "bot"]
        assert any("10:00–16:00" in t for t in bot), bot
        timings = [json.loads(r[2]) for r in rows if r[0] == "tool"]
        assert any("TurnTiming" in t for t in timings), rows
    finally:
        await running.stop()
