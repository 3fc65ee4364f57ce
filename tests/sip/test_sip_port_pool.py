"""The pool of media ports the line lends to calls: fixed size, never deleted, a port reused only once the
bridge has let go of its last call. Fake ports (no pjsua2)."""

from __future__ import annotations

import logging

import pytest

from receptionist.channels.sip.port_pool import STUCK_WARNING_S, PortPool


class FakePort:
    """A bridge port: `bound` is the audio it forwards to, `links` the connections the bridge still has."""

    made = 0

    def __init__(self, index: int) -> None:
        FakePort.made += 1
        self.index = index
        self.bound: object | None = None
        self.links = 0

    def bind(self, audio: object) -> None:
        self.bound = audio

    def unbind(self) -> None:
        self.bound = None

    def connected(self) -> bool:
        return self.links > 0


def test_the_ports_are_made_once_at_start() -> None:
    FakePort.made = 0
    pool = PortPool(3, FakePort)
    assert FakePort.made == 3 and pool.size == 3 and pool.available == 3
    ports = [pool.acquire(f"call-{i}") for i in range(3)]
    for port in ports:
        assert port is not None
        pool.release(port, now=0.0)
    pool.tick(now=0.1)
    assert FakePort.made == 3


def test_a_port_is_bound_to_the_call_it_is_lent_to_and_none_is_left_when_all_are_lent() -> None:
    pool = PortPool(2, FakePort)
    first, second = pool.acquire("anna"), pool.acquire("boris")
    assert first is not None and second is not None and first is not second
    assert (first.bound, second.bound) == ("anna", "boris")
    assert pool.acquire("carl") is None
    assert pool.available == 0


def test_a_released_port_forwards_nothing_and_waits_until_the_bridge_dropped_its_connections() -> None:
    pool = PortPool(1, FakePort)
    port = pool.acquire("anna")
    assert port is not None
    port.links = 2  # caller <-> port
    pool.release(port, now=0.0)
    assert port.bound is None  # unbound at once: a frame still in flight has nowhere to go
    pool.tick(now=0.02)
    assert pool.available == 0 and pool.cooling == 1
    assert pool.acquire("boris") is None  # the next caller must not share a port the old stream still reaches
    port.links = 0  # the bridge applied the removal
    pool.tick(now=0.04)
    assert pool.available == 1 and pool.cooling == 0
    assert pool.acquire("boris") is port and port.bound == "boris"


def test_the_port_idle_longest_is_lent_first() -> None:
    pool = PortPool(3, FakePort)
    a, b, c = (pool.acquire(name) for name in "abc")
    for port in (b, a, c):
        assert port is not None
        pool.release(port, now=0.0)
        pool.tick(now=0.0)
    assert pool.acquire("d") is b


def test_releasing_twice_returns_the_port_once() -> None:
    pool = PortPool(2, FakePort)
    port = pool.acquire("anna")
    assert port is not None
    pool.release(port, now=0.0)
    pool.release(port, now=0.0)
    pool.tick(now=0.0)
    pool.release(port, now=0.0)  # already free: nothing happens
    pool.tick(now=0.0)
    assert pool.available == 2
    x, y = pool.acquire("x"), pool.acquire("y")
    assert x is not None and y is not None and x is not y
    assert pool.acquire("z") is None


def test_a_port_of_another_pool_is_refused() -> None:
    pool = PortPool(1, FakePort)
    with pytest.raises(ValueError):
        pool.release(FakePort(9), now=0.0)


def test_a_port_the_bridge_never_lets_go_stays_out_of_use_and_is_logged_once(caplog) -> None:
    pool = PortPool(2, FakePort)
    port = pool.acquire("anna")
    assert port is not None
    port.links = 1
    pool.release(port, now=0.0)
    with caplog.at_level(logging.WARNING, logger="receptionist.channels.sip.port_pool"):
        for step in range(5):
            pool.tick(now=STUCK_WARNING_S + step)
    assert len([r for r in caplog.records if "still connected" in r.getMessage()]) == 1
    assert pool.available == 1


def test_at_shutdown_every_port_is_unbound() -> None:
    pool = PortPool(2, FakePort)
    lent = pool.acquire("anna")
    assert lent is not None
    pool.release_all()
    assert lent.bound is None


def test_a_pool_needs_a_port() -> None:
    with pytest.raises(ValueError):
        PortPool(0, FakePort)
