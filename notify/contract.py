"""The notifications' contract: a `Notifier` the composition root builds once and hands to the
services that send notices (the LLM service on a report)."""

from __future__ import annotations

from typing import Any

from notify.service import Notifier

__all__ = ["Notifier", "notifier"]


def notifier(sessionmaker: Any, secrets: Any, bots: Any, address_policy: Any) -> Notifier:
    """A webhook's address is checked like an HTTP block's before each attempt."""
    import asyncio
    import socket
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    async def check(url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or {"https": 443, "smtp": 25}.get(parts.scheme, 80)
        infos = await asyncio.wait_for(asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM), 5.0)
        for info in infos:
            address_policy.check(host, ip_address(info[4][0]), port)

    return Notifier(sessionmaker, secrets, bots, check)
