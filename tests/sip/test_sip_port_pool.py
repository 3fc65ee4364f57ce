"""The pool of media ports the line lends to calls: fixed size, never deleted, a port reused only once the
bridge has applied everything queued before its call ended. A fake bridge (no pjsua2): operations are
queued and applied in order, all of those queued so far at each of its clock ticks."""

from __future__ import annotations

import logging

import pytest

from receptionist.channels.sip.port_pool import STUCK_WARNING_S, PortPool, ToggleFence


class FakeBridge:
    """Connections between named ports, changed by queued operations that `clock_tick()` applies."""

    def __init__(self) -> None:
        self.links: set[tuple[str, str]] = set()
        self.queue: list[tuple[str, str, str]] = []  # (op, source, sink)

    def connect(self, source: str, sink: str) -> None:
        self.queue.append(("connect", source, sink))

    def disconnect(self, source: str, sink: str) -> None:
        self.queue.append(("disconnect", source, sink))

    def remove(self, name: str) -> None:
        self.queue.append(("remove", name, ""))

    def clock_tick(self) -> None:
        for op, source, sink in self.queue:
            if op == "connect":
                self.links.add((source, sink))
            elif op == "disconnect":
                self.links.discard((source, sink))
            else:
                self.links = {link for link in self.links if source not in link}
        self.queue.clear()

    def transmits(self, name: str) -> bool:
        return any(source == name for source, _ in self.links)

    def fence(self) -> ToggleFence:
        return ToggleFence(lambda on: (self.connect if on else self.disconnect)("fence-a", "fence-b"),
                           lambda: self.transmits("fence-a"))


class FakePort:
    """A bridge port: `bound` is the audio it forwards to."""

    made = 0

    def __init__(self, bridge: FakeBridge, index: int) -> None:
        FakePort.made += 1
        self.bridge, self.name = bridge, f"line-{index}"
        self.bound: object | None = None

    def bind(self, audio: object) -> None:
        self.bound = audio

    def unbind(self) -> None:
        self.bound = None

    def connected(self) -> bool:
        return self.bridge.transmits(self.name)


def pool_of(size: int) -> tuple[PortPool, FakeBridge]:
    bridge = FakeBridge()
    return PortPool(size, lambda i: FakePort(bridge, i), bridge.fence()), bridge


def call_on(bridge: FakeBridge, port: FakePort, stream: str) -> None:
    """What the line does when a call's media is up: the caller's stream and the port, both ways."""
    bridge.connect(stream, port.name)
    bridge.connect(port.name, stream)


def settle(pool: PortPool, bridge: FakeBridge, ticks: int = 3) -> None:
    for _ in range(ticks):
        bridge.clock_tick()
        pool.tick(now=0.0)


def test_the_ports_are_made_once_at_start() -> None:
    FakePort.made = 0
    pool, bridge = pool_of(3)
    assert FakePort.made == 3 and pool.size == 3 and pool.available == 3
    for i in range(3):
        port = pool.acquire(f"call-{i}")
        call_on(bridge, port, f"stream-{i}")
        bridge.remove(f"stream-{i}")
        pool.release(port, now=0.0)
    settle(pool, bridge)
    assert FakePort.made == 3 and pool.available == 3


def test_a_port_is_bound_to_the_call_it_is_lent_to_and_none_is_left_when_all_are_lent() -> None:
    pool, _ = pool_of(2)
    first, second = pool.acquire("anna"), pool.acquire("boris")
    assert first is not None and second is not None and first is not second
    assert (first.bound, second.bound) == ("anna", "boris")
    assert pool.acquire("carl") is None
    assert pool.available == 0


def test_a_released_port_forwards_nothing_and_waits_until_the_bridge_dropped_its_call() -> None:
    pool, bridge = pool_of(1)
    port = pool.acquire("anna")
    call_on(bridge, port, "anna-stream")
    bridge.clock_tick()
    bridge.remove("anna-stream")  # pjsua queues this before it reports the call disconnected
    pool.release(port, now=0.0)
    assert port.bound is None  # unbound at once: a frame still in flight has nowhere to go
    pool.tick(now=0.0)
    assert pool.available == 0 and pool.cooling == 1
    assert pool.acquire("boris") is None  # the old stream still reaches the port
    settle(pool, bridge)
    assert pool.available == 1 and pool.cooling == 0
    assert pool.acquire("boris") is port and port.bound == "boris"


