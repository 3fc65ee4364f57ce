"""One worker thread per blocking engine, shared by every call; async lives only in this wrapper.

Every job belongs to an `Owner` (a call and one of its replies, see `receptionist.ownership`), and only
that owner cancels it: `cancel(owner)` skips the owner's jobs not yet started and drops the result of
its running one (C code cannot be interrupted); every other call's jobs run as queued. Cancelling the
task that awaits `run()` cancels that one job. Jobs run first come, first served.
`Activity` counts jobs in flight so a virtual clock knows when the pipeline is computing.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, TypeVar

from receptionist.ownership import JobCancelled, Owner, OwnedWorker

T = TypeVar("T")


class StaleResult(Exception):
    """The job was cancelled by its owner (never ran, or its result was dropped)."""


class Activity:
    """Thread-safe count of engine jobs queued or running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = 0

    def enter(self) -> None:
        with self._lock:
            self._busy += 1

    def exit(self) -> None:
        with self._lock:
            self._busy -= 1

    @property
    def busy(self) -> int:
        with self._lock:
            return self._busy


def _exit_soon(loop: asyncio.AbstractEventLoop, activity: Activity) -> None:
    try:
        loop.call_soon_threadsafe(activity.exit)
    except RuntimeError:  # the loop is gone (a job outlived its call): count it done now
        activity.exit()


class EngineWorker:
    def __init__(self, name: str, activity: Activity | None = None) -> None:
        self.name = name
        self._worker = OwnedWorker(name)
        self._activity = activity

    @property
    def waiting(self) -> int:
        """Jobs queued behind the running one (not cancelled)."""
        return self._worker.waiting

    def cancel(self, owner: Owner) -> int:
        """Cancel the jobs `owner` covers (queued: never run; running: result dropped); others untouched."""
        return self._worker.cancel(owner)

    async def run(self, fn: Callable[..., T], *args: Any, owner: Owner | None = None) -> T:
        """`fn(*args)` on the worker thread. Raises StaleResult when its owner cancelled it."""
        loop = asyncio.get_running_loop()
        activity = self._activity
        if activity is not None:
            activity.enter()
        try:
            job = self._worker.submit(lambda _job: fn(*args), owner=owner)
        except BaseException:
            if activity is not None:
                activity.exit()
            raise
        waiter = job.waiter(loop)
        if activity is not None:
            # registered after the waiter's own callback, so the result is delivered first
            job.future.add_done_callback(lambda _f: _exit_soon(loop, activity))
        try:
            return await job.wait(waiter)
        except JobCancelled:
            raise StaleResult(self.name) from None

    def close(self) -> None:
        self._worker.close(wait=False)
