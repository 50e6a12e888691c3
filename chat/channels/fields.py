"""What a messenger's JSON holds, checked field by field: both channels read updates as plain
JSON rather than through a client library's models (see each `inbound` module)."""

from __future__ import annotations

from typing import Any


def is_int(value: Any) -> bool:
    """An integer, and not a bool (JSON's true is Python's 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_count(value: Any) -> bool:
    """An integer any JSON reader keeps exactly (a size, a duration, an id that is not a
    message token): what is stored with an event must survive every encoder."""
    return is_int(value) and -2 ** 53 < value < 2 ** 53
