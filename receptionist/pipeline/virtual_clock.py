"""Virtual time for simulated calls (`simulate-call --fast`, tests).

`VirtualClock.sleep()` never waits for real: when every task is blocked and no engine job is in
flight (`Activity.busy == 0`), the driver jumps time forward to the next sleeper. While an engine is
computing, time flows in real time (`count_compute=True`), so latencies still include the real cost of
STT/TTS; with `count_compute=False` computing takes no virtual time at all (deterministic tests).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import datetime, time as day_time, timedelta, timezone, tzinfo

from receptionist.pipeline.worker import Activity

_YIELDS = 25  # loop turns that let every ready task run before time may jump


class VirtualClock:
    def __init__(self, activity: Activity | None = None, *, count_compute: bool = True,
                 start: datetime | None = None) -> None:
        self.activity = activity or Activity()
        self.count_compute = count_compute
        self._start = start or datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
        self._real0 = time.monotonic()
        self._skipped = 0.0
        self._frozen_at: float | None = None if count_compute else 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def monotonic(self) -> float:
        if not self.count_compute:
            return self._skipped
        return time.monotonic() - self._real0 + self._skipped

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.monotonic())

    async def sleep(self, seconds: float) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.monotonic() + max(0.0, seconds), next(self._seq), fut))
        await fut

    def _wake_due(self) -> None:
        now = self.monotonic()
        while self._sleepers and self._sleepers[0][0] <= now + 1e-12:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)

    async def drive(self) -> None:
        """Run as a task for the whole simulation; cancel it at the end."""
        while True:
            for _ in range(_YIELDS):
                await asyncio.sleep(0)
            self._sleepers = [s for s in self._sleepers if not s[2].done()]
            heapq.heapify(self._sleepers)
            if self.activity.busy:
                await asyncio.sleep(0.002)  # an engine computes: let (real) time pass
                self._wake_due()
                continue
            if not self._sleepers:
                await asyncio.sleep(0.001)
                continue
            gap = self._sleepers[0][0] - self.monotonic()
            if gap > 0:
                self._skipped += gap
            self._wake_due()


def calendar_start(today: str | None, tz: tzinfo, now: datetime) -> datetime:
    """The calendar time a simulated call starts at, timezone-aware: `now` (the real date and time) when
    `today` is None; else `today` as "YYYY-MM-DD" (at `now`'s time of day in `tz`) or "YYYY-MM-DDTHH:MM"
    (in `tz`). ValueError naming the expected format for anything else."""
    if today is None:
        return now
    try:
        given = datetime.fromisoformat(today.strip())
    except ValueError:
        raise ValueError(f"--today {today!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if given.tzinfo is not None:
        return given
    if len(today.strip()) == 10:  # a date alone: the real time of day
        local = now.astimezone(tz)
        given = datetime.combine(given.date(), day_time(local.hour, local.minute, local.second))
    return given.replace(tzinfo=tz)
