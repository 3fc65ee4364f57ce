"""One worker thread per blocking engine; async lives only in this wrapper.

Every job is tagged with a generation number. `cancel_pending()` bumps the generation: jobs not yet
started are skipped, a running job finishes (C code cannot be interrupted) but its result is dropped.
`Activity` counts jobs in flight so a virtual clock knows when the pipeline is computing.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class StaleResult(Exception):
    """The job belonged to a cancelled generation."""


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
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"engine-{name}")
        self._activity = activity
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def cancel_pending(self) -> None:
        self._generation += 1

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        gen = self._generation
        activity = self._activity

        def job() -> T:
            if gen != self._generation:
                raise StaleResult(self.name)
            return fn(*args)

        if activity is not None:
            activity.enter()
        fut = self._pool.submit(job)
        if activity is not None:
            # runs after asyncio.wrap_future's own callback, so the result is delivered first
            fut.add_done_callback(lambda _f: _exit_soon(loop, activity))
        result = await asyncio.wrap_future(fut)
        if gen != self._generation:
            raise StaleResult(self.name)
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
