"""What the organizations' bots spend on models, counted in memory and written to `llm_usage`
about once a second: one upsert per (organization, bot, provider, day) with the sums since the
last write, instead of one per call.

Reads within the process stay exact: `spent` adds what is not written yet to what is stored,
and a listing calls `flush` first. The process keeps one book per database (`book_for`), which
the apps it serves share. Other instances' counts reach the table within about a
second. A write that fails keeps its counts for the next one (an outage), or drops the rows
the database refuses (an organization deleted meanwhile); counting never fails a call."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from datetime import date
from typing import Any

import structlog
from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import is_outage, upsert, utcnow
from core.tasks import stop
from llm.models import LlmUsage

log = structlog.get_logger(__name__)

FIELDS = ("calls", "cached", "prompt_tokens", "completion_tokens", "cost")
FLUSH_SECONDS = 1.0
MAX_KEYS = 100_000    # counts kept while the database is away; past them, new ones are dropped
CHUNK = 500           # rows a statement


async def usage_since(session: AsyncSession, org_id: uuid.UUID, first: date,
                      bot_id: uuid.UUID | None = None, today: date | None = None
                      ) -> dict[str, Any]:
    """The organization's tokens today and cost since `first` (the month's first day), and
    `bot_id`'s tokens today, as stored (see `UsageBook.spent` for this process's unwritten
    counts too)."""
    today = today or utcnow().date()
    tokens = LlmUsage.prompt_tokens + LlmUsage.completion_tokens
    row = (await session.execute(select(
        func.coalesce(func.sum(case((LlmUsage.day == today, tokens), else_=0)), 0),
        func.coalesce(func.sum(LlmUsage.cost), 0.0),
        func.coalesce(func.sum(case(((LlmUsage.day == today) & (LlmUsage.bot_id == bot_id),
                                     tokens), else_=0)), 0)).where(
        LlmUsage.org_id == org_id, LlmUsage.day >= first))).one()
    return {"today_tokens": int(row[0]), "month_cost": float(row[1]),
            "bot_today_tokens": int(row[2])}


_books: weakref.WeakKeyDictionary[Any, UsageBook] = weakref.WeakKeyDictionary()


def book_for(sessionmaker: async_sessionmaker[AsyncSession]) -> UsageBook:
    """This process's book for the database that `sessionmaker` opens sessions on."""
    book = _books.get(sessionmaker)
    if book is None:
        book = _books[sessionmaker] = UsageBook(sessionmaker)
    return book


# Counts by organization, then (bot, provider, day): [calls, cached, prompt, completion, cost].
Counts = dict[uuid.UUID, dict[tuple[uuid.UUID, str, date], list[Any]]]


