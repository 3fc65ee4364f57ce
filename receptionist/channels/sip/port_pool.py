"""A fixed set of conference-bridge ports, lent to calls and taken back, never deleted while the line runs.

Why a pool: since PJSIP 2.15.1 the conference bridge removes ports asynchronously (pjproject #3928), so
deleting a pjsua2 `AudioMediaPort` while the bridge's clock thread may still call into it is a
use-after-free (pjproject #4200: `~AudioMediaPort` releases the port's pool and memory right after
queueing the removal). pjsua2 exposes no way to wait for that removal, and no grace delay is a proof.
So the line creates `max_calls` ports once, when the endpoint starts, and never deletes them.

A port's life: `acquire(audio)` binds a free port to a call's audio (None when every port is lent or
still cooling: the caller gets 486); `release(port)` unbinds it at once (from then on it forwards nothing
and plays silence) and parks it as *cooling*; `tick()` hands it back to the free list once (1) a
`Fence` operation queued after the release has been applied by the bridge — the bridge applies its
operations in order, so every connection, disconnection and removal of the ended call's stream (pjsua
queues the removal before it reports the call disconnected) has been applied too — and (2) the port
transmits to nothing. From then on no frame of the old call can reach the port, so the next call bound
to it can hear none of the previous call's audio, even if the old call ended within one bridge tick
of its media being connected.

SIP thread only (the counts may be read from any thread). No pjsua2 here: tested with fakes.
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


class Fence(Protocol):
    """A marker in the bridge's queue of operations (media_port.BridgeFence in the line)."""

    def request(self) -> int:
        """A ticket for a marker operation queued after everything queued so far."""

    def passed(self, ticket: int) -> bool:
        """Whether the bridge has applied that marker (and so every operation queued before it)."""

    def tick(self) -> None:
        """Notice applied markers; queue the next one when tickets wait for it."""


P = TypeVar("P", bound=PoolPort)


class PortPool(Generic[P]):
    """`size` ports made by `make(index)` at construction (raises what `make` raises)."""

    def __init__(self, size: int, make: Callable[[int], P], fence: Fence) -> None:
        if size < 1:
            raise ValueError("a port pool needs at least one port")
        self._ports: tuple[P, ...] = tuple(make(i) for i in range(size))
        self._fence = fence
        self._free: deque[P] = deque(self._ports)  # longest idle first
        self._cooling: list[tuple[P, float, int]] = []  # (port, released at, fence ticket)
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
        if any(p is port for p in self._free) or any(p is port for p, _, _ in self._cooling):
            return  # released twice: once is enough
        port.unbind()
        self._cooling.append((port, now, self._fence.request()))

    def tick(self, now: float) -> None:
        """Return the cooling ports the bridge has let go of to the free list."""
        self._fence.tick()
        still: list[tuple[P, float, int]] = []
        for port, since, ticket in self._cooling:
            if self._fence.passed(ticket) and not port.connected():
                self._free.append(port)
                self._warned.discard(id(port))
                continue
            still.append((port, since, ticket))
            if now - since >= STUCK_WARNING_S and id(port) not in self._warned:
                self._warned.add(id(port))
                log.warning("sip: a media port is still in use by the bridge %.0f s after its call ended; it stays "
                            "out of use (%d of %d ports free)", now - since, len(self._free), self.size)
        self._cooling = still
        self.available = len(self._free)

    def release_all(self) -> None:
        """Shutdown: unbind every port (whatever its state). The ports themselves are never deleted."""
        for port in self._ports:
            port.unbind()


class ToggleFence:
    """A `Fence` made of one connection the bridge toggles: `flip()` queues connect or disconnect,
    `state()` reads whether it is connected (as applied). One flip is in flight at a time, since two
    applied within the same bridge tick would look like none; a ticket taken while one is in flight
    waits for the next, which is queued after it."""

    def __init__(self, flip: Callable[[bool], None], state: Callable[[], bool]) -> None:
        self._flip, self._state = flip, state
        self._applied = 0  # flips seen applied
        self._in_flight: bool | None = None  # the state the flip in flight leads to
        self._wanted = 0  # the highest ticket handed out

    def request(self) -> int:
        if self._in_flight is None:
            self._send()
            self._wanted = max(self._wanted, self._applied + 1)
        else:
            self._wanted = max(self._wanted, self._applied + 2)
        return self._wanted

    def passed(self, ticket: int) -> bool:
        return self._applied >= ticket

    def tick(self) -> None:
        if self._in_flight is not None and self._state() == self._in_flight:
            self._applied += 1
            self._in_flight = None
        if self._in_flight is None and self._wanted > self._applied:
            self._send()

    def _send(self) -> None:
        target = not self._state()
        try:
            self._flip(target)
        except Exception:  # noqa: BLE001 - retried on the next tick; the ports wait (they stay out of use)
            log.exception("sip: the media port fence could not be queued")
            return
        self._in_flight = target
