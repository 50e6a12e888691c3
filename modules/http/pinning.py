"""Connections pinned to checked addresses: an httpcore network backend that resolves a host
name once, checks every address it got, and opens the TCP connection to one of those
addresses itself, never to the name. A DNS answer that changes between the check and the
connection (DNS rebinding) therefore cannot matter: there is no second lookup.

httpcore hands this backend the URL's host and, for https, performs TLS on the returned
stream with the URL's host as server name, so SNI and certificate verification stay on the
name while the socket goes to the pinned address."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from ipaddress import ip_address

import httpcore
import httpx
import structlog

from modules.http.exceptions import HttpRefused
from modules.http.policy import AddressPolicy, IPAddress, parse_host

log = structlog.get_logger("rozmova.modules.http")

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
"""``(host, port) -> addresses``: how host names are turned into addresses."""


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The operating system's resolver, without blocking the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Every address a name resolves to must pass the policy, or the connection is refused:
    a name that answers with a private address next to public ones is either misconfigured
    or an attack, and picking the public ones would hide that from the author. The addresses
    are then tried in the resolver's order."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver | None = None,
                 inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._policy = policy
        self._resolve = resolver or system_resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """The checked addresses a connection to ``host`` may use."""
        target = parse_host(host)
        if isinstance(target, str):
            try:
                addresses = list(dict.fromkeys(await self._resolve(target, port)))
            except (OSError, UnicodeError, ValueError):
                raise httpcore.ConnectError(f"{target} could not be resolved") from None
            if not addresses:
                raise httpcore.ConnectError(f"{target} has no address")
        else:
            addresses = [target]
        for address in addresses:
            self._policy.check(host, address, port)
        return addresses

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.addresses(host, port)
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            log.debug("http.connect", host=host, address=str(address), port=port)
            return stream
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise HttpRefused("Unix sockets are not reachable from scenarios")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


RESOLVE_SECONDS = 5.0
DEFAULT_PORTS = {"https": 443, "http": 80, "smtp": 25}


async def check_url(policy: AddressPolicy, url: str, resolver: Resolver | None = None) -> None:
    """Raise ``HttpRefused`` unless every address the URL's host resolves to passes the policy:
    the check ``PinnedBackend`` makes before it connects, for the platform's own clients that
    connect by themselves (a model provider through litellm, an SMTP server). They resolve
    again when they connect, so unlike a pinned connection (`pinned_transport`, llm.wire)
    this leaves DNS rebinding open; it refuses what is private or local today."""
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeDecodeError) as exc:
        raise HttpRefused(f"{url!r} is not a URL: {exc}") from None
    port = parsed.port or DEFAULT_PORTS.get(parsed.scheme, 80)
    try:
        await asyncio.wait_for(PinnedBackend(policy, resolver).addresses(host, port),
                               RESOLVE_SECONDS)
    except (httpcore.ConnectError, TimeoutError) as exc:
        raise HttpRefused(str(exc) or f"{host} could not be resolved in time") from None


def pinned_transport(policy: AddressPolicy, resolver: Resolver | None = None,
                     max_connections: int = 100) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections are pinned like the HTTP blocks' (see
    `PinnedBackend`): for the platform's own httpx clients that call addresses an
    organization gave (webhooks), so that a name cannot pass the check as a public address
    and connect to an internal one. httpx builds its httpcore pool without a way to pass a
    network backend, so the pool is replaced by one with ours (checked by
    tests/notify/test_pinned_webhooks.py on every httpx upgrade)."""
    transport = httpx.AsyncHTTPTransport(trust_env=False, retries=0)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(), max_connections=max_connections,
        max_keepalive_connections=min(20, max_connections), keepalive_expiry=30.0,
        http1=True, http2=False, network_backend=PinnedBackend(policy, resolver))
    return transport
