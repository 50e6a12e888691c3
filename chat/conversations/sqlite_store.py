"""The embedded mode's hot path: turns read and written by one thread that owns a sqlite3
connection, with group commit.

SQLite has one writer at a time. Through SQLAlchemy on aiosqlite every statement of a turn
was a hop to a connection's thread and back, and the pool's connections fought over the write
lock with SQLite's busy handler; a turn cost ~3 ms of CPU. Here one thread takes whatever work
is queued (the reads of turns that start and the writes of turns that end), answers the reads,
writes every queued turn in one transaction, and hands all the results back to the event loop
in one call. The event loop never waits on SQLite; each turn's answer is released only after
the transaction holding it has committed (WAL with ``synchronous=NORMAL``: a commit survives
the process being killed; a power cut may lose the last commits, as the embedded mode
documents).

Values are stored exactly as SQLAlchemy stores them on SQLite (UUIDs as 32 hex digits,
timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, JSON as text), so the management API,
which reads these tables through the ORM, and this writer see the same rows. The rest of the
application (operators, management) keeps writing through SQLAlchemy;
both wait for the write lock with SQLite's busy timeout, off the event loop."""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import structlog

from chat.conversations.store import _SNAPSHOT_FIELDS, Snapshot, TurnPlan

log = structlog.get_logger("rozmova.chat.sqlite")

_SNAPSHOT = """
SELECT c.id, c.org_id, c.bot_id, c.scenario_id, c.version_id, c.end_user_id, c.user_key,
       c.channel, c.language, c.status, c.state, c.message_seq, c.turn_seq,
       c.last_activity_at, c.timeout_at,
       (SELECT t.response FROM conversation_turns t
         WHERE t.conversation_id = c.id AND t.client_message_id = ?) AS replay,
       (SELECT u."values" FROM user_variables u
         WHERE u.bot_id = c.bot_id AND u.end_user_id = c.user_key) AS user_values,
       (SELECT b."values" FROM bot_variables b WHERE b.bot_id = c.bot_id) AS bot_values,
       (SELECT json_group_array(r.client_message_id) FROM (
          SELECT t.client_message_id FROM conversation_turns t
           WHERE t.conversation_id = ? AND t.client_message_id IS NOT NULL
           ORDER BY t.seq DESC LIMIT 32) r) AS recent_ids
  FROM conversations c WHERE c.id = ?
"""
_VARIABLES = """
SELECT (SELECT u."values" FROM user_variables u WHERE u.bot_id = ? AND u.end_user_id = ?),
       (SELECT b."values" FROM bot_variables b WHERE b.bot_id = ?)
"""
_INSERT = """
INSERT INTO conversations (id, org_id, bot_id, scenario_id, version_id, end_user_id, user_key,
                           channel, language, status, state, message_seq, turn_seq,
                           created_at, last_activity_at, timeout_at, ended_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_UPDATE = """
UPDATE conversations
   SET version_id = ?, status = ?, state = ?, message_seq = ?, turn_seq = ?,
       last_activity_at = ?, timeout_at = ?, ended_at = COALESCE(ended_at, ?),
       language = COALESCE(?, language)
 WHERE id = ?