def test_a_call_that_ends_before_its_media_was_connected_still_waits_for_the_bridge() -> None:
    """Connect and removal both still queued at release: the port looks idle but is not yet."""
    pool, bridge = pool_of(1)
    port = pool.acquire("anna")
    call_on(bridge, port, "anna-stream")
    bridge.remove("anna-stream")
    pool.release(port, now=0.0)
    pool.tick(now=0.0)
    assert not port.connected() and pool.available == 0  # nothing applied yet: not free
    bridge.clock_tick()  # connect, connect, remove, fence: all applied in one tick
    pool.tick(now=0.02)
    assert pool.available == 1


def test_releases_while_a_fence_is_in_flight_wait_for_the_next_one() -> None:
    pool, bridge = pool_of(2)
    anna, boris = pool.acquire("anna"), pool.acquire("boris")
    call_on(bridge, anna, "anna-stream")
    bridge.clock_tick()
    bridge.remove("anna-stream")
    pool.release(anna, now=0.0)  # fence 1 queued
    call_on(bridge, boris, "boris-stream")  # queued after fence 1
    bridge.remove("boris-stream")
    pool.release(boris, now=0.0)  # needs fence 2, queued once fence 1 is seen
    bridge.clock_tick()
    pool.tick(now=0.02)
    assert anna.bound is None and pool.available == 1  # anna's port is back, boris's waits
    settle(pool, bridge)
    assert pool.available == 2


def test_the_port_idle_longest_is_lent_first() -> None:
    pool, bridge = pool_of(3)
    a, b, c = (pool.acquire(name) for name in "abc")
    for port in (b, a, c):
        pool.release(port, now=0.0)
        settle(pool, bridge)
    assert pool.acquire("d") is b


def test_releasing_twice_returns_the_port_once() -> None:
    pool, bridge = pool_of(2)
    port = pool.acquire("anna")
    pool.release(port, now=0.0)
    pool.release(port, now=0.0)
    settle(pool, bridge)
    pool.release(port, now=0.0)  # already free: nothing happens
    settle(pool, bridge)
    assert pool.available == 2
    x, y = pool.acquire("x"), pool.acquire("y")
    assert x is not None and y is not None and x is not y
    assert pool.acquire("z") is None


def test_a_port_of_another_pool_is_refused() -> None:
    pool, bridge = pool_of(1)
    with pytest.raises(ValueError):
        pool.release(FakePort(bridge, 9), now=0.0)


def test_a_port_the_bridge_never_lets_go_stays_out_of_use_and_is_logged_once(caplog) -> None:
    pool, bridge = pool_of(2)
    port = pool.acquire("anna")
    call_on(bridge, port, "anna-stream")  # and the stream is never removed
    pool.release(port, now=0.0)
    with caplog.at_level(logging.WARNING, logger="receptionist.channels.sip.port_pool"):
        for step in range(5):
            bridge.clock_tick()
            pool.tick(now=STUCK_WARNING_S + step)
    assert len([r for r in caplog.records if "still in use" in r.getMessage()]) == 1
    assert pool.available == 1


def test_at_shutdown_every_port_is_unbound() -> None:
    pool, _ = pool_of(2)
    lent = pool.acquire("anna")
    pool.release_all()
    assert lent.bound is None


def test_a_pool_needs_a_port() -> None:
    bridge = FakeBridge()
    with pytest.raises(ValueError):
        PortPool(0, lambda i: FakePort(bridge, i), bridge.fence())


def test_a_fence_that_cannot_be_queued_is_tried_again() -> None:
    bridge, attempts = FakeBridge(), []

    def flip(on: bool) -> None:
        attempts.append(on)
        if len(attempts) == 1:
            raise RuntimeError("bridge busy")
        bridge.connect("fence-a", "fence-b")

    fence = ToggleFence(flip, lambda: bridge.transmits("fence-a"))
    ticket = fence.request()
    fence.tick()  # queued now
    bridge.clock_tick()
    fence.tick()
    assert fence.passed(ticket) and attempts == [True, True]
