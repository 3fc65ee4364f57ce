"""One thread that owns one SQLite connection; async code hands it work and awaits the result.

SQLite calls are short but blocking; keeping them off the event loop on a single thread also
serialises writes from the agent, the tools and the channels without extra locks.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

import sqlite_utils

T = TypeVar("T")


class DbWorker:
    def __init__(self, open_db: Callable[[], sqlite_utils.Database], *, name: str = "db") -> None:
        self._open = open_db
        self._db: sqlite_utils.Database | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._db is None:
            self._db = self._open()
        return fn(self._db, *args)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(db, *args)` on the worker thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, fn, args)

    def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return self._executor.submit(self._call, fn, args).result()

    def close(self) -> None:
        def _close() -> None:
            if self._db is not None:
                self._db.conn.close()
                self._db = None

        try:
            self._executor.submit(_close).result()
        finally:
            self._executor.shutdown(wait=True)
