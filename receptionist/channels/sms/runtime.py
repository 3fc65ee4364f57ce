"""`start_sms(...)`: the SMS channel wired up — modem link, inbox (texts kept before they leave the SIM),
outbox loop, incoming texts to the agent, confirmations (see confirmations.py for who gets one).
Texts left unanswered by a crash are answered at start. `await runtime.close()` stops it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Callable

from receptionist.agent.conversation import Agent
from receptionist.channels.sms.channel import SmsChannel
from receptionist.channels.sms.confirmations import Confirmations
from receptionist.channels.sms.modem import CLOSE_WAIT_S, ModemLink
from receptionist.channels.sms.outbox import Outbox
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.dbworker import DbWorker

log = logging.getLogger(__name__)

PENDING_CHECK_S = 300.0  # a long message with a part that never came is answered within PARTS_WAIT + this


@dataclass
class SmsRuntime:
    link: ModemLink
    outbox: Outbox
    channel: SmsChannel
    confirmations: Confirmations | None
    agent: Agent
    tasks: list[asyncio.Task] = field(default_factory=list)

    async def close(self) -> None:
        if self.confirmations is not None and self.confirmations in self.agent.booking_listeners:
            self.agent.booking_listeners.remove(self.confirmations)
        for task in self.tasks:
            task.cancel()
        try:  # a task stuck on the serial port must not keep the service from stopping
            await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), CLOSE_WAIT_S)
            await asyncio.wait_for(self.channel.close(), CLOSE_WAIT_S)  # a text being answered stays 'new'
        except asyncio.TimeoutError:
            log.warning("sms channel tasks did not stop within %.0f s", CLOSE_WAIT_S)
        await self.link.close()


async def start_sms(config: AppConfig, agent: Agent, worker: DbWorker, clock: Clock, *,
                    link: ModemLink | None = None) -> SmsRuntime:
    """Start the channel (call only when [sms].enabled). A missing modem is logged and retried, never fatal."""
    cfg = config.channels.sms
    tenant = config.tenant(cfg.tenant)
    link = link or ModemLink(cfg.port, cfg.baudrate, pin=cfg.pin, retry_s=min(5.0, cfg.retry_interval_s),
                             max_retry_s=cfg.max_retry_interval_s)
    outbox = Outbox(worker, link, clock, retry_s=cfg.retry_interval_s, max_retry_s=cfg.max_retry_interval_s,
                    give_up_after_s=cfg.give_up_after_h * 3600)
    channel = SmsChannel(agent, outbox, worker, tenant, clock, max_parts=cfg.max_parts,
                         rate_limit=cfg.rate_limit_texts, rate_window_s=cfg.rate_limit_window_min * 60)
    confirmations = Confirmations(outbox, config, worker) if cfg.confirmations else None
    if confirmations is not None:
        agent.booking_listeners.append(confirmations)
    runtime = SmsRuntime(link, outbox, channel, confirmations, agent)

    def connected() -> None:
        runtime.tasks.append(asyncio.create_task(outbox.retry_now()))

    channel.kick()  # texts kept before a crash or restart and not answered yet
    await link.start(channel.keep, channel.kick, connected)
    runtime.tasks.append(asyncio.create_task(outbox.run(), name="sms-outbox"))
    runtime.tasks.append(asyncio.create_task(_every(PENDING_CHECK_S, channel.kick), name="sms-inbox-timer"))
    log.info("sms channel started (tenant %s, confirmations %s)", tenant.id, "on" if confirmations else "off")
    return runtime


async def _every(seconds: float, fn: Callable[[], None]) -> None:
    while True:
        await asyncio.sleep(seconds)
        fn()