"""
_MESSAGE = """
INSERT INTO conversation_messages (id, conversation_id, seq, direction, body, created_at)
VALUES (?, ?, ?, ?, ?, ?)
"""
_TURN = """
INSERT INTO conversation_turns (id, conversation_id, seq, client_message_id, version_id, event,
                                response, trace, errors, variable_changes, duration_ms,
                                created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_UPSERT_USER = """
INSERT INTO user_variables (bot_id, end_user_id, "values", updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (bot_id, end_user_id) DO UPDATE SET "values" = excluded."values",
                                                updated_at = excluded.updated_at
"""
_UPSERT_BOT = """
INSERT INTO bot_variables (bot_id, "values", updated_at) VALUES (?, ?, ?)
ON CONFLICT (bot_id) DO UPDATE SET "values" = excluded."values",
                                   updated_at = excluded.updated_at
"""

_UUID_FIELDS = ("id", "org_id", "bot_id", "scenario_id", "version_id")
_TIME_FIELDS = ("last_activity_at", "timeout_at")


# --- SQLAlchemy's storage on SQLite ---------------------------------------------------------

def _uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _read_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _parsed(value: str | None) -> Any:
    return None if value is None else orjson.loads(value)


# --- the work -------------------------------------------------------------------------------

@dataclass(slots=True)
class _Job:
    kind: str                      # "read", "variables" or "write"
    args: Any
    future: asyncio.Future[Any]
    outcome: Any = None
    error: BaseException | None = None


class SqliteTurns:
    """The one thread that reads and writes turns on one SQLite file.

    The thread starts with the first job and ends after ``idle_seconds`` without work (so an
    app that is never closed leaves nothing running); ``close`` ends it at once."""

    MAX_BATCH = 256

    def __init__(self, path: Path, *, busy_timeout_ms: int = 15_000,
                 idle_seconds: float = 30.0) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.idle_seconds = idle_seconds
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._guard = threading.Lock()  # the thread's start and its idle exit
        self._thread: threading.Thread | None = None
        self._closed = False

    async def snapshot(self, conversation_id: uuid.UUID, client_message_id: str | None
                       ) -> tuple[Snapshot | None, Any]:
        return await self._submit("read", (client_message_id, conversation_id.hex))

    async def variables(self, bot_id: uuid.UUID, user_key: str) -> tuple[dict, dict]:
        """A new conversation's user and bot variables."""
        return await self._submit("variables", (bot_id.hex, user_key, bot_id.hex))

    async def write(self, plan: TurnPlan) -> None:
        await self._submit("write", plan)

    def _submit(self, kind: str, args: Any) -> asyncio.Future[Any]:
        future = asyncio.get_running_loop().create_future()
        with self._guard:
            if self._closed:
                raise RuntimeError("the conversation store is closed")
            self._jobs.put(_Job(kind, args, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sqlite-turns",
                                                daemon=True)
                self._thread.start()
        return future

    def close(self) -> None:
        """Finish what is queued, then stop the thread (blocks briefly)."""
        with self._guard:
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._jobs.put(None)
        if thread is not None:
            thread.join(timeout=30)

    # --- the thread ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None,
                                     timeout=self.busy_timeout_ms / 1000,
                                     check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
        # The hot pages (conversations, the ends of the messages' and turns' indexes) stay in
        # this connection's cache and are read through a memory map, not read() calls.
        connection.execute("PRAGMA cache_size=-65536")
        connection.execute("PRAGMA mmap_size=268435456")
        # Checkpoint every ~40 MB of WAL instead of 4 MB: a page changed by many turns (the
        # conversations' rows, the indexes' last pages) is copied into the database once per
        # checkpoint, so fewer checkpoints write far less (~430 -> ~370 µs a turn, measured
        # with bench/hot_path.py). The WAL file is cut back to 64 MB after one.
        connection.execute("PRAGMA wal_autocheckpoint=10000")
        connection.execute("PRAGMA journal_size_limit=67108864")
        return connection

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while True:
                try:
                    first = self._jobs.get(timeout=self.idle_seconds)
                except queue.Empty:
                    with self._guard:
                        if self._jobs.empty():
                            self._thread = None
                            return
                    continue
                batch = [first]
                while len(batch) < self.MAX_BATCH:
                    try:
                        batch.append(self._jobs.get_nowait())
                    except queue.Empty:
                        break
                stop = None in batch
                jobs = [job for job in batch if job is not None]
                if jobs:
                    if connection is None:
                        try:
                            connection = self._connect()
                        except Exception as exc:  # noqa: BLE001  (every job learns why)
                            for job in jobs:
                                job.error = exc
                    if connection is not None:
                        self._work(connection, jobs)
                    _hand_back(jobs)
                if stop:
                    with self._guard:
                        self._thread = None
                    return
        finally:
            if connection is not None:
                connection.close()

    def _work(self, connection: sqlite3.Connection, jobs: list[_Job]) -> None:
        writes = []
        for job in jobs:
            if job.kind == "write":
                writes.append(job)
                continue
            try:
                job.outcome = (_read(connection, *job.args) if job.kind == "read"
                               else _variables(connection, job.args))
            except Exception as exc:  # noqa: BLE001
                job.error = exc
        if not writes:
            return
        try:
            _commit(connection, [job.args for job in writes])
        except Exception as exc:  # noqa: BLE001  (each turn gets its own outcome)
            if len(writes) == 1:
                writes[0].error = exc
                return
            for job in writes:
                try:
                    _commit(connection, [job.args])
                except Exception as single:  # noqa: BLE001
                    job.error = single


def _hand_back(jobs: list[_Job]) -> None:
    """One call into each waiting event loop for the whole batch."""
    loops: dict[asyncio.AbstractEventLoop, list[_Job]] = {}
    for job in jobs:
        loops.setdefault(job.future.get_loop(), []).append(job)
    for loop, settled in loops.items():
        try:
            loop.call_soon_threadsafe(_settle, settled)
        except RuntimeError:  # that loop has closed: nobody waits for these answers
            pass


def _settle(jobs: list[_Job]) -> None:
    for job in jobs:
        if job.future.done():  # the turn was cancelled meanwhile; a write still stands
            continue
        if job.error is None:
            job.future.set_result(job.outcome)
        else:
            job.future.set_exception(job.error)


def _read(connection: sqlite3.Connection, client_message_id: str | None, conversation_id: str
          ) -> tuple[Snapshot | None, Any]:
    row = connection.execute(_SNAPSHOT, (client_message_id, conversation_id,
                                         conversation_id)).fetchone()
    if row is None:
        return None, None
    fields = dict(zip(_SNAPSHOT_FIELDS, row, strict=False))
    for name in _UUID_FIELDS:
        if fields[name] is not None:
            fields[name] = uuid.UUID(fields[name])
    for name in _TIME_FIELDS:
        fields[name] = _read_time(fields[name])
    fields["state"] = _parsed(fields["state"])
    extra = row[len(_SNAPSHOT_FIELDS):]
    return (Snapshot(**fields, user_values=_parsed(extra[1]) or {},
                     bot_values=_parsed(extra[2]) or {}, recent_ids=_parsed(extra[3])),
            _parsed(extra[0]))


def _variables(connection: sqlite3.Connection, args: tuple[str, str, str]
               ) -> tuple[dict, dict]:
    user_values, bot_values = connection.execute(_VARIABLES, args).fetchone()
    return _parsed(user_values) or {}, _parsed(bot_values) or {}


def _commit(connection: sqlite3.Connection, plans: list[TurnPlan]) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        for plan in plans:
            _write(connection, plan)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _write(connection: sqlite3.Connection, plan: TurnPlan) -> None:
    c, v, t = plan.conversation, plan.values, plan.turn
    conversation_id = c.id.hex
    now = _time(plan.now)
    if c.is_new:
        connection.execute(_INSERT, (
            conversation_id, c.org_id.hex, c.bot_id.hex, c.scenario_id.hex,
            _uuid(v["version_id"]), c.end_user_id, c.user_key, c.channel,
            v.get("language") or c.language, v["status"], _json(v["state"]), v["message_seq"],
            v["turn_seq"], now, _time(v["last_activity_at"]), _time(v["timeout_at"]),
            _time(v.get("ended_at"))))
    else:
        updated = connection.execute(_UPDATE, (
            _uuid(v["version_id"]), v["status"], _json(v["state"]), v["message_seq"],
            v["turn_seq"], _time(v["last_activity_at"]), _time(v["timeout_at"]),
            _time(v.get("ended_at")), v.get("language"), conversation_id))
        if updated.rowcount != 1:
            raise LookupError(f"conversation {c.id} is gone")
    if plan.messages:
        connection.executemany(_MESSAGE, [
            (m["id"].hex, conversation_id, m["seq"], m["direction"], _json(m["body"]), now)
            for m in plan.messages])
    connection.execute(_TURN, (
        t["id"].hex, conversation_id, t["seq"], t["client_message_id"], _uuid(t["version_id"]),
        _json(t["event"]), _json(t["response"]), _json(t["trace"]), _json(t["errors"]),
        _json(t["variable_changes"]), t["duration_ms"], now))
    if plan.user_values is not None:
        connection.execute(_UPSERT_USER, (c.bot_id.hex, c.user_key, _json(plan.user_values),
                                          now))
    if plan.bot_values is not None:
        connection.execute(_UPSERT_BOT, (c.bot_id.hex, _json(plan.bot_values), now))
    if plan.preview_values is not None:
        key, values = plan.preview_values
        connection.execute(_UPSERT_USER, (c.bot_id.hex, key, _json(values), now))


class SqliteStore:
    """A turn in the embedded mode: the same interface as the other stores."""

    def __init__(self, turns: SqliteTurns) -> None:
        self.turns = turns

    async def variables(self, bot_id: uuid.UUID, user_key: str) -> tuple[dict, dict]:
        return await self.turns.variables(bot_id, user_key)

    async def snapshot(self, conversation_id: uuid.UUID, client_message_id: str | None
                       ) -> tuple[Snapshot | None, Any]:
        return await self.turns.snapshot(conversation_id, client_message_id)

    async def write(self, plan: TurnPlan) -> None:
        await self.turns.write(plan)
