"""The notifications' contract: a `Notifier` the composition root builds once and hands to the
services that send notices (the LLM service on a report)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from notify.service import Notifier

__all__ = ["Notifier", "notifier"]


def notifier(sessionmaker: Any, secrets: Any, bots: Any,
             address_check: Callable[[str], Awaitable[None]], http: Any = None) -> Notifier:
    """`address_check(url)` raises for a webhook or SMTP server the platform may not reach
    (the composition root hands in the HTTP blocks' check); it runs before each attempt.
    `http`: the httpx client webhooks are posted with (the composition root's connects only
    to addresses that pass the same policy); the notifier closes it."""
    return Notifier(sessionmaker, secrets, bots, address_check, http=http)
