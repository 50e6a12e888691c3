"""Reading and writing a turn: the hot path's database access. PostgreSQL gets hand-written
SQL on the driver: one read, and one write statement per turn, committed in groups with the
turns of other conversations (`GroupWriter`; the lock on the conversation already orders its
turns); other databases go through SQLAlchemy Core. Both take the same plan, and the
conformance of the two is what the suite runs twice for."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chat.conversations.models import (
    BotVariables,
    Conversation,
    ConversationMessage,
    Turn,
    UserVariables,
)
from core.db import upsert
from core.runtime import Runtime

_conversations = Conversation.__table__
_messages = ConversationMessage.__table__
_turns = Turn.__table__
_user_variables = UserVariables.__table__
_bot_variables = BotVariables.__table__


@dataclass(slots=True)
class Snapshot:
    """A conversation as one turn sees it."""

    id: uuid.UUID
    org_id: uuid.UUID
    bot_id: uuid.UUID
    scenario_id: uuid.UUID
    version_id: uuid.UUID | None
    end_user_id: str | None
    user_key: str
    channel: str
    language: str
    status: str
    state: dict[str, Any]
    message_seq: int
    turn_seq: int
    last_activity_at: Any
    timeout_at: Any
    user_values: dict[str, Any]
    bot_values: dict[str, Any]
    is_new: bool = False
    # The client_message_ids of its last turns, newest first (`RECENT_IDS` of them), where
    # the store reads them; None where it does not (see chat.conversations.warm).
    recent_ids: list[str] | None = None
    # A preview's own bot-scope writes (kept apart from the bot's: see
    # ConversationService), already merged into `bot_values`; None for people's conversations.
    preview_values: dict[str, Any] | None = None


_SNAPSHOT_FIELDS = ("id", "org_id", "bot_id", "scenario_id", "version_id", "end_user_id",
                    "user_key", "channel", "language", "status", "state", "message_seq",
                    "turn_seq", "last_activity_at", "timeout_at")


@dataclass(slots=True)
class TurnPlan:
    """Everything one turn writes."""

    conversation: Snapshot
    values: dict[str, Any]                 # the conversation row's new values
    messages: list[dict[str, Any]]         # id, seq, direction, body
    turn: dict[str, Any]                   # the turn row (without conversation_id)
    now: Any
    user_values: dict[str, Any] | None = None   # the full new dict, when it changed
    bot_values: dict[str, Any] | None = None
    # A preview's bot-scope values: (user-scope key, the full dict), kept apart from the bot's.
    preview_values: tuple[str, dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- SQLAlchemy Core (SQLite, and any other database) -------------------------------------------

def _user_values(bot_id: Any, key: Any) -> Any:
    return select(_user_variables.c["values"]).where(
        _user_variables.c.bot_id == bot_id,
        _user_variables.c.end_user_id == key).scalar_subquery().label("user_values")


def _bot_values(bot_id: Any) -> Any:
    return select(_bot_variables.c["values"]).where(
        _bot_variables.c.bot_id == bot_id).scalar_subquery().label("bot_values")


class CoreStore:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def variables(self, bot_id: uuid.UUID, user_key: str) -> tuple[dict, dict]:
        row = (await self.connection.execute(select(
            _user_values(bot_id, literal(user_key)), _bot_values(bot_id)))).one()
        return row.user_values or {}, row.bot_values or {}

    async def snapshot(self, conversation_id: uuid.UUID, client_message_id: str | None
                       ) -> tuple[Snapshot | None, dict[str, Any] | None]:
        c = _conversations.c
        replay = (select(_turns.c.response).where(
            _turns.c.conversation_id == c.id,
            _turns.c.client_message_id == client_message_id).scalar_subquery()
            if client_message_id is not None else literal(None, type_=_turns.c.response.type))
        row = (await self.connection.execute(select(
            *(c[name] for name in _SNAPSHOT_FIELDS), replay.label("replay"),
            _user_values(c.bot_id, c.user_key), _bot_values(c.bot_id),
        ).where(c.id == conversation_id))).first()
        if row is None:
            return None, None
        snapshot = Snapshot(**{name: getattr(row, name) for name in _SNAPSHOT_FIELDS},
                            user_values=row.user_values or {}, bot_values=row.bot_values or {})
        return snapshot, row.replay

    async def write(self, plan: TurnPlan) -> None:
        conversation = plan.conversation
        if conversation.is_new:
            await self.connection.execute(insert(_conversations).values(**{
                "id": conversation.id, "org_id": conversation.org_id,
                "bot_id": conversation.bot_id, "scenario_id": conversation.scenario_id,
                "end_user_id": conversation.end_user_id, "user_key": conversation.user_key,
                "channel": conversation.channel, "language": conversation.language,
                "created_at": plan.now, **plan.values}))
        else:
            # An update never clears an earlier end (the PostgreSQL path uses COALESCE).
            values = {k: v for k, v in plan.values.items()
                      if k != "ended_at" or v is not None}
            await self.connection.execute(update(_conversations).where(
                _conversations.c.id == conversation.id).values(**values))
        if plan.messages:
            await self.connection.execute(insert(_messages), [
                {**m, "conversation_id": conversation.id, "created_at": plan.now}
                for m in plan.messages])
        await self.connection.execute(insert(_turns).values(
            conversation_id=conversation.id, created_at=plan.now, **plan.turn))
        for table, keys, values in _upserts(plan):
            statement = upsert(self.connection.dialect.name, table).values(
                **keys, values=values, updated_at=plan.now)
            await self.connection.execute(statement.on_conflict_do_update(
                index_elements=list(keys), set_={"values": values, "updated_at": plan.now}))


def _upserts(plan: TurnPlan) -> list[tuple[Any, dict[str, Any], dict[str, Any]]]:
    conversation = plan.conversation
    out = []
    if plan.user_values is not None:
        out.append((_user_variables, {"bot_id": conversation.bot_id,
                                      "end_user_id": conversation.user_key}, plan.user_values))
    if plan.bot_values is not None:
        out.append((_bot_variables, {"bot_id": conversation.bot_id}, plan.bot_values))
    if plan.preview_values is not None:
        key, values = plan.preview_values
        out.append((_user_variables, {"bot_id": conversation.bot_id, "end_user_id": key},
                    values))
    return out


# --- PostgreSQL on the driver ---------------------------------------------------------------

_PG_SNAPSHOT = """
SELECT c.id, c.org_id, c.bot_id, c.scenario_id, c.version_id, c.end_user_id, c.user_key,
       c.channel, c.language, c.status, c.state, c.message_seq, c.turn_seq,
       c.last_activity_at, c.timeout_at,
       (SELECT t.response FROM conversation_turns t
         WHERE t.conversation_id = c.id AND t.client_message_id = $2) AS replay,
       (SELECT u."values" FROM user_variables u
         WHERE u.bot_id = c.bot_id AND u.end_user_id = c.user_key) AS user_values,
       (SELECT b."values" FROM bot_variables b WHERE b.bot_id = c.bot_id) AS bot_values,
       ARRAY(SELECT t.client_message_id FROM conversation_turns t
              WHERE t.conversation_id = $1 AND t.client_message_id IS NOT NULL
              ORDER BY t.seq DESC LIMIT 32) AS recent_ids
  FROM conversations c WHERE c.id = $1