class UsageBook:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 interval: float = FLUSH_SECONDS, max_keys: int = MAX_KEYS) -> None:
        self._sessionmaker = sessionmaker
        self.interval = interval
        self.max_keys = max_keys
        self._pending: Counts = {}
        self._keys = 0
        self._dropped = 0
        # The write under way (a task of its own: a caller that gives up waiting, such as a
        # cancelled request, cannot cut it between its commit and its bookkeeping).
        self._writing: asyncio.Task[None] | None = None
        # Bumped when a write starts and when it ends: a read of the table that saw no change
        # of it saw none of this process's counts move from memory to the table.
        self._epoch = 0
        self._flusher: asyncio.Task[None] | None = None
        self._statements: dict[str, Any] = {}

    @property
    def pending(self) -> int:
        """How many rows wait for the next write."""
        return self._keys

    def add(self, org_id: uuid.UUID, bot_id: uuid.UUID, provider: str, day: date,
            calls: int = 1, cached: int = 0, prompt_tokens: int = 0,
            completion_tokens: int = 0, cost: float = 0.0) -> None:
        rows = self._pending.setdefault(org_id, {})
        counts = rows.get((bot_id, provider, day))
        if counts is None:
            if self._keys >= self.max_keys:
                self._dropped += calls
                if not rows:
                    del self._pending[org_id]
                return
            counts = rows[(bot_id, provider, day)] = [0, 0, 0, 0, 0.0]
            self._keys += 1
        counts[0] += calls
        counts[1] += cached
        counts[2] += prompt_tokens
        counts[3] += completion_tokens
        counts[4] += cost
        if self._flusher is None or self._flusher.done() or \
                self._flusher.get_loop() is not asyncio.get_running_loop():
            self._flusher = asyncio.get_running_loop().create_task(
                self._flush_every_interval(), name="llm-usage-flusher")

    async def _flush_every_interval(self) -> None:
        """Runs while there are counts to write; `add` starts it again after."""
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()
            if not self._keys:
                return

    async def flush(self) -> None:
        """Writes what was counted before the call (waiting for a write under way first).
        Never raises: what could not be written stays for the next write."""
        if self._writing is not None:
            await asyncio.shield(self._writing)
        if self._writing is None and self._keys:
            self._writing = asyncio.get_running_loop().create_task(
                self._write_pending(), name="llm-usage-write")
        if self._writing is not None:
            await asyncio.shield(self._writing)

    async def close(self) -> None:
        """The last write; the flusher stops."""
        await self.flush()
        if self._flusher is not None:
            await stop([self._flusher])
            self._flusher = None
        if self._keys:
            log.warning("llm.usage_not_counted", rows=self._keys, reason="closed")

    async def spent(self, session: AsyncSession, org_id: uuid.UUID, first: date,
                    bot_id: uuid.UUID | None = None) -> dict[str, Any]:
        """`usage_since` with this process's counts not written yet. A write that moves counts
        from memory to the table while the table is read would have them counted twice or
        not at all: the read waits for a write under way and is made again after one that
        started meanwhile (rare: a write a second, a read of a millisecond)."""
        today = utcnow().date()
        for _ in range(5):
            if self._writing is not None:
                await asyncio.shield(self._writing)
            epoch = self._epoch
            stored = await usage_since(session, org_id, first, bot_id, today)
            if self._epoch == epoch:
                break
        for (bot, _provider, day), counts in self._pending.get(org_id, {}).items():
            if day < first:
                continue
            stored["month_cost"] += counts[4]
            if day == today:
                stored["today_tokens"] += counts[2] + counts[3]
                if bot == bot_id:
                    stored["bot_today_tokens"] += counts[2] + counts[3]
        return stored

    # --- writing ------------------------------------------------------------------------

    async def _write_pending(self) -> None:
        batch, self._pending, self._keys = self._pending, {}, 0
        self._epoch += 1
        try:
            await self._write(batch)
        except BaseException as exc:  # cancelled with the loop, or a bug: keep the counts
            self._restore(batch)
            if not isinstance(exc, Exception):
                raise
            log.exception("llm.usage_write_failed")
        finally:
            self._epoch += 1
            self._writing = None
            if self._dropped:
                log.warning("llm.usage_not_counted", calls=self._dropped,
                            reason=f"over {self.max_keys:,} rows wait to be written")
                self._dropped = 0

    async def _write(self, batch: Counts) -> None:
        rows = sorted(({"org_id": org_id, "bot_id": bot_id, "provider": provider, "day": day,
                        **dict(zip(FIELDS, counts, strict=True))}
                       for org_id, keys in batch.items()
                       for (bot_id, provider, day), counts in keys.items()),
                      # The same order on every instance: two writes never wait on each other
                      # in a cycle.
                      key=lambda r: (str(r["org_id"]), str(r["bot_id"]), r["provider"], r["day"]))
        try:
            async with self._sessionmaker() as session, session.begin():
                statement = self._statement(session.bind.dialect.name)
                for start in range(0, len(rows), CHUNK):
                    await session.execute(statement, rows[start:start + CHUNK])
            return
        except Exception as exc:
            if is_outage(exc):
                self._restore(batch)
                log.warning("llm.usage_write_delayed", rows=len(rows), error=type(exc).__name__)
                return
            failure = type(exc).__name__
        # A row the database refuses (its organization was deleted meanwhile) must not hold
        # back the others: each on its own.
        refused = 0
        for row in rows:
            try:
                async with self._sessionmaker() as session, session.begin():
                    await session.execute(self._statement(session.bind.dialect.name), [row])
            except Exception as exc:
                if is_outage(exc):
                    self._restore({row["org_id"]: {(row["bot_id"], row["provider"], row["day"]):
                                                   [row[f] for f in FIELDS]}})
                else:
                    refused += 1
        if refused:
            log.warning("llm.usage_not_counted", rows=refused, error=failure)

    def _restore(self, batch: Counts) -> None:
        """Counts that were not written go back, added to those counted meanwhile."""
        for org_id, keys in batch.items():
            for (bot_id, provider, day), counts in keys.items():
                self.add(org_id, bot_id, provider, day, *counts)

    def _statement(self, dialect: str) -> Any:
        statement = self._statements.get(dialect)
        if statement is None:
            table = LlmUsage.__table__
            insert = upsert(dialect, table)
            statement = self._statements[dialect] = insert.on_conflict_do_update(
                index_elements=["org_id", "bot_id", "provider", "day"],
                set_={name: table.c[name] + insert.excluded[name] for name in FIELDS})
        return statement
