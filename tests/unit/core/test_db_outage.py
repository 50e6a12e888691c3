"""What counts as the database being unavailable (a 503 to retry, never a 500)."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError

from core.db import is_outage


class _AdaptedError(Exception):
    """How SQLAlchemy's asyncpg adaptor hands a driver error over: its own class, with the
    driver's exception as the cause."""


def _wrapped(driver_error: Exception) -> DBAPIError:
    adapted = _AdaptedError(str(driver_error))
    adapted.__cause__ = driver_error
    return DBAPIError("SELECT 1", None, adapted)


def test_too_many_connections_is_an_outage_raw_or_wrapped():
    refused = asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already")
    assert is_outage(refused)
    assert is_outage(_wrapped(refused))


def test_a_query_error_is_not_an_outage():
    assert not is_outage(_wrapped(asyncpg.exceptions.UndefinedTableError("no table")))
    assert not is_outage(ValueError("x"))