"""

# The messages and the turn row, the same for every turn (the parameters $1 and $6-$22 are
# laid out by `_write_args`).
_PG_TURN_ROWS = """
), messages AS (
  INSERT INTO conversation_messages (id, conversation_id, seq, direction, body, created_at)
  SELECT m.id, $1, m.seq, m.direction, m.body::json, $7
    FROM unnest($10::uuid[], $11::int[], $12::text[], $13::text[]) AS m(id, seq, direction, body)
)
INSERT INTO conversation_turns (id, conversation_id, seq, client_message_id, version_id, event,
                                response, trace, errors, variable_changes, duration_ms,
                                created_at)
VALUES ($14, $1, $6, $15, $16, $17::json, $18::json, $19::json, $20::json, $21::json, $22, $7)
"""

# One statement writes the whole turn: it is atomic on its own, so no BEGIN/COMMIT round trips.
_PG_WRITE = """
WITH conversation AS (
  UPDATE conversations
     SET version_id = $2, status = $3, state = $4::json, message_seq = $5, turn_seq = $6,
         last_activity_at = $7, timeout_at = $8, ended_at = COALESCE(ended_at, $9),
         language = COALESCE($23, language)
   WHERE id = $1""" + _PG_TURN_ROWS

# A conversation's first turn: the same, inserting the conversation row. (The messages' and
# the turn's foreign keys are checked at the end of the statement, when the row exists.)
_PG_START = """
WITH conversation AS (
  INSERT INTO conversations (id, org_id, bot_id, scenario_id, version_id, end_user_id, user_key,
                             channel, language, status, state, message_seq, turn_seq,
                             created_at, last_activity_at, timeout_at, ended_at)
  VALUES ($1, $24, $25, $26, $2, $27, $28, $29, COALESCE($23, $30), $3, $4::json, $5, $6,
          $7, $7, $8, $9)""" + _PG_TURN_ROWS

_PG_VARIABLES = """
SELECT (SELECT u."values" FROM user_variables u WHERE u.bot_id = $1 AND u.end_user_id = $2)
         AS user_values,
       (SELECT b."values" FROM bot_variables b WHERE b.bot_id = $1) AS bot_values
"""

_PG_UPSERT_USER = """
INSERT INTO user_variables (bot_id, end_user_id, "values", updated_at) VALUES ($1, $2, $3::json, $4)
ON CONFLICT (bot_id, end_user_id) DO UPDATE SET "values" = EXCLUDED."values",
                                                updated_at = EXCLUDED.updated_at
"""
_PG_UPSERT_BOT = """
INSERT INTO bot_variables (bot_id, "values", updated_at) VALUES ($1, $2::json, $3)
ON CONFLICT (bot_id) DO UPDATE SET "values" = EXCLUDED."values", updated_at = EXCLUDED.updated_at
"""


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _parsed(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str) else value


def _write_args(plan: TurnPlan) -> tuple[Any, ...]:
    v, t, c = plan.values, plan.turn, plan.conversation
    messages = plan.messages
    args = (c.id, v["version_id"], v["status"], _json(v["state"]), v["message_seq"],
            v["turn_seq"], v["last_activity_at"], v["timeout_at"], v.get("ended_at"),
            [m["id"] for m in messages], [m["seq"] for m in messages],
            [m["direction"] for m in messages], [_json(m["body"]) for m in messages],
            t["id"], t["client_message_id"], t["version_id"], _json(t["event"]),
            _json(t["response"]), _json(t["trace"]), _json(t["errors"]),
            _json(t["variable_changes"]), t["duration_ms"], v.get("language"))
    if not c.is_new:
        return args
    return (*args, c.org_id, c.bot_id, c.scenario_id, c.end_user_id, c.user_key, c.channel,
            c.language)


class GroupWriter:
    """Group commit on PostgreSQL: the turns of many conversations written in one
    transaction, each turn's answer released only once its batch has committed.

    A write joins the queue; when fewer than `lanes` commits are under way one starts at once
    with whatever is queued (so a lone turn waits for nobody), and turns that arrive meanwhile
    form the next batch. Two lanes keep the event loop busy with the next batch while one
    commit waits for its WAL flush (different conversations only: a conversation's next turn
    waits for its lock). Under load a commit, with its WAL flush, is shared by every turn of the batch
    instead of paid by each. The conversation's lock is held until the write is done, so each
    conversation's turns stay in order. A batch that fails is retried one turn at a time, so
    one bad turn fails alone."""

    MAX_BATCH = 256
    LANES = 2

    def __init__(self, pool: Any, lanes: int = LANES) -> None:
        self.pool = pool
        self.lanes = lanes
        self._queue: list[tuple[TurnPlan, asyncio.Future[None]]] = []
        self._committing: set[asyncio.Task[None]] = set()

    async def write(self, plan: TurnPlan) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((plan, future))
        if len(self._committing) < self.lanes:
            self._start()
        await future

    def _start(self) -> None:
        task = asyncio.create_task(self._drain(), name="turn-group-commit")
        self._committing.add(task)
        task.add_done_callback(self._committing.discard)

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[:self.MAX_BATCH]
                del self._queue[:self.MAX_BATCH]
                try:
                    await self._commit([plan for plan, _ in batch])
                except Exception as exc:  # noqa: BLE001  (each turn gets its own outcome)
                    if len(batch) == 1:
                        _settle(batch[0][1], exc)
                        continue
                    for plan, future in batch:
                        try:
                            await self._commit([plan])
                        except Exception as single:  # noqa: BLE001
                            _settle(future, single)
                        else:
                            _settle(future, None)
                else:
                    for _, future in batch:
                        _settle(future, None)
        finally:
            if self._queue and len(self._committing) <= self.lanes:
                self._start()  # written while the last batch was settling

    async def _commit(self, plans: list[TurnPlan]) -> None:
        users = [(p.conversation.bot_id, p.conversation.user_key, _json(p.user_values), p.now)
                 for p in plans if p.user_values is not None]
        users += [(p.conversation.bot_id, p.preview_values[0], _json(p.preview_values[1]), p.now)
                  for p in plans if p.preview_values is not None]
        bots = [(p.conversation.bot_id, _json(p.bot_values), p.now)
                for p in plans if p.bot_values is not None]
        async with self.pool.acquire() as driver:
            starting = plans[0].conversation.is_new
            if not users and not bots and all(p.conversation.is_new is starting
                                               for p in plans):
                # One statement is its own transaction, and so is asyncpg's executemany (its
                # executions share one Sync, PostgreSQL's implicit transaction): no
                # BEGIN/COMMIT round trips.
                statement = _PG_START if starting else _PG_WRITE
                if len(plans) == 1:
                    await driver.execute(statement, *_write_args(plans[0]))
                else:
                    await driver.executemany(statement, [_write_args(p) for p in plans])
                return
            async with driver.transaction():
                starts = [_write_args(p) for p in plans if p.conversation.is_new]
                if starts:
                    await driver.executemany(_PG_START, starts)
                turns = [_write_args(p) for p in plans if not p.conversation.is_new]
                if turns:
                    await driver.executemany(_PG_WRITE, turns)
                if users:
                    await driver.executemany(_PG_UPSERT_USER, users)
                if bots:
                    await driver.executemany(_PG_UPSERT_BOT, bots)


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the turn's request was cancelled meanwhile; the write stands
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


class PostgresStore:
    """A turn on PostgreSQL: the read on any pooled connection, the write through the
    process's group commit. The turn holds no connection while the engine runs."""

    def __init__(self, pool: Any, writer: GroupWriter) -> None:
        self.pool = pool
        self.writer = writer

    async def snapshot(self, conversation_id: uuid.UUID, client_message_id: str | None
                       ) -> tuple[Snapshot | None, dict[str, Any] | None]:
        row = await self.pool.fetchrow(_PG_SNAPSHOT, conversation_id, client_message_id)
        if row is None:
            return None, None
        fields = {name: row[name] for name in _SNAPSHOT_FIELDS}
        fields["state"] = _parsed(fields["state"])
        return (Snapshot(**fields, user_values=_parsed(row["user_values"]) or {},
                         bot_values=_parsed(row["bot_values"]) or {},
                         recent_ids=list(row["recent_ids"])),
                _parsed(row["replay"]))

    async def variables(self, bot_id: uuid.UUID, user_key: str) -> tuple[dict, dict]:
        row = await self.pool.fetchrow(_PG_VARIABLES, bot_id, user_key)
        return _parsed(row["user_values"]) or {}, _parsed(row["bot_values"]) or {}

    async def write(self, plan: TurnPlan) -> None:
        await self.writer.write(plan)


class GroupCommits:
    """The group commit of one chat service: on PostgreSQL a `GroupWriter` made on first use
    for the hot path's pool (which the runtime creates lazily); on a SQLite file the writer
    thread of `chat.conversations.sqlite_store`. ``close`` stops the thread."""

    def __init__(self) -> None:
        self._writer: GroupWriter | None = None
        self._sqlite: Any = None
        self._sqlite_checked = False

    def for_pool(self, pool: Any) -> GroupWriter:
        if self._writer is None or self._writer.pool is not pool:
            self._writer = GroupWriter(pool)
        return self._writer

    def for_sqlite(self, runtime: Runtime) -> Any:
        """The SQLite file's turn thread, or None where the database is not a SQLite file."""
        if self._sqlite is not None or self._sqlite_checked:
            return self._sqlite
        self._sqlite_checked = True  # decided once: every turn asks
        url = runtime.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            from chat.conversations.sqlite_store import SqliteTurns

            self._sqlite = SqliteTurns(Path(url.database))
        return self._sqlite

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None


@asynccontextmanager
async def turn_store(runtime: Runtime, commits: GroupCommits
                     ) -> AsyncIterator[Any]:
    """The store for one turn: on PostgreSQL the driver's (group commit), on a SQLite file
    the turn thread's; on both no transaction stays open while the engine runs or a block's
    service call is under way. Other databases go through SQLAlchemy Core in one
    transaction. Turns enter one admission slot each (``turn_slot``), so
    a crowd waits in order rather than timing out on the connection pools."""
    async with runtime.turn_slot():
        sqlite_turns = commits.for_sqlite(runtime)
        if sqlite_turns is not None:
            from chat.conversations.sqlite_store import SqliteStore

            yield SqliteStore(sqlite_turns)
            return
        pool = await runtime.driver_pool()
        if pool is not None:
            yield PostgresStore(pool, commits.for_pool(pool))
            return
        async with runtime.engine.begin() as connection:
            yield CoreStore(connection)
