"""`simulate-call --real-agent`: the call runs under the configured tenant, and a call whose replies failed
says so (the error code) instead of passing as a normal call. Fake speech engines, the real agent (rules only)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from receptionist.app import build_brain
from receptionist.audio.pcm import AudioChunk
from receptionist.backends.fakes import EnergyVad, FakeStt, FakeTts, ScriptedBrain, tone
from receptionist.cli.main import main as cli
from receptionist.cli.voice import simulation_tenant
from receptionist.clock import FakeClock
from receptionist.config.app import load_config
from receptionist.config.voice import VoiceConfig
from receptionist.errors import ConfigError
from receptionist.events import AgentReply
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.simulate import CallerLine, ReplyAudit, ReplyFailure, simulate_call
from tests.conftest import NOW, PET_CONFIG


@pytest.fixture
def agent(tmp_path: Path):
    config = load_config(PET_CONFIG)
    brain = build_brain(config, clock=FakeClock(NOW), database=tmp_path / "cal.db", model=None)
    yield config, brain.agent
    brain.close()


async def one_turn_call(brain, tenant_id: str) -> ReplyAudit:
    engines = VoiceEngines(lambda: EnergyVad(), FakeStt("What time is check in?"), {"en": FakeTts(16000)})
    audit = ReplyAudit(brain)
    try:
        await simulate_call(engines, VoiceConfig(), [CallerLine(AudioChunk(tone(1.5), 16000))], brain=audit,
                            languages=("en",), sink_rate=16000, tenant_id=tenant_id, start=NOW)
    finally:
        engines.close()
    return audit


async def test_the_configured_tenant_answers_a_simulated_call(agent) -> None:
    config, brain = agent
    audit = await one_turn_call(brain, simulation_tenant(config, None, real_agent=True))
    assert audit.replies == 2 and audit.failures == [] and audit.summary() == ""


async def test_a_tenant_the_agent_does_not_know_fails_every_reply_with_its_code(agent) -> None:
    _, brain = agent
    audit = await one_turn_call(brain, "default")  # what simulate-call used before it read the config
    assert audit.failures == [ReplyFailure(0, "config-invalid"), ReplyFailure(1, "config-invalid")]
    assert audit.summary() == "2 of 2 replies failed: [config-invalid] turns 0, 1"


async def test_the_agents_own_apology_counts_as_a_failed_reply() -> None:
    def apology(msg):
        return AgentReply(msg.session_id, "en", ("I'm sorry, something went wrong on my side.",), "error")

    audit = await one_turn_call(ScriptedBrain(reply=apology), "default")
    assert audit.failures == [ReplyFailure(1, "agent-error")]


def test_simulated_calls_run_under_the_default_tenant_or_the_one_asked_for() -> None:
    config = load_config(PET_CONFIG)
    assert simulation_tenant(config, None, real_agent=True) == config.default_tenant.id == "pawsome"
    assert simulation_tenant(config, "pawsome", real_agent=False) == "pawsome"
    assert simulation_tenant(None, None, real_agent=False) == "default"  # canned brain, no config file
    with pytest.raises(ConfigError, match="unknown tenant 'nosuch'"):
        simulation_tenant(config, "nosuch", real_agent=True)
    with pytest.raises(ConfigError, match="needs a config file"):
        simulation_tenant(None, None, real_agent=True)


def test_an_unknown_tenant_stops_the_command_with_its_error_code(tmp_path: Path) -> None:
    wav = tmp_path / "caller.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((tone(0.5) * 32767).astype(np.int16).tobytes())
    result = CliRunner().invoke(cli, ["--config", str(PET_CONFIG), "simulate-call", "--real-agent",
                                      "--tenant", "nosuch", str(wav), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "[config-invalid]" in result.output and "nosuch" in result.output
