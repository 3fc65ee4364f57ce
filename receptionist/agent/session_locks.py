"""One asyncio lock per session, in a bounded map: a session's turns run one at a time, and the map
does not grow with every session the process has ever seen.

A lock is in use while a turn holds it or waits for it; only locks not in use are dropped, least
recently used first, once more than `max_idle` are kept. A session whose lock was dropped simply gets
a new one next time (nobody held or waited on the old one, so no turn can overlap).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from types import TracebackType

DEFAULT_MAX_IDLE = 1024


class _Entry:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # turns holding or waiting for the lock


class SessionLocks:
    """`async with locks[session_id]: ...` serialises one session's turns. At most `max_idle` locks
    not in use are kept (LRU); locks in use are never dropped, so the map may exceed the bound while
    more than `max_idle` sessions are busy at once."""

    def __init__(self, max_idle: int = DEFAULT_MAX_IDLE) -> None:
        if max_idle < 0:
            raise ValueError("max_idle must be >= 0")
        self.max_idle = max_idle
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._entries

    def __getitem__(self, session_id: str) -> "_Hold":
        return _Hold(self, session_id)

    def _enter(self, session_id: str) -> _Entry:
        entry = self._entries.get(session_id)
        if entry is None:
            entry = self._entries[session_id] = _Entry()
        self._entries.move_to_end(session_id)
        entry.users += 1
        return entry

    def _leave(self, entry: _Entry) -> None:
        entry.users -= 1
        self._trim()

    def _trim(self) -> None:
        idle = [sid for sid, e in self._entries.items() if e.users == 0]  # oldest first
        for sid in idle[:max(0, len(idle) - self.max_idle)]:
            del self._entries[sid]


class _Hold:
    """The async context manager of one `locks[session_id]`."""

    def __init__(self, locks: SessionLocks, session_id: str) -> None:
        self._locks = locks
        self._session_id = session_id
        self._entry: _Entry | None = None

    async def __aenter__(self) -> None:
        entry = self._locks._enter(self._session_id)
        try:
            await entry.lock.acquire()
        except BaseException:
            self._locks._leave(entry)
            raise
        self._entry = entry

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        entry, self._entry = self._entry, None
        assert entry is not None
        entry.lock.release()
        self._locks._leave(entry)
