"""Who is the client? The TCP peer — unless the peer is a trusted proxy, in which case X-Forwarded-For is
walked from the right and the first hop that is not a trusted proxy is the client.

Each proxy appends the address it received the request from, so only the right-hand end of the header is
written by machines we trust; anything to the left of the first untrusted hop was written by the client
and never counts (a forged left-most value cannot pick another client's rate limit).

Rate limits key on `limit_key`: the IPv4 address, or the /64 network of an IPv6 address (one subscriber
gets a whole /64, so per-address IPv6 limits would be no limit). Raw addresses stay in memory; anything
that leaves the shim for the agent, the database or a log is a `ClientHasher` value — a keyed hash, with
a key derived from the appliance's secret (so the agent's stored per-client lock-outs survive a restart
and nobody without the secret can test which address a hash stands for).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from typing import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_MAX_HOPS = 32  # a header longer than this is not walked further (the walk stops at the left-most hop read)


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDR strings (validated by the config) → networks. Raises ValueError on a bad one."""
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


def _address(text: str) -> Address | None:
    """An IP address from a peer or an X-Forwarded-For hop ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::1")."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _trusted(addr: Address | None, proxies: Sequence[Network]) -> bool:
    return addr is not None and any(addr.version == net.version and addr in net for net in proxies)


def client_address(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]) -> str:
    """The client's address as text (see the module docstring). `forwarded_for` holds every X-Forwarded-For
    header value in the order received. A hop that is not an IP address ends the walk and is the client
    as written (cut to 64 characters); no peer at all (a Unix socket) is "?"."""
    peer_addr = _address(peer or "")
    if peer_addr is None:
        return (peer or "?")[:64]
    if not _trusted(peer_addr, proxies):
        return str(peer_addr)
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    current = str(peer_addr)
    for hop in reversed(hops[-_MAX_HOPS:]):
        addr = _address(hop)
        if addr is None:
            return hop.strip()[:64]
        current = str(addr)
        if not _trusted(addr, proxies):
            return current
    return current  # every hop is a trusted proxy: the request came from the left-most of them


def limit_key(client: str) -> str:
    """The rate-limit key of a client address: IPv6 addresses share their /64."""
    try:
        addr = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(addr, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((addr, 64), strict=False))
    return str(addr)


@dataclass(frozen=True, slots=True)
class ClientHasher:
    """Turns a client address into `web:` + 16 hex digits of a keyed hash of its limit key: the same for
    one client (and one IPv6 /64) as long as the key stays, unreadable without the key."""

    key: bytes

    @classmethod
    def from_secret(cls, secret: bytes) -> "ClientHasher":
        """A key for this purpose only, derived from an appliance secret (e.g. ops.privacy.load_salt)."""
        return cls(hmac.new(secret, b"receptionist http client address", hashlib.sha256).digest())

    def __call__(self, client: str, channel: str = "web") -> str:
        digest = hmac.new(self.key, limit_key(client).encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{channel}:{digest[:16]}"
