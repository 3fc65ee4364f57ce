"""Who the client is: the peer, or the right-most X-Forwarded-For hop that is not a trusted proxy."""

from __future__ import annotations

import pytest

from receptionist.channels.http.clientaddr import ClientHasher, client_address, limit_key, parse_networks

PROXIES = parse_networks(["127.0.0.1/32", "10.0.0.0/8", "::1/128"])


@pytest.mark.parametrize("peer, forwarded, client", [
    ("203.0.113.7", [], "203.0.113.7"),  # no proxy in front
    ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),  # an untrusted peer's X-Forwarded-For is ignored
    ("127.0.0.1", [], "127.0.0.1"),  # the proxy itself asking
    ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
    ("127.0.0.1", ["1.1.1.1, 203.0.113.7"], "203.0.113.7"),  # a forged left-most value never counts
    ("127.0.0.1", ["1.1.1.1, 203.0.113.7, 10.0.0.5"], "203.0.113.7"),  # two trusted proxies in a row
    ("127.0.0.1", ["1.1.1.1", "203.0.113.7, 10.0.0.5"], "203.0.113.7"),  # several headers are one list
    ("127.0.0.1", ["10.0.0.9, 10.0.0.5"], "10.0.0.9"),  # every hop trusted: the left-most of them
    ("127.0.0.1", ["1.1.1.1, 203.0.113.7:51000"], "203.0.113.7"),  # a port on a hop
    ("::ffff:127.0.0.1", ["203.0.113.7"], "203.0.113.7"),  # an IPv4-mapped peer is the IPv4 proxy
    ("::1", ["[2001:db8::1]:443"], "2001:db8::1"),
    ("127.0.0.1", ["203.0.113.7, not-an-ip"], "not-an-ip"),  # garbage after a trusted hop ends the walk
    ("127.0.0.1", [" , "], "127.0.0.1"),
    (None, ["203.0.113.7"], "?"),
])
def test_client_address(peer, forwarded, client):
    assert client_address(peer, forwarded, PROXIES) == client


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_address("127.0.0.1", ["203.0.113.7"], ()) == "127.0.0.1"


def test_ipv6_clients_share_their_64_and_are_hashed_for_the_agent():
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("203.0.113.7") == "203.0.113.7"
    hashed_client = ClientHasher.from_secret(b"appliance secret")
    hashed = hashed_client("203.0.113.7")
    assert hashed.startswith("web:") and "203.0.113.7" not in hashed and hashed == hashed_client("203.0.113.7")
    assert hashed_client("2001:db8:1:2::1") == hashed_client("2001:db8:1:2::2") != hashed
    assert ClientHasher.from_secret(b"appliance secret")("203.0.113.7") == hashed  # survives a restart
    assert ClientHasher.from_secret(b"another appliance")("203.0.113.7") != hashed
