"""Which addresses an author's HTTP request may reach: public ones only, unless the operator
allow-lists a host name, an address or a network.

Hosts are normalised before any check, the way browsers (the WHATWG URL standard) and the C
resolver read them: ``2130706433``, ``0177.0.0.1``, ``0x7f.1`` and ``127.1`` are all
127.0.0.1. A host that looks like a number but does not parse as an IPv4 address is refused
rather than handed to a resolver that may read it differently."""

from __future__ import annotations

import re
from collections.abc import Sequence
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)

from modules.http.exceptions import HttpRefused

IPAddress = IPv4Address | IPv6Address

_RFC1918 = tuple(ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_CGNAT = ip_network("100.64.0.0/10")
_ULA = ip_network("fc00::/7")
_NAT64 = ip_network("64:ff9b::/96")
_NAT64_LOCAL = ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ip_network("::/96")
_IPV4_TRANSLATED = ip_network("::ffff:0:0:0/96")
# Instance metadata and host services of cloud providers. Most sit in ranges refused anyway;
# naming them gives the author a clearer reason, and Azure's host address is public space.
_METADATA = frozenset(ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.169.253", "169.254.169.123",
    "fd00:ec2::254", "fd00:ec2::23", "100.100.100.200", "168.63.129.16", "192.0.0.192",
))

_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*")


def parse_host(host: str) -> str | IPAddress:
    """The address a URL's host denotes, or its host name normalised (lower case, no trailing
    dot). ``host`` is as ``httpx.URL.raw_host`` gives it: ASCII, IPv6 without brackets.
    Raises ``HttpRefused`` for anything malformed or ambiguous."""
    if not host:
        raise HttpRefused("the URL has no host")
    if ":" in host:
        if "%" in host:
            raise HttpRefused(f"{host} carries an IPv6 zone id; not allowed")
        try:
            return IPv6Address(host)
        except ValueError:
            raise HttpRefused(f"{host} is not a valid IPv6 address") from None
    name = host.lower().removesuffix(".")
    labels = name.split(".")
    if _NUMERIC.fullmatch(labels[-1]):
        return _parse_ipv4(host, labels)
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise HttpRefused(f"{host!r} is not a valid host name")
    return name


