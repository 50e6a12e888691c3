"""Uploads queued in a Redis stream, shared by every instance (the distributed mode).

An upload's row is committed, its audio kept under `stt:audio:<id>` (a day at most) and an
entry added to the stream `stt:uploads`. Every instance reads the stream in one consumer group,
one entry per free bulk worker, so uploads spread over the instances that have capacity and
nobody takes more than it can start. While an entry is worked on, its consumer claims it again
every `HEARTBEAT_SECONDS` (its idle time starts over); an entry idle longer than
`CLAIM_IDLE_SECONDS` belonged to an instance that stopped, and the next instance with a free
worker takes it over (`XAUTOCLAIM`). After `MAX_DELIVERIES` deliveries an upload is given up
as failed: a recording that kills the worker every time must not circle forever.

Why Redis streams rather than RabbitMQ (which also runs here): the platform already depends
on Redis for locks, the cache and presence; streams give consumer groups, acknowledgements and
the hand-over of a dead consumer's work, which is all this queue needs. One more broker to run
would buy nothing here. Live voice messages do not go through the stream: a turn waits for
them, and the instance that runs the turn hears them on its own live pool."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from core.tasks import stop

log = structlog.get_logger(__name__)

STREAM = "stt:uploads"
GROUP = "stt-workers"
AUDIO_SECONDS = 86_400      # an upload's audio waits at most a day to be transcribed
CLAIM_IDLE_SECONDS = 120.0  # an entry nobody claimed for this long is taken over
HEARTBEAT_SECONDS = 30.0
MAX_DELIVERIES = 3
READ_BLOCK_MS = 1000        # below the Redis client's read timeout (2 s by default)

Work = Callable[[uuid.UUID, bytes, "str | None"], Awaitable[None]]
GiveUp = Callable[[uuid.UUID, str, str], Awaitable[None]]


class UploadStream:
    def __init__(self, redis: Any, prefix: str, *, workers: int, consumer: str | None = None,
                 claim_idle_seconds: float = CLAIM_IDLE_SECONDS,
                 heartbeat_seconds: float = HEARTBEAT_SECONDS) -> None:
        self._redis = redis
        self._stream = f"{prefix}{STREAM}"
        self._prefix = prefix
        self.consumer = consumer or uuid.uuid4().hex[:12]
        self._slots = asyncio.Semaphore(workers)
        self._claim_idle_ms = int(claim_idle_seconds * 1000)
        self._heartbeat = heartbeat_seconds
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None

    def _audio_key(self, transcription_id: uuid.UUID) -> str:
        return f"{self._prefix}stt:audio:{transcription_id}"

    def _deliveries_key(self) -> str:
        return f"{self._prefix}stt:deliveries"

    async def add(self, transcription_id: uuid.UUID, audio: bytes, language: str | None) -> None:
        """Queue an upload whose row is committed (raises on a Redis failure: the caller
        fails the row and says so)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._audio_key(transcription_id), audio, ex=AUDIO_SECONDS)
            pipe.xadd(self._stream, {"id": str(transcription_id), "language": language or ""})
            await pipe.execute()

    def start(self, work: Work, give_up: GiveUp) -> None:
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(work, give_up), name="stt uploads")

    async def close(self) -> None:
        await stop([self._runner, *self._tasks])
        self._runner = None

    async def _ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self._stream, GROUP, id="0", mkstream=True)
        except Exception as exc:  # noqa: BLE001
            if "BUSYGROUP" not in str(exc):
                raise

    async def _run(self, work: Work, give_up: GiveUp) -> None:
        backoff = 0.5
        grouped = False
        while True:
            await self._slots.acquire()
            handed = False
            try:
                if not grouped:
                    await self._ensure_group()
                    grouped = True
                entry = await self._next()
                backoff = 0.5
                if entry is not None:
                    task = asyncio.create_task(self._handle(*entry, work, give_up),
                                               name="stt upload")
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                    handed = True
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001  (Redis away: try again, slower)
                if "NOGROUP" in str(exc):  # the stream was deleted (Redis flushed): again
                    grouped = False
                log.warning("stt.stream_unavailable", error=type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                if not handed:
                    self._slots.release()

    async def _next(self) -> tuple[str, dict[str, str]] | None:
        """An entry another instance left (idle past the limit), else a new one."""
        claimed = await self._redis.xautoclaim(self._stream, GROUP, self.consumer,
                                               self._claim_idle_ms, start_id="0-0", count=1)
        entries = claimed[1] if claimed else []
        if not entries:
            read = await self._redis.xreadgroup(GROUP, self.consumer, {self._stream: ">"},
                                                count=1, block=READ_BLOCK_MS)
            entries = read[0][1] if read else []
        for entry_id, fields in entries:
            if fields:  # an entry deleted meanwhile comes back empty
                return _text(entry_id), {_text(k): _text(v) for k, v in fields.items()}
            await self._redis.xack(self._stream, GROUP, entry_id)
        return None

    async def _handle(self, entry_id: str, fields: dict[str, str], work: Work,
                      give_up: GiveUp) -> None:
        heartbeat = asyncio.create_task(self._keep(entry_id), name="stt upload heartbeat")
        try:
            transcription_id = uuid.UUID(fields.get("id", ""))
            deliveries = await self._redis.hincrby(self._deliveries_key(), entry_id, 1)
            if deliveries > MAX_DELIVERIES:
                await give_up(transcription_id, "interrupted", (
                    f"the transcription stopped {MAX_DELIVERIES} times before it finished "
                    "(the servers working on it went away); upload it again"))
            else:
                audio = await self._redis.get(self._audio_key(transcription_id))
                if audio is None:
                    await give_up(transcription_id, "expired", "the recording waited longer "
                                  "than a day to be transcribed; upload it again")
                else:
                    await work(transcription_id, audio, fields.get("language") or None)
            await self._done(entry_id, transcription_id)
        except asyncio.CancelledError:
            raise  # left pending: another instance takes it over
        except Exception:  # noqa: BLE001  (left pending: claimed again after the idle time)
            log.exception("stt.upload_failed", entry=entry_id)
        finally:
            self._slots.release()
            await stop([heartbeat])

    async def _keep(self, entry_id: str) -> None:
        """Claim the entry again now and then: its idle time starts over, so no other
        instance takes over work that is still going on."""
        while True:
            await asyncio.sleep(self._heartbeat)
            with contextlib.suppress(Exception):
                await self._redis.xclaim(self._stream, GROUP, self.consumer, 0, [entry_id],
                                         justid=True)

    async def _done(self, entry_id: str, transcription_id: uuid.UUID) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(self._stream, GROUP, entry_id)
            pipe.xdel(self._stream, entry_id)
            pipe.delete(self._audio_key(transcription_id))
            pipe.hdel(self._deliveries_key(), entry_id)
            await pipe.execute()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
