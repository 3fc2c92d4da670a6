"""Where a download may connect, and for how long: checked at the socket, under httpx.

A feed names URLs the build downloads (chapter and transcript files, and the redirects its own
server answers with). Unchecked, a feed naming `http://127.0.0.1:8080/admin`, a private-network
address, the cloud metadata service (`169.254.169.254`) or a host name that resolves to one of
them makes the build (on a maintainer's laptop, or in CI) read an internal page and publish it as
a transcript. So every connection goes through `GuardedBackend.connect_tcp`, httpcore's one place
that opens sockets: the host name is resolved once, every address it resolves to is checked
(`refusal`), and the socket connects to an address that was checked, never to a second lookup
(no DNS-rebinding gap). The first request and every redirect open their connections here. TLS is
untouched: SNI and the certificate check use the URL's host name, and the Host header is the URL's.

Hosts a maintainer trusts are allowed by name or address (`AddressPolicy.allow_hosts`, from the
`fetch_allow_hosts` setting; the maintainer's own `feed_url` host is added for the feed).

`deadline(seconds)` bounds one whole download: every connect, read and write is given at most
the time left, so a server that trickles a byte every few seconds cannot hold a build (the
per-read timeout alone never fires on a trickle).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack...
    "fd00:ec2::254",  # AWS over IPv6
    "169.254.170.2",  # AWS ECS task credentials
    "100.100.100.200",  # Alibaba Cloud
))
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses that a gateway turns into IPv4 ones


def refusal(address: Address) -> str | None:
    """Why a download may not connect to `address` ("a loopback address"), or None for a public one."""
    if address in METADATA:
        return "the cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (
            ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None)
        if embedded is not None and (inner := refusal(embedded)):
            return f"{inner} (IPv6 form of {embedded})"
        if address.ipv4_mapped is not None:
            return None
    for test, reason in ((address.is_loopback, "a loopback address"),
                         (address.is_unspecified, "an unspecified address"),
                         (address.is_link_local, "a link-local address"),
                         (address.is_multicast, "a multicast address"),
                         (address.is_private, "a private-network address"),
                         (not address.is_global, "not a public address")):
        if test:
            return reason
    return None


class Refused(Exception):
    """A connection the policy does not allow; `str()` says why, in a maintainer's words."""

    def __init__(self, host: str, address: Address, reason: str):
        host = host if len(host) <= 80 else host[:60] + "…"  # a feed's host name may be huge
        self.host, self.address, self.reason = host, address, reason
        super().__init__(self.describe())

    def describe(self, redirect: bool = False) -> str:
        """`10.0.0.5 is a private-network address`; with `redirect`, `the server redirects to
        intranet.example, which resolves to 10.0.0.5, a private-network address`."""
        literal = _literal(self.host) == self.address
        if redirect:
            return (f"the server redirects to {self.host}, " + ("" if literal else
                    f"which resolves to {self.address}, ") + self.reason)
        return (f"{self.host} is " if literal else
                f"{self.host} resolves to {self.address}, ") + self.reason


class DeadlinePassed(Exception):
    """The download's overall deadline (`deadline`) passed."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order (tests replace this hook)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


RESOLVE: Callable[[str, int], list[str]] = resolve


@dataclass(frozen=True)
class AddressPolicy:
    """Hosts always allowed: host names (`podcast.lan`), addresses (`127.0.0.1`) or networks
    (`10.1.0.0/16`). Anything else must resolve only to public addresses."""

    allow_hosts: tuple[str, ...] = ()

    def allows_name(self, host: str) -> bool:
        names = {h.strip().lower().rstrip(".").strip("[]") for h in self.allow_hosts}
        return host.lower().rstrip(".").strip("[]") in names

    def allows_address(self, address: Address) -> bool:
        for entry in self.allow_hosts:
            with contextlib.suppress(ValueError):
                if address in ipaddress.ip_network(entry.strip().strip("[]"), strict=False):
                    return True
        return False

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`, each checked; Refused if any is not allowed
        (a name that resolves to a public and a private address is not trusted either)."""
        literal = _literal(host)
        if literal is not None:
            found = [literal]
        else:
            try:
                found = [ipaddress.ip_address(a.split("%")[0]) for a in RESOLVE(host, port)]
            except (OSError, UnicodeError, ValueError) as exc:
                raise httpcore.ConnectError(f"{host}: {exc}") from None
        if self.allows_name(host):
            return [str(a) for a in found]
        for address in found:
            reason = refusal(address)
            if reason and not self.allows_address(address):
                raise Refused(host, address, reason)
        return [str(a) for a in found]

    def refusal_without_lookup(self, host: str) -> Refused | None:
        """The refusal a host gets before any DNS lookup: for an IP literal or `localhost`."""
        if self.allows_name(host):
            return None
        if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
            return Refused(host, ipaddress.ip_address("127.0.0.1"), "a loopback address")
        literal = _literal(host)
        if literal is not None and (reason := refusal(literal)) and not self.allows_address(literal):
            return Refused(host, literal, reason)
        return None


def _literal(host: str) -> Address | None:
    """The address a host written as one stands for, in any spelling the resolver accepts
    (`127.0.0.1`, `[::1]`, and the old IPv4 forms `127.1`, `0x7f.0.0.1`, `2130706433`)."""
    host = host.strip("[]").split("%")[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        with contextlib.suppress(OSError):
            return ipaddress.ip_address(socket.inet_aton(host))
    return None


# --- the overall deadline of one download ----------------------------------------------------------

_local = threading.local()  # each download runs in one thread (attachments: one per worker)


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Within this block, every network step of this thread ends by `seconds` from now."""
    before = getattr(_local, "until", None)
    _local.until = None if seconds is None else time.monotonic() + seconds
    try:
        yield
    finally:
        _local.until = before


def _bounded(step: Callable[[float | None], object], timeout: float | None):
    """Run `step(timeout)` with the timeout cut to the time left before the deadline."""
    until = getattr(_local, "until", None)
    if until is None:
        return step(timeout)
    left = until - time.monotonic()
    if left <= 0:
        raise DeadlinePassed
    cut = timeout is None or left < timeout
    try:
        return step(left if cut else timeout)
    except httpcore.TimeoutException:
        if cut:
            raise DeadlinePassed from None
        raise


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _bounded(lambda t: self.stream.read(max_bytes, t), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _bounded(lambda t: self.stream.write(buffer, t), timeout)

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(_bounded(
            lambda t: self.stream.start_tls(ssl_context, server_hostname, t), timeout))

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket layer with the address check and the deadline."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        problem: Exception = httpcore.ConnectError(f"{host}: no address")
        for address in self.policy.addresses(host, port):
            try:  # like socket.create_connection: the next address when one does not answer
                return _DeadlineStream(_bounded(lambda t: self.sockets.connect_tcp(
                    address, port, t, local_address, socket_options), timeout))
            except httpcore.ConnectError as exc:
                problem = exc
        raise problem

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("podsite downloads over TCP only")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over `GuardedBackend`. httpx takes no network backend as a
    parameter, so the connection pool its `handle_request` uses (`_pool`) is built here with
    httpx's default limits. Environment proxies are not used: through a proxy, the proxy would
    connect, and the address it reaches could not be checked."""

    def __init__(self, policy: AddressPolicy):
        super().__init__()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=GuardedBackend(policy))
