"""WebSocket figures: idle connections one server process holds and the memory each costs;
then round-trip messages/s and latency with many connections chatting with the demo bot.

    .venv/bin/python bench/ws_chat.py [--idle 20000] [--chatting 1000] [--duration 15]

The server (`rozmova serve`, embedded mode) runs pinned to CPU 0; the clients run on CPU 1.
Every idle connection has said hello, so it holds a started conversation, as a real widget
does."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
PORT = 8394


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:  # root may raise the hard limit too; 20,000 sockets need more than 20,000 files
        resource.setrlimit(resource.RLIMIT_NOFILE, (65_536, max(hard, 65_536)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def open_idle(n: int, url: str, parallel: int = 200) -> list:
    sockets: list = []
    semaphore = asyncio.Semaphore(parallel)

    async def one() -> None:
        async with semaphore:
            ws = await connect(url, open_timeout=60, ping_interval=None, max_queue=4)
            await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
            while json.loads(await ws.recv())["type"] != "input":
                pass
            sockets.append(ws)

    results = await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        print(f"  {len(failures)} connections failed, e.g. {failures[0]!r}")
    return sockets


async def chat(n: int, url: str, duration: float) -> tuple[int, list[float]]:
    latencies: list[float] = []
    stop = time.perf_counter() + duration
    sockets = await open_idle(n, url)

    async def talk(ws, index: int) -> None:  # type: ignore[no-untyped-def]
        count = 0
        while time.perf_counter() < stop:
            count += 1
            begun = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "choice_id": "about",
                                      "client_message_id": f"{index}-{count}"}))
            while json.loads(await ws.recv())["type"] != "input":
                pass
            latencies.append(time.perf_counter() - begun)

    started = time.perf_counter()
    await asyncio.gather(*(talk(ws, i) for i, ws in enumerate(sockets)))
    elapsed = time.perf_counter() - started
    for ws in sockets:
        await ws.close()
    return int(len(latencies) / elapsed), sorted(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle", type=int, default=20_000)
    parser.add_argument("--chatting", type=int, default=1_000)
    parser.add_argument("--duration", type=float, default=15)
    args = parser.parse_args()
    raise_fd_limit()
    if os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})
    data = tempfile.mkdtemp(prefix="rozmova-ws-bench-")
    env = {**os.environ, "ROZMOVA_DATA_DIR": data, "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_ADMIN_PASSWORD": "bench-password-1", "ROZMOVA_LOG_JSON": "true",
           "ROZMOVA_DATABASE_URL": "", "ROZMOVA_REDIS_URL": ""}
    subprocess.run([sys.executable, "-m", "gateway.cli", "migrate"], env=env, check=True,
                   cwd=ROOT, capture_output=True)
    server = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, "-m", "gateway.cli", "serve", "--port", str(PORT)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=raise_fd_limit)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        url = f"ws://127.0.0.1:{PORT}/ws/v1/chat?key=rzc_demo"
        base = rss_kib(server.pid)
        began = time.perf_counter()
        sockets = asyncio.run(_hold(args.idle, url, server.pid))
        opened, rss = sockets
        print(f"\nidle connections held by one process: {opened:,} (after hello; opened in "
              f"{time.perf_counter() - began:.0f} s)")
        print(f"server RSS {base / 1024:.0f} MiB before, {rss / 1024:.0f} MiB with them: "
              f"{(rss - base) / max(1, opened):.1f} KiB per connection (incl. its conversation)")
        rate, latencies = asyncio.run(chat(args.chatting, url, args.duration))
        p = lambda q: latencies[min(len(latencies) - 1, int(q * (len(latencies) - 1)))] * 1000  # noqa: E731
        print(f"{args.chatting:,} connections chatting with the demo bot: {rate:,} round trips/s, "
              f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms ({len(latencies):,} round trips)")
        print("reproduce: .venv/bin/python bench/ws_chat.py " + " ".join(sys.argv[1:]))
    finally:
        server.terminate()
        server.wait(timeout=60)


async def _hold(n: int, url: str, pid: int) -> tuple[int, int]:
    sockets = await open_idle(n, url)
    await asyncio.sleep(2)
    rss = rss_kib(pid)
    for ws in sockets:
        await ws.close()
    return len(sockets), rss


if __name__ == "__main__":
    main()
