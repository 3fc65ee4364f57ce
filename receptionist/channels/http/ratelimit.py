"""Per-client token buckets on an injected clock: `rate` requests per minute, `burst` at once.

The same bucket counts failed staff-token attempts (`RateLimiter.per_window`): `count` failures at once,
after which one more is allowed every `window_s / count` seconds, so no client gets more than about
`count` tries per window.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

from receptionist.clock import Clock


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after_s: float = 0.0


class RateLimiter:
    def __init__(self, clock: Clock, *, per_minute: float, burst: int, max_clients: int = 10000) -> None:
        self._clock = clock
        self._rate = per_minute / 60.0  # tokens per second
        self._burst = float(max(1, burst))
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    @classmethod
    def per_window(cls, clock: Clock, *, count: int, window_s: float, max_clients: int = 10000) -> "RateLimiter":
        """At most about `count` events per `window_s` seconds per key."""
        return cls(clock, per_minute=count * 60.0 / window_s, burst=count, max_clients=max_clients)

    @property
    def enabled(self) -> bool:
        return self._rate > 0

    def check(self, key: str, cost: float = 1.0) -> Decision:
        """Spend `cost` from the key's bucket if it holds that much (allowed), else refuse with the wait."""
        return self._take(key, cost, spend=True)

    def peek(self, key: str, cost: float = 1.0) -> Decision:
        """Would `check` allow it? Spends nothing."""
        return self._take(key, cost, spend=False)

    def _take(self, key: str, cost: float, *, spend: bool) -> Decision:
        if not self.enabled:
            return Decision(True)
        now = self._clock.monotonic()
        tokens, at = self._buckets.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + max(0.0, now - at) * self._rate)
        if tokens >= cost:
            self._remember(key, tokens - cost if spend else tokens, now)
            return Decision(True)
        self._remember(key, tokens, now)
        return Decision(False, math.ceil((cost - tokens) / self._rate * 10) / 10)

    def _remember(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_clients:  # forget the least recently seen client
            self._buckets.popitem(last=False)
