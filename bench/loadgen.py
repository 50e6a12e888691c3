"""A small HTTP/1.1 keep-alive load generator on raw asyncio streams: fast enough on one core
to load a server on the other without becoming the bottleneck (a full HTTP client library
costs several times more CPU per request)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), 5)

    async def request(self, method: str, path: str, body: object | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(payload)}", "Content-Type: application/json"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        assert self.writer is not None and self.reader is not None
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 30)
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        data = await self.reader.readexactly(length) if length else b""
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    started: float = 0.0
    finished: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    def rate(self) -> float:
        return self.count / max(1e-9, self.finished - self.started)

    def record(self, status: int, since: float) -> None:
        if status >= 400:
            self.errors += 1
        else:
            self.latencies.append(time.perf_counter() - since)

    async def run(self, count: int, session: Callable[[int], object]) -> Results:
        """Run `count` sessions concurrently and time the whole."""
        self.started = time.perf_counter()
        await asyncio.gather(*(session(i) for i in range(count)))  # type: ignore[misc]
        self.finished = time.perf_counter()
        return self

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


Step = Callable[[Connection, int], "asyncio.Future[tuple[int, bytes]]"]


async def closed_loop(host: str, port: int, workers: int, duration: float,
                      make_worker: Callable[[int], Callable[[Connection, int], object]]
                      ) -> Results:
    """`workers` connections each sending as fast as answers come, for `duration` seconds."""
    results = Results()
    stop = time.perf_counter() + duration

    async def run(index: int) -> None:
        connection = Connection(host, port)
        await connection.open()
        step = make_worker(index)
        n = 0
        try:
            while time.perf_counter() < stop:
                begun = time.perf_counter()
                status, _ = await step(connection, n)  # type: ignore[misc]
                results.record(status, begun)
                n += 1
        finally:
            connection.close()

    return await results.run(workers, run)


async def open_loop(host: str, port: int, rate: float, duration: float, connections: int,
                    make_worker: Callable[[int], Callable[[Connection, int], object]]) -> Results:
    """Requests started at a fixed `rate` (spread over `connections`), whatever the latency:
    the way real traffic arrives. Latency counts from the scheduled start, so a server that
    falls behind shows it (no coordinated omission)."""
    results = Results()
    per_connection = rate / connections
    interval = 1.0 / per_connection

    async def run(index: int) -> None:
        connection = Connection(host, port)
        await connection.open()
        step = make_worker(index)
        begin = time.perf_counter() + index * interval / connections
        n = 0
        try:
            while True:
                scheduled = begin + n * interval
                if scheduled - begin > duration:
                    break
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                status, _ = await step(connection, n)  # type: ignore[misc]
                results.record(status, scheduled)
                n += 1
        finally:
            connection.close()

    return await results.run(connections, run)