def _parse_ipv4(host: str, parts: list[str]) -> IPv4Address:
    """The WHATWG IPv4 parser: one to four parts, each decimal, octal (leading 0) or hex (0x);
    the last part fills the remaining bytes."""
    refused = HttpRefused(f"{host!r} looks like an IPv4 address but is not a valid one")
    if len(parts) > 4:
        raise refused
    numbers = []
    for part in parts:
        if not part:
            raise refused
        try:
            if part[:2].lower() == "0x":
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part[0] == "0":
                numbers.append(int(part[1:], 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            raise refused from None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise refused
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return IPv4Address(value)


def _embedded_ipv4(address: IPv6Address) -> tuple[str, IPv4Address] | None:
    """IPv6 forms that reach an IPv4 address: IPv4-mapped, NAT64 (well-known prefix), 6to4."""
    if address.ipv4_mapped is not None:
        return "an IPv4-mapped form", address.ipv4_mapped
    if address in _NAT64:
        return "a NAT64 form", IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return "a 6to4 form", address.sixtofour
    return None


def _kind(address: IPAddress) -> str | None:
    """What makes ``address`` unreachable for authors ("a loopback address"), or None."""
    if address in _METADATA:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, IPv4Address):
        if any(address in network for network in _RFC1918):
            return "a private address"
        if address in _CGNAT:
            return "a shared (carrier-grade NAT) address"
        if address == IPv4Address("255.255.255.255"):
            return "the broadcast address"
    else:
        if address in _ULA:
            return "a unique local address"
        if address.is_site_local:
            return "a site-local address"
        if address in _IPV4_COMPATIBLE:
            return "an IPv4-compatible address (a deprecated form)"
        if address in _IPV4_TRANSLATED or address in _NAT64_LOCAL:
            return "an IPv4-translated address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "not a public address"
    return None


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` is refused by default, as a sentence for the author, or None."""
    if isinstance(address, IPv6Address):
        if address.scope_id:
            return f"{address} carries an IPv6 zone id; not allowed"
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            form, inner = embedded
            kind = _kind(inner)
            shown = f"::ffff:{inner}" if address.ipv4_mapped is not None else str(address)
            return None if kind is None else (
                f"{shown} is {form} of {inner}, {kind}; not allowed")
    kind = _kind(address)
    return None if kind is None else f"{address} is {kind}; not allowed"


class AddressPolicy:
    """Decides whether a connection to ``address`` (which ``host`` resolved to, or which
    ``host`` is) may be made. ``allow`` is the operator's list of exceptions: host names
    (``api.internal``, or ``*.internal`` for every name under it), addresses and networks
    (``10.1.2.3``, ``10.1.0.0/16``), admitted even if private. A host name or an address may
    name one port (``127.0.0.1:8089``, ``[::1]:8089``, ``api.internal:443``): then only that
    port is admitted, which lets a local service in without opening every port of the host.
    The unspecified addresses (0.0.0.0, ::) are refused whatever the list says: they mean
    "this host"."""

    def __init__(self, allow: Sequence[str] = ()) -> None:
        # Each exception with the port it is limited to (None: any port).
        self._names: list[tuple[str, int | None]] = []
        self._suffixes: list[tuple[str, int | None]] = []
        self._networks: list[tuple[IPv4Network | IPv6Network, int | None]] = []
        for raw in allow:
            entry = raw.strip().lower()
            if not entry:
                continue
            entry, port = _split_port(raw, entry)
            try:
                network = ip_network(entry, strict=False)
            except ValueError:
                pass
            else:
                if port is not None and network.num_addresses != 1:
                    raise ValueError(f"{raw!r}: a port goes with one address, not a network")
                self._networks.append((network, port))
                continue
            name = entry.rstrip(".")
            wildcard = name.startswith("*.")
            if wildcard:
                name = name[2:]
            labels = name.split(".")
            if (not name or not all(_LABEL.fullmatch(label) for label in labels)
                    or _NUMERIC.fullmatch(labels[-1])):
                raise ValueError(
                    f"{raw!r} is neither a host name, an IP address nor a network (CIDR)")
            if wildcard:
                self._suffixes.append(("." + name, port))
            else:
                self._names.append((name, port))

    def check(self, host: str, address: IPAddress, port: int | None = None) -> None:
        """Raise ``HttpRefused`` unless a connection to ``address`` (on ``port``) is allowed."""
        embedded = _embedded_ipv4(address) if isinstance(address, IPv6Address) else None
        forms = [address] if embedded is None else [address, embedded[1]]
        if any(form.is_unspecified for form in forms):
            raise HttpRefused(refusal(address) or f"{address} is not allowed")
        if self._admits(host, forms, port):
            return
        reason = refusal(address)
        if reason is not None:
            raise HttpRefused(reason)

    def _admits(self, host: str, forms: list[IPAddress], port: int | None) -> bool:
        def fits(limit: int | None) -> bool:
            return limit is None or limit == port

        name = host.lower().rstrip(".")
        if any(name == known and fits(limit) for known, limit in self._names):
            return True
        if any(name.endswith(suffix) and fits(limit) for suffix, limit in self._suffixes):
            return True
        return any(form in network and fits(limit)
                   for form in forms for network, limit in self._networks)


_PORTED = re.compile(r"\[(?P<v6>[0-9a-f:.]+)\]:(?P<v6port>[0-9]{1,5})|(?P<host>[^:]+):(?P<port>[0-9]{1,5})")


def _split_port(raw: str, entry: str) -> tuple[str, int | None]:
    """``entry`` without its port, and the port (None when it names none)."""
    match = _PORTED.fullmatch(entry)
    if match is None:
        return entry, None
    host = match["v6"] or match["host"]
    port = int(match["v6port"] or match["port"])
    if not 1 <= port <= 65535:
        raise ValueError(f"{raw!r}: {port} is not a port")
    return host, port
