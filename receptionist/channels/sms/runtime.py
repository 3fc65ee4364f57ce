"""`start_sms(...)`: the SMS channel wired up — modem link, outbox loop, incoming texts to the agent,
confirmations for bookings made on any channel. `await runtime.close()` stops it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from receptionist.agent.conversation import Agent
from receptionist.channels.sms.channel import SmsChannel
from receptionist.channels.sms.confirmations import Confirmations
from receptionist.channels.sms.modem import ModemLink
from receptionist.channels.sms.outbox import Outbox
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.dbworker import DbWorker

log = logging.getLogger(__name__)


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
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.link.close()


async def start_sms(config: AppConfig, agent: Agent, worker: DbWorker, clock: Clock, *,
                    link: ModemLink | None = None) -> SmsRuntime:
    """Start the channel (call only when [sms].enabled). A missing modem is logged and retried, never fatal."""
    cfg = config.channels.sms
    tenant = config.tenant(cfg.tenant)
    link = link or ModemLink(cfg.port, cfg.baudrate, pin=cfg.pin, retry_s=min(5.0, cfg.retry_interval_s),
                             max_retry_s=cfg.max_retry_interval_s)
    outbox = Outbox(worker, link, clock, retry_s=cfg.retry_interval_s, max_retry_s=cfg.max_retry_interval_s)
    channel = SmsChannel(agent, outbox, tenant, clock, max_parts=cfg.max_parts)
    confirmations = Confirmations(outbox, config) if cfg.confirmations else None
    if confirmations is not None:
        agent.booking_listeners.append(confirmations)
    runtime = SmsRuntime(link, outbox, channel, confirmations, agent)
    def connected() -> None:
        runtime.tasks.append(asyncio.create_task(outbox.retry_now()))

    await link.start(channel.receive, connected)
    runtime.tasks.append(asyncio.create_task(outbox.run(), name="sms-outbox"))
    log.info("sms channel started (tenant %s, confirmations %s)", tenant.id, "on" if confirmations else "off")
    return runtime
