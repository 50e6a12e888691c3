"""One multiplexed Redis connection for the hot path's two commands per turn (take a
conversation's lock, release it and announce the turn).

Through redis-py each command took a connection from the blocking pool (with its timer and
health check), packed its arguments through several layers and read its reply on that
connection: ~70 µs of the server's CPU per command, a fifth of a turn. Here every caller
shares one connection: commands queued in the same event-loop iteration go out in one write,
replies come back in order and are parsed by hiredis, each resolving its caller's future.

Failure behaves as with the pool: a command that gets no reply within ``timeout`` seconds
fails with redis-py's ``TimeoutError``, a lost connection with its ``ConnectionError`` (both in
``core.redis_client.REDIS_DOWN``, so callers answer 503); since replies are matched by order,
a timed-out connection is closed (failing what else waits on it) and the next command opens a
new one. Nothing is retried: a command may have run before its connection broke, and taking a
lock twice is not harmless."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any
from urllib.parse import unquote, urlsplit

import hiredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError


def _encode(args: tuple[Any, ...]) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, bytes):
            data = arg
        elif isinstance(arg, str):
            data = arg.encode()
        elif isinstance(arg, int):
            data = b"%d" % arg
        else:
            raise TypeError(f"a Redis argument must be bytes, str or int, not {type(arg)}")
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.reader = hiredis.Reader()
        self.waiters: deque[asyncio.Future[Any]] = deque()
        self.buffer: list[bytes] = []
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while True:
            try:
                reply = self.reader.gets()
            except hiredis.ProtocolError as exc:
                self.fail(RedisConnectionError(f"Redis sent an unreadable reply: {exc}"))
                return
            if reply is False:
                return
            if not self.waiters:  # a reply nobody asked for: the stream is out of step
                self.fail(RedisConnectionError("Redis sent a reply nobody asked for"))
                return
            waiter = self.waiters.popleft()
            if waiter.done():
                continue
            if isinstance(reply, hiredis.ReplyError):
                text = str(reply)
                waiter.set_exception(NoScriptError(text) if text.startswith("NOSCRIPT")
                                     else ResponseError(text))
            else:
                waiter.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.fail(RedisConnectionError(f"the Redis connection was lost ({exc or 'closed'})"))

    def send(self, command: bytes, waiter: asyncio.Future[Any]) -> None:
        if not self.buffer:
            asyncio.get_running_loop().call_soon(self.flush)
        self.buffer.append(command)
        self.waiters.append(waiter)

    def flush(self) -> None:
        if self.buffer and not self.closed and self.transport is not None:
            data = b"".join(self.buffer)
            self.buffer.clear()
            self.transport.write(data)

    def fail(self, error: Exception) -> None:
        self.closed = True
        self.buffer.clear()
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_exception(error)
        if self.transport is not None:
            self.transport.close()


class RedisPipe:
    """Commands over one shared connection (``redis://`` URLs; other schemes use redis-py)."""

    def __init__(self, host: str, port: int, *, db: int = 0, username: str | None = None,
                 password: str | None = None, timeout: float = 2.0,
                 connect_timeout: float = 2.0) -> None:
        self.host, self.port, self.db = host, port, db
        self.username, self.password = username, password
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._connection: _Connection | None = None
        self._connecting: asyncio.Lock | None = None
        self._scripts: dict[bytes, bytes] = {}  # sha -> source

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisPipe | None:
        """A pipe for a plain ``redis://host:port/db`` URL; None for TLS or unix sockets."""
        parts = urlsplit(url)
        if parts.scheme != "redis":
            return None
        path = parts.path.strip("/")
        return cls(parts.hostname or "127.0.0.1", parts.port or 6379,
                   db=int(path) if path.isdigit() else 0,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None, **kwargs)

    async def execute(self, *args: Any) -> Any:
        connection = self._connection
        if connection is None or connection.closed:
            connection = await self._connect()
        return await self._call(connection, _encode(args))

    async def evalsha(self, sha: bytes, source: bytes, keys: list[Any], args: list[Any]) -> Any:
        """Run a script by its digest, loading it first where the server does not know it
        (a restarted Redis)."""
        try:
            return await self.execute(b"EVALSHA", sha, len(keys), *keys, *args)
        except NoScriptError:
            return await self.execute(b"EVAL", source, len(keys), *keys, *args)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.fail(RedisConnectionError("the Redis client was closed"))
            self._connection = None

    async def _call(self, connection: _Connection, command: bytes) -> Any:
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        connection.send(command, waiter)
        timer = loop.call_later(self.timeout, self._timed_out, connection, waiter)
        try:
            return await waiter
        finally:
            timer.cancel()

    def _timed_out(self, connection: _Connection, waiter: asyncio.Future[Any]) -> None:
        if waiter.done():
            return
        # Replies are matched by order: after a missing one, nothing on this connection
        # can be trusted; everyone waiting on it fails now, the next command reconnects.
        waiter.set_exception(RedisTimeoutError(f"Redis did not answer within {self.timeout} s"))
        connection.fail(RedisTimeoutError("an earlier command on this Redis connection "
                                          "timed out"))

    async def _connect(self) -> _Connection:
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            connection = self._connection
            if connection is not None and not connection.closed:
                return connection
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout(self.connect_timeout):
                    _, connection = await loop.create_connection(_Connection, self.host,
                                                                 self.port)
            except TimeoutError:
                raise RedisTimeoutError(f"could not connect to Redis at {self.host}:"
                                        f"{self.port} within {self.connect_timeout} s") from None
            except OSError as exc:
                raise RedisConnectionError(f"could not connect to Redis at {self.host}:"
                                           f"{self.port}: {exc}") from exc
            try:
                if self.password is not None:
                    auth = ((b"AUTH", self.username, self.password) if self.username
                            else (b"AUTH", self.password))
                    await self._call(connection, _encode(auth))
                if self.db:
                    await self._call(connection, _encode((b"SELECT", self.db)))
            except BaseException:
                connection.fail(RedisConnectionError("setting up the connection failed"))
                raise
            self._connection = connection
            return connection
