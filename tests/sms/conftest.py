from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from receptionist.app import build_brain
from receptionist.channels.sms.runtime import start_sms
from tests.http.shim import shim_config
from tests.sms.fakemodem import FakeModem


async def eventually(condition, timeout: float = 10.0, what: str = "condition"):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def sms_config(tmp_path, port, **sms):
    """The shim's config with the SMS channel on `port` and quick retries."""
    config = shim_config(tmp_path)
    sms_cfg = replace(config.channels.sms, enabled=True, port=str(port), retry_interval_s=0.2,
                      max_retry_interval_s=60.0, **sms)
    return replace(config, channels=replace(config.channels, sms=sms_cfg))


class SmsEnv:
    def __init__(self, tmp_path, clock, *, modem: FakeModem | None = None, **sms) -> None:
        self.modem = modem or FakeModem(tmp_path / "ttyFAKE")
        self.config = sms_config(tmp_path, self.modem.path, **sms)
        self.clock = clock
        self.brain = build_brain(self.config, clock=clock, model=None)
        self.runtime = None

    async def start(self) -> "SmsEnv":
        self.runtime = await start_sms(self.config, self.brain.agent, self.brain.worker, self.clock)
        await eventually(lambda: self.runtime.link.connected, what="modem connect")
        return self

    async def start_without_modem(self) -> "SmsEnv":
        self.runtime = await start_sms(self.config, self.brain.agent, self.brain.worker, self.clock)
        return self

    async def stop(self) -> None:
        """Stop the channel and drop everything in memory; the database (and the modem) stay."""
        if self.runtime is not None:
            await self.runtime.close()
            self.runtime = None
        self.brain.close()
        self.brain = None

    def restart(self) -> None:
        """A new process: a fresh brain on the same database file (call start() next)."""
        self.brain = build_brain(self.config, clock=self.clock, model=None)

    async def db(self, fn, *args):
        return await self.brain.worker.run(fn, *args)

    async def replies(self, count: int, timeout: float = 10.0) -> list[tuple[str, str]]:
        await eventually(lambda: len(self.modem.messages()) >= count, timeout, f"{count} sent texts")
        return self.modem.messages()

    async def close(self) -> None:
        if self.runtime is not None:
            await self.runtime.close()
        self.modem.vanish()
        if self.brain is not None:
            self.brain.close()


@pytest.fixture
async def sms_env(tmp_path, clock):
    env = SmsEnv(tmp_path, clock)
    await env.start()
    yield env
    await env.close()
