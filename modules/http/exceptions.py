"""Why an outside HTTP call did not happen (``HttpRefused``) or did not succeed
(``HttpFailed``). Both are expected failures a scenario can route to its error port; their
messages name hosts and addresses only, never header values or bodies."""

from __future__ import annotations

from typing import Literal

from core.errors import RozmovaError

FailureKind = Literal[
    "timeout", "connect", "too_large", "too_many_redirects", "circuit_open", "protocol",
    "not_json",
]


class HttpRefused(RozmovaError):
    """The request was not sent: its URL or an address it leads to is not allowed. ``reason``
    is safe to show the scenario's author."""

    status, code, title = 422, "http_refused", "HTTP request refused"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HttpFailed(RozmovaError):
    """The request was sent (or tried) and did not give a usable answer."""

    status, code, title = 502, "http_failed", "HTTP request failed"

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message, kind=kind)
        self.kind: FailureKind = kind
        self.message = message
