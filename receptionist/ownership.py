"""Work on a shared engine belongs to an owner — a session and its turn — and only that owner cancels it.

One engine (the LLM, the TTS voices, speech recognition) serves every call and chat of the process on
one worker thread. Each job carries an `Owner`; `OwnedWorker.cancel(owner)` cancels the jobs that
owner covers and no others, so one caller's barge-in never reaches another caller's work. There is no
process-wide generation counter.

Scheduling: jobs run one at a time, lowest `priority` first and first come, first served within a
priority (`VOICE` before `TEXT`: a caller on the phone hears silence while a chat user sees a typing
indicator). A running job is never pre-empted. A job cancelled before it starts never runs, and
whoever awaits it is released at once; a running job is told through `Job.cancelled` (an engine that
can stop between steps checks it, e.g. the LLM between tokens) and its result is dropped.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

VOICE = 0  # priority of work for a phone call or the local microphone
TEXT = 1  # priority of work for web chat, SMS and everything else
VOICE_CHANNELS = frozenset({"voice"})


@dataclass(frozen=True, slots=True)
class Owner:
    """Who a job belongs to. `turn=None` stands for every turn of the session (for `cancel`)."""

    session_id: str
    turn: int | None = None
    priority: int = TEXT

    @classmethod
    def for_channel(cls, session_id: str, turn: int | None, channel: str) -> "Owner":
        """The owner of a turn that came in on `channel` ("voice" gets `VOICE` priority, others `TEXT`)."""
        return cls(session_id, turn, VOICE if channel in VOICE_CHANNELS else TEXT)

    def covers(self, other: "Owner | None") -> bool:
        """True when cancelling `self` cancels work owned by `other`: same session, and same turn
        unless `self.turn` is None. Priority plays no part."""
        return (other is not None and other.session_id == self.session_id
                and (self.turn is None or self.turn == other.turn))


class JobCancelled(Exception):
    """The job was cancelled by its owner: it never ran, or its result was dropped."""


class Job(Generic[T]):
    """One unit of work: `fn(job)` runs on the worker thread and may poll `job.cancelled`."""

    def __init__(self, fn: Callable[["Job[T]"], T], owner: Owner | None) -> None:
        self.fn = fn
        self.owner = owner
        self.future: Future[T] = Future()  # never cancelled itself: a cancelled job ends in JobCancelled
        self._lock = threading.Lock()
        self._state = "queued"  # queued -> running -> done, or queued -> done (cancelled)
        self._cancel = False

    @property
    def cancelled(self) -> bool:
        """Set once the owner cancelled the job (safe to read from any thread)."""
        return self._cancel

    def cancel(self) -> None:
        """Cancel this job: one still queued ends now and never runs; a running one is told to stop
        (`cancelled`) and its result is replaced by JobCancelled. No-op on a finished job."""
        with self._lock:
            if self._state == "done":
                return
            self._cancel = True
            if self._state == "running":
                return
            self._state = "done"
        self.future.set_exception(JobCancelled(self._describe()))

    def _run(self) -> None:  # worker thread
        with self._lock:
            if self._state != "queued":
                return
            self._state = "running"
        result: T | None = None
        error: BaseException | None = None
        try:
            result = self.fn(self)
        except BaseException as exc:  # delivered to whoever awaits the job
            error = exc
        with self._lock:
            self._state = "done"
            cancelled = self._cancel
        if cancelled:
            self.future.set_exception(JobCancelled(self._describe()))
        elif error is not None:
            self.future.set_exception(error)
        else:
            self.future.set_result(result)  # type: ignore[arg-type]

    def _describe(self) -> str:
        return "cancelled by its owner" if self.owner is None else f"cancelled by its owner (turn {self.owner.turn})"

    def waiter(self, loop: asyncio.AbstractEventLoop) -> "asyncio.Future[T]":
        """An asyncio future on `loop` that gets this job's result or exception. Cancelling the
        waiter does not cancel the job: `result()` does that."""
        waiter: asyncio.Future[T] = loop.create_future()

        def copy(done: Future[T]) -> None:
            if waiter.done():
                return
            exc = done.exception()
            if exc is not None:
                waiter.set_exception(exc)
            else:
                waiter.set_result(done.result())

        def deliver(done: Future[T]) -> None:
            try:
                loop.call_soon_threadsafe(copy, done)
            except RuntimeError:  # the loop is closed: nobody is waiting any more
                pass

        self.future.add_done_callback(deliver)
        return waiter

    async def result(self) -> T:
        """Await the job on the running loop. Cancelling the awaiting task cancels this job (only
        this one). Raises JobCancelled when the owner cancelled it, or what `fn` raised."""
        return await self.wait(self.waiter(asyncio.get_running_loop()))

    async def wait(self, waiter: "asyncio.Future[T]") -> T:
        """Await a `waiter()` of this job; cancelling the awaiting task cancels the job."""
        try:
            return await waiter
        except asyncio.CancelledError:
            self.cancel()
            raise


class OwnedWorker:
    """One thread running owned jobs by (priority, arrival). Thread-safe; `submit` from any thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"engine-{name}")
        self._lock = threading.Lock()
        self._queue: list[tuple[int, int, Job]] = []
        self._running: Job | None = None
        self._seq = itertools.count()
        self._closed = False

    @property
    def waiting(self) -> int:
        """Jobs queued and not cancelled (the running one not counted)."""
        with self._lock:
            return sum(1 for _, _, job in self._queue if not job.cancelled)

    def submit(self, fn: Callable[[Job[T]], T], *, owner: Owner | None = None,
               priority: int | None = None) -> Job[T]:
        """Queue `fn(job)`; `priority` defaults to the owner's (TEXT without one). Raises RuntimeError
        after `close()`."""
        job: Job[T] = Job(fn, owner)
        prio = priority if priority is not None else (owner.priority if owner is not None else TEXT)
        with self._lock:
            if self._closed:
                raise RuntimeError(f"the {self.name} worker is closed")
            heapq.heappush(self._queue, (prio, next(self._seq), job))
        self._pool.submit(self._run_next)  # one run per job: each takes the best job queued at that moment
        return job

    def cancel(self, owner: Owner) -> int:
        """Cancel every queued or running job that `owner` covers; returns how many."""
        with self._lock:
            jobs = [job for _, _, job in self._queue if owner.covers(job.owner)]
            if self._running is not None and owner.covers(self._running.owner):
                jobs.append(self._running)
        for job in jobs:
            job.cancel()
        return len(jobs)

    def _run_next(self) -> None:  # worker thread
        with self._lock:
            if not self._queue:
                return
            _, _, job = heapq.heappop(self._queue)
            self._running = job
        try:
            job._run()
        finally:
            with self._lock:
                self._running = None

    def close(self, *, wait: bool = False) -> None:
        """Cancel everything queued or running and stop the thread (after the running job, if `wait`)."""
        with self._lock:
            self._closed = True
            jobs = [job for _, _, job in self._queue]
            if self._running is not None:
                jobs.append(self._running)
        for job in jobs:
            job.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=True)
