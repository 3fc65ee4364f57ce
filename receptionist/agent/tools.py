"""Typed booking tools with validation, timeouts, bounded retries and a record of every call.

The agent reaches the calendar only through `BookingBackend`, which has two implementations:
the local SQLite calendar (`LocalBackend`, default) and another appliance's HTTP booking API
(`receptionist.agent.http_backend.HttpBackend`). Reliability matrix:
  timeout / 5xx / connection error → retried (at most `retries` times), then BackendUnavailable;
  BookingError (4xx: full, past-date, invalid-phone, …) → never retried, surfaced to the flow.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping, Protocol, TypeVar

from receptionist.booking.models import Availability, Booking, Callback, Customer, Request
from receptionist.booking.service import CalendarService
from receptionist.clock import Clock
from receptionist.config.app import AppConfig
from receptionist.dbworker import DbWorker
from receptionist.errors import BackendUnavailable, BookingError

T = TypeVar("T")


class BookingBackend(Protocol):
    async def check_availability(self, tenant_id: str, request: Request) -> Availability: ...

    async def create_booking(self, tenant_id: str, request: Request, customer: Customer, *,
                             details: Mapping[str, str], channel: str) -> Booking: ...

    async def cancel(self, tenant_id: str, code: str) -> Booking: ...

    async def reschedule(self, tenant_id: str, code: str, request: Request) -> Booking: ...

    async def find(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]: ...


class LocalBackend:
    """The appliance's own SQLite calendar, called on the database worker thread."""

    def __init__(self, worker: DbWorker, config: AppConfig, clock: Clock) -> None:
        self._worker = worker
        self._config = config
        self._clock = clock
        self._service: CalendarService | None = None

    def _svc(self, db: Any) -> CalendarService:
        if self._service is None:
            self._service = CalendarService(db, self._config, self._clock)
        return self._service

    async def check_availability(self, tenant_id: str, request: Request) -> Availability:
        return await self._worker.run(lambda db: self._svc(db).check_availability(tenant_id, request))

    async def create_booking(self, tenant_id: str, request: Request, customer: Customer, *,
                             details: Mapping[str, str], channel: str) -> Booking:
        return await self._worker.run(lambda db: self._svc(db).create_booking(
            tenant_id, request, customer, details=details, channel=channel))

    async def cancel(self, tenant_id: str, code: str) -> Booking:
        return await self._worker.run(lambda db: self._svc(db).cancel(tenant_id, code, actor="agent"))

    async def reschedule(self, tenant_id: str, code: str, request: Request) -> Booking:
        return await self._worker.run(lambda db: self._svc(db).reschedule(tenant_id, code, request, actor="agent"))

    async def find(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]:
        return await self._worker.run(lambda db: self._svc(db).find(tenant_id, code=code, phone=phone))

    async def add_callback(self, tenant_id: str, *, phone: str, name: str | None, reason: str, language: str,
                           conversation_id: str | None) -> Callback:
        return await self._worker.run(lambda db: self._svc(db).add_callback(
            tenant_id, phone=phone, name=name, reason=reason, language=language, conversation_id=conversation_id))


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One tool call as it goes into the conversation log (no caller content)."""

    name: str
    outcome: str  # "ok" or an error code
    attempts: int
    ms: int


class Tools:
    """Wraps a backend with the reliability matrix; remembers the calls of the current turn."""

    def __init__(self, backend: BookingBackend, *, timeout_s: float = 5.0, retries: int = 2,
                 backoff_s: float = 0.2) -> None:
        self.backend = backend
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.calls: list[ToolCall] = []

    def take_calls(self) -> list[ToolCall]:
        calls, self.calls = self.calls, []
        return calls

    async def _call(self, name: str, fn: Callable[[], Awaitable[T]]) -> T:
        t0 = time.monotonic()
        attempts = 0
        last: str = "tool-timeout"
        while attempts <= self.retries:
            attempts += 1
            try:
                result = await asyncio.wait_for(fn(), self.timeout_s)
            except BookingError as exc:  # a client error: the caller must clarify, never retried
                self.calls.append(ToolCall(name, exc.code, attempts, _ms(t0)))
                raise
            except (asyncio.TimeoutError, BackendUnavailable, ConnectionError, OSError) as exc:
                last = getattr(exc, "code", None) or "tool-timeout"
                if attempts <= self.retries:
                    await asyncio.sleep(self.backoff_s * attempts)
                continue
            self.calls.append(ToolCall(name, "ok", attempts, _ms(t0)))
            return result
        self.calls.append(ToolCall(name, last, attempts, _ms(t0)))
        raise BackendUnavailable(f"{name}: booking backend unavailable after {attempts} attempts", code=last)

    async def check_availability(self, tenant_id: str, request: Request) -> Availability:
        return await self._call("check_availability", lambda: self.backend.check_availability(tenant_id, request))

    async def create_booking(self, tenant_id: str, request: Request, customer: Customer, *,
                             details: Mapping[str, str], channel: str) -> Booking:
        if not customer.name.strip():
            raise BookingError("the customer's name is missing", code="invalid-request")
        return await self._call("create_booking", lambda: self.backend.create_booking(
            tenant_id, request, customer, details=details, channel=channel))

    async def cancel(self, tenant_id: str, code: str) -> Booking:
        return await self._call("cancel", lambda: self.backend.cancel(tenant_id, code))

    async def reschedule(self, tenant_id: str, code: str, request: Request) -> Booking:
        return await self._call("reschedule", lambda: self.backend.reschedule(tenant_id, code, request))

    async def find(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]:
        return await self._call("find", lambda: self.backend.find(tenant_id, code=code, phone=phone))


def _ms(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)
