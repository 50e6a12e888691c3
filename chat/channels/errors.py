"""What a messenger's webhook answers a body it cannot read."""

from __future__ import annotations

from core.errors import RozmovaError


class NotAnUpdate(RozmovaError):
    """400: the body is not the messenger's update or callback (sending it again cannot
    help, so the messenger is told plainly)."""

    status, code, title = 400, "not_an_update", "Not a messenger update"
