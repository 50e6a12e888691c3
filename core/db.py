"""Database: the async engine, sessions, the declarative base with a constraint naming
convention, and column types that behave the same on SQLite and PostgreSQL.

Services only ``flush``; the request boundary (``core.http.DbSession``) owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, Uuid, event
from sqlalchemy.exc import (
    DBAPIError, IntegrityError, InterfaceError, InternalError, OperationalError,
)
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from core.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores no zone: it comes back
    naive and is read as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # JSON rather than JSONB: PostgreSQL's json keeps the document's text (and key order)
    # exactly, which export/import round-trips rely on.
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def upsert(dialect: str, table: Any) -> Any:
    """An INSERT that can take ON CONFLICT DO UPDATE (`on_conflict_do_update`), in the
    dialect of the connection at hand: PostgreSQL's or SQLite's, the two the platform runs."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def create_engine(settings: Settings, pool_size: int | None = None) -> AsyncEngine:
    url = settings.resolved_database_url
    pool_size = pool_size or settings.database_pool_size
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url, echo=settings.database_echo, connect_args={"timeout": 15}
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers run beside the one writer; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_async_engine(
        url,
        echo=settings.database_echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping: it costs a round trip on every checkout; a dropped connection fails
        # its statement once and is replaced, and recycling bounds a connection's age.
        pool_recycle=1800,
        pool_timeout=10,
        connect_args={"timeout": 10, "command_timeout": 30},
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def flush_unique(session: AsyncSession, conflict: str) -> None:
    """Flush inside a savepoint; a unique-constraint violation becomes a 409 with the
    caller's message, and the rest of the request's transaction stays usable."""
    from core.errors import Conflict

    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(conflict) from None


# --- outages ---------------------------------------------------------------------------------
# Failures that mean the database is down, cut off or saturated rather than a bug: the hot
# path's own asyncpg pool raises the driver's exceptions unwrapped, SQLAlchemy's pool raises its
# own TimeoutError when no connection frees up, and a connect that never completes raises the
# built-in TimeoutError. Every entry point (REST, WebSocket) answers them as a retryable 503.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,
    SQLAlchemyTimeoutError, TimeoutError, ConnectionError,
)


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is unavailable (nothing of the transaction stored)."""
    if isinstance(exc, DBAPIError):
        # InternalError covers the driver's "connection is in a bad state" after a cut.
        if exc.connection_invalidated or isinstance(
                exc, (OperationalError, InterfaceError, InternalError)):
            return True
        # The driver's own error, as SQLAlchemy's adaptor wraps it (asyncpg's "too many
        # clients" arrives as a plain DBAPI Error): the server refused to serve, retry later.
        orig = exc.orig
        return isinstance(orig, OUTAGE_ERRORS) or isinstance(
            getattr(orig, "__cause__", None), OUTAGE_ERRORS)
    return isinstance(exc, OUTAGE_ERRORS)


# --- cached facts -----------------------------------------------------------------------------
# Rows that instances keep cached copies of declare the cache keys they feed. Any flush that
# inserts, changes or deletes such a row, through any code path, marks those keys; the commit
# then drops them everywhere (core.invalidation). Forgetting a call site cannot leave a stale
# cache behind.

CacheKeys = Callable[[Any], Iterable[str]]
_cached_models: dict[type, CacheKeys] = {}


def cached_as(model: type, keys: CacheKeys) -> None:
    """Declare that instances cache ``model`` rows under ``keys(row)``. ``keys`` may read
    ``attribute_history`` to name a key the row had before the change (a rotated key).
    Bulk ``update()``/``delete()`` statements skip the flush: they must call
    ``invalidate_on_commit`` themselves (none do today)."""
    _cached_models[model] = keys


def invalidate_on_commit(session: AsyncSession | Session, *keys: str) -> None:
    session.info.setdefault("invalidate", set()).update(keys)


@event.listens_for(Session, "after_flush")
def _mark_cached_rows(session: Session, _context: Any) -> None:
    if not _cached_models:
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        keys = _cached_models.get(type(row))
        if keys is not None:
            invalidate_on_commit(session, *keys(row))


async def _after_commit(session: AsyncSession) -> None:
    """The transaction committed: drop the cached copies of what it changed, everywhere
    (a failure is logged; the change itself is stored and the copies expire by lifetime)."""
    keys = session.info.pop("invalidate", None)
    invalidation = session.info.get("invalidation")
    if keys and invalidation is not None:
        try:
            await invalidation.invalidate(*sorted(keys))
        except Exception:
            structlog.get_logger("rozmova.db").exception("db.invalidation_failed")


def discard_after_commit(session: AsyncSession) -> None:
    """The transaction rolled back: nothing it marked happened."""
    session.info.pop("invalidate", None)


async def commit(session: AsyncSession) -> None:
    """Commit, then drop the cached copies of what the transaction changed."""
    await session.commit()
    await _after_commit(session)


@asynccontextmanager
async def transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits when the block ends, rolls back when it raises."""
    async with sessionmaker() as session:
        try:
            async with session.begin():
                yield session
        except BaseException:
            discard_after_commit(session)
            raise
        # session.begin() committed on leaving; run what waited for it.
        await _after_commit(session)
