"""A fixed set of conference-bridge ports, lent to calls and taken back, never deleted while the line runs.

Why a pool: since PJSIP 2.15.1 the conference bridge removes ports asynchronously (pjproject #3928), so
deleting a pjsua2 `AudioMediaPort` while the bridge's clock thread may still call into it is a
use-after-free (pjproject #4200: `~AudioMediaPort` releases the port's pool and memory right after
queueing the removal). pjsua2 exposes no way to wait for that removal, and no grace delay is a proof.
So the line creates `max_calls` ports once, when the endpoint starts, and never deletes them.

A port's life: `acquire(audio)` binds a free port to a call's audio (None when every port is lent or
still cooling: the caller gets 486); `release(port)` unbinds it at once (from then on it forwards nothing
and plays silence) and parks it as *cooling*; `tick()` hands a cooling port back to the free list only
once the bridge has applied the removal of its last connection (`port.connected()` is False). Bridge
operations are applied in order, so by then nothing the old call's stream sent can still reach the port,
and the next call bound to it can hear none of the previous call's audio.

SIP thread only (the counts may be read from any thread). No pjsua2 here: tested with fake ports.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any, Callable, Generic, Protocol, TypeVar

log = logging.getLogger(__name__)

STUCK_WARNING_S = 10.0  # a port cooling this long is logged (once): the bridge never dropped its connection


class PoolPort(Protocol):
    """What the pool needs of a port (media_port.BridgePort in the line)."""

    def bind(self, audio: Any) -> None: ...

    def unbind(self) -> None: ...

    def connected(self) -> bool:
        """Whether the bridge still has a connection from this port to anything (applied, not queued)."""


P = TypeVar("P", bound=PoolPort)


class PortPool(Generic[P]):
    """`size` ports made by `make(index)` at construction (raises what `make` raises)."""

    def __init__(self, size: int, make: Callable[[int], P]) -> None:
        if size < 1:
            raise ValueError("a port pool needs at least one port")
        self._ports: tuple[P, ...] = tuple(make(i) for i in range(size))
        self._free: deque[P] = deque(self._ports)  # longest idle first
        self._cooling: list[tuple[P, float]] = []  # (port, released at)
        self._warned: set[int] = set()
        self.available = size  # free ports (read from any thread)

    @property
    def size(self) -> int:
        return len(self._ports)

    @property
    def cooling(self) -> int:
        return len(self._cooling)

    def acquire(self, audio: Any) -> P | None:
        """A free port bound to `audio`, or None when none is free."""
        if not self._free:
            return None
        port = self._free.popleft()
        port.bind(audio)
        self.available = len(self._free)
        return port

    def release(self, port: P, now: float) -> None:
        """The call is over: `port` stops forwarding at once and cools until the bridge let go of it."""
        if not any(p is port for p in self._ports):
            raise ValueError("not a port of this pool")
        if any(p is port for p in self._free) or any(p is port for p, _ in self._cooling):
            return  # released twice: once is enough
        port.unbind()
        self._cooling.append((port, now))

    def tick(self, now: float) -> None:
        """Return cooling ports whose connections the bridge has dropped to the free list."""
        still: list[tuple[P, float]] = []
        for port, since in self._cooling:
            if not port.connected():
                self._free.append(port)
                self._warned.discard(id(port))
            else:
                still.append((port, since))
                if now - since >= STUCK_WARNING_S and id(port) not in self._warned:
                    self._warned.add(id(port))
                    log.warning("sip: a media port is still connected %.0f s after its call ended; it stays out "
                                "of use (%d of %d ports free)", now - since, len(self._free), self.size)
        self._cooling = still
        self.available = len(self._free)

    def release_all(self) -> None:
        """Shutdown: unbind every port (whatever its state). The ports themselves are never deleted."""
        for port in self._ports:
            port.unbind()
