"""Typed booking tools with validation, timeouts, bounded retries and a record of every call.

Records are per turn, never shared between sessions: `Tools.recording()` opens a record for the
current context (the task of one agent turn and the tasks it starts), and every call made inside it
is appended there, whatever other sessions' turns do at the same time. Calls outside a recording are
not recorded.

The agent reaches the calendar only through `BookingBackend`, which has two implementations:
the local SQLite calendar (`LocalBackend`, default) and another appliance's HTTP booking API
(`receptionist.agent.http_backend.HttpBackend`). Reliability matrix:
  reads: timeout / 5xx / connection error → retried (at most `retries` times), then BackendUnavailable;
  writes (create_booking, cancel, reschedule): the same, but every attempt carries one idempotency key
    (the caller's `key`, or one Tools makes for the call), so a retry after a timeout can only get the
    first attempt's result back — never a second booking. A write is never retried without its key;
  BookingError (4xx: full, past-date, invalid-phone, idempotency-conflict, …) → never retried.

Timeouts, innermost first, each shorter than the one around it so that an inner layer has answered
(committed or failed) before the outer one gives up on it:
  1. SQLite busy timeout, `booking.db.BUSY_TIMEOUT_S` (4 s): a write waiting for the lock fails by then;
  2. the HTTP backend's client timeout, `HttpBackend(timeout_s=…)` (default 4.5 s; the server's own
     database has 1. inside it);
  3. the tool timeout per attempt, `[agent] tool_timeout_s` (default 5 s).
Should an outer layer still give up first (a slow disk, a stalled network), the attempt may commit
late; the retry carries the same key and, because the calendar runs writes one at a time (one
database thread per process), it waits behind the first attempt and answers with its booking.
The keys that the agent passes (`write_key`) are made from session, turn, action and proposal, so
a turn that is processed again (an SMS re-read after a crash) gets the first answer back too.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterator, Mapping, Protocol, TypeVar

from receptionist.agent.session import SessionState
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
                             details: Mapping[str, str], channel: str, key: str | None = None) -> Booking: ...

    async def cancel(self, tenant_id: str, code: str, *, key: str | None = None) -> Booking: ...

    async def reschedule(self, tenant_id: str, code: str, request: Request, *, key: str | None = None) -> Booking: ...

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
                             details: Mapping[str, str], channel: str, key: str | None = None) -> Booking:
        return await self._worker.run(lambda db: self._svc(db).create_booking(
            tenant_id, request, customer, details=details, channel=channel, key=key))

    async def cancel(self, tenant_id: str, code: str, *, key: str | None = None) -> Booking:
        return await self._worker.run(lambda db: self._svc(db).cancel(tenant_id, code, actor="agent", key=key))

    async def reschedule(self, tenant_id: str, code: str, request: Request, *, key: str | None = None) -> Booking:
        return await self._worker.run(lambda db: self._svc(db).reschedule(
            tenant_id, code, request, actor="agent", key=key))

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


# The open record of the current turn. A ContextVar: each asyncio task sees its own (copied when the task
# starts), so two sessions' concurrent turns never see each other's record.
_RECORD: ContextVar[list[ToolCall] | None] = ContextVar("receptionist_tool_calls", default=None)


def write_key(state: SessionState, action: str, *proposal: str) -> str:
    """The idempotency key of one intended write: session, turn number, action and what is proposed
    (e.g. `facts.fingerprint(request)`, a booking code). The same turn processed again gives the same key;
    the same proposal confirmed in a later turn is a new write with a new key."""
    text = "\x1f".join((state.session_id, str(state.turns), action, *proposal))
    return "agent-" + hashlib.sha256(text.encode()).hexdigest()[:40]


class Tools:
    """Wraps a backend with the reliability matrix; records the calls of the current turn (`recording`)."""

    write_key = staticmethod(write_key)

    def __init__(self, backend: BookingBackend, *, timeout_s: float = 5.0, retries: int = 2,
                 backoff_s: float = 0.2) -> None:
        self.backend = backend
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s

    @staticmethod
    @contextmanager
    def recording() -> Iterator[list[ToolCall]]:
        """Record the tool calls made in this context until the block ends; yields the live list.
        Open one per turn (nested recordings: the inner one gets the calls while it is open)."""
        calls: list[ToolCall] = []
        token = _RECORD.set(calls)
        try:
            yield calls
        finally:
            _RECORD.reset(token)

    @property
    def calls(self) -> list[ToolCall]:
        """A copy of the calls in this context's open recording ([] outside one)."""
        return list(_RECORD.get() or ())

    def take_calls(self) -> list[ToolCall]:
        """The calls in this context's open recording so far, emptying it ([] outside one)."""
        calls = _RECORD.get()
        if calls is None:
            return []
        taken = list(calls)
        calls.clear()
        return taken

    @staticmethod
    def _record(call: ToolCall) -> None:
        calls = _RECORD.get()
        if calls is not None:
            calls.append(call)

    async def _call(self, name: str, fn: Callable[[], Awaitable[T]]) -> T:
        """Run `fn` with the timeout and retries. Writes must pass a `fn` that sends the same key each time."""
        t0 = time.monotonic()
        attempts = 0
        last: str = "tool-timeout"
        while attempts <= self.retries:
            attempts += 1
            try:
                result = await asyncio.wait_for(fn(), self.timeout_s)
            except BookingError as exc:  # a client error: the caller must clarify, never retried
                self._record(ToolCall(name, exc.code, attempts, _ms(t0)))
                raise
            except (asyncio.TimeoutError, BackendUnavailable, ConnectionError, OSError) as exc:
                last = getattr(exc, "code", None) or "tool-timeout"
                if attempts <= self.retries:
                    await asyncio.sleep(self.backoff_s * attempts)
                continue
            self._record(ToolCall(name, "ok", attempts, _ms(t0)))
            return result
        self._record(ToolCall(name, last, attempts, _ms(t0)))
        raise BackendUnavailable(f"{name}: booking backend unavailable after {attempts} attempts", code=last)

    async def check_availability(self, tenant_id: str, request: Request) -> Availability:
        return await self._call("check_availability", lambda: self.backend.check_availability(tenant_id, request))

    async def create_booking(self, tenant_id: str, request: Request, customer: Customer, *,
                             details: Mapping[str, str], channel: str, key: str | None = None) -> Booking:
        """Book; `key` (see `write_key`) makes a repeat answer with the first booking. Every attempt
        of this call sends the same key (one is made when none is given)."""
        if not customer.name.strip():
            raise BookingError("the customer's name is missing", code="invalid-request")
        key = key or _call_key()
        return await self._call("create_booking", lambda: self.backend.create_booking(
            tenant_id, request, customer, details=details, channel=channel, key=key))

    async def cancel(self, tenant_id: str, code: str, *, key: str | None = None) -> Booking:
        key = key or _call_key()
        return await self._call("cancel", lambda: self.backend.cancel(tenant_id, code, key=key))

    async def reschedule(self, tenant_id: str, code: str, request: Request, *, key: str | None = None) -> Booking:
        key = key or _call_key()
        return await self._call("reschedule", lambda: self.backend.reschedule(tenant_id, code, request, key=key))

    async def find(self, tenant_id: str, *, code: str | None = None, phone: str | None = None) -> list[Booking]:
        return await self._call("find", lambda: self.backend.find(tenant_id, code=code, phone=phone))


def _call_key() -> str:
    """A key for one Tools call whose caller gave none: its retries still cannot write twice."""
    return "tools-" + uuid.uuid4().hex


def _ms(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)
