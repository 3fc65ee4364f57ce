"""What the HTTP shim needs from the composition root, in one frozen value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

from receptionist.agent.conversation import Agent
from receptionist.channels.http.auth import ApiToken
from receptionist.channels.http.clientaddr import ClientHasher
from receptionist.booking.service import CalendarService
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.config.channels import HttpConfig
from receptionist.config.tenant import TenantConfig
from receptionist.dbworker import DbWorker


def _always() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class HttpServices:
    config: AppConfig
    agent: Agent
    worker: DbWorker  # the single database thread (calendar, conversations, tokens)
    clock: Clock
    ready: Callable[[], bool] = _always  # models loaded / warm (the database is checked separately)
    _calendar: list[CalendarService] = field(default_factory=list, repr=False, compare=False)

    @property
    def http(self) -> HttpConfig:
        return self.config.channels.http

    def chat_tenant(self, tenant_id: str | None) -> TenantConfig:
        """The tenant a public chat request is for (unknown ids raise ConfigError)."""
        return self.config.tenant(tenant_id or self.http.tenant)

    def calendar(self, db: Any) -> CalendarService:
        """The calendar service bound to the worker's connection (call on the worker thread only)."""
        if not self._calendar:
            self._calendar.append(CalendarService(db, self.config, self.clock))
        return self._calendar[0]

    async def on_calendar(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn(calendar, *args)` on the database thread."""
        return await self.worker.run(lambda db: fn(self.calendar(db), *args))


SERVICES: web.AppKey[HttpServices] = web.AppKey("services", HttpServices)
# The caller's rate-limit key: its address (the peer, or the trusted proxies' X-Forwarded-For), IPv6 as its /64.
# A raw address: it stays in memory — use the app's HASHER for anything stored or logged.
CLIENT: web.RequestKey[str] = web.RequestKey("client", str)
HASHER: web.AppKey[ClientHasher] = web.AppKey("client_hasher", ClientHasher)
TOKEN: web.RequestKey[ApiToken] = web.RequestKey("token", ApiToken)  # the verified staff token
