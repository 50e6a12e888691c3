"""End-to-end turns: REST chat messages against `rozmova serve` (PostgreSQL + Redis by
default), next to a bare FastAPI JSON endpoint measured the same way in the same run.

    .venv/bin/python bench/chat_turns.py [--duration 10] [--rate 1200] [--embedded]

The server and the baseline each run pinned to CPU 0 (one core); the load generator runs on
CPU 1. Every turn is the full path: chat key check, the conversation's lock, one database
transaction (state, messages, turn trace), the engine, the answer."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Connection, Results, closed_loop, open_loop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
ECHO = {
    "schema_version": 2, "entry": {"start": "ask"},
    "variables": [{"name": "said", "type": "string"}, {"name": "count", "type": "number",
                                                        "default": 0}],
    "blocks": [
        {"id": "ask", "type": "input", "settings": {
            "kind": "text", "variable": "said", "prompt": {"uk": "Кажіть", "en": "Say"}}},
        {"id": "count_it", "type": "set_variable",
         "settings": {"variable": "count", "expression": "count + 1"}},
        {"id": "long", "type": "condition", "settings": {"when": [
            {"left": {"var": "said"}, "op": "contains", "right": {"value": "?"}}]}},
        {"id": "echo", "type": "message", "settings": {"text": {
            "uk": "#{{count}}: {{said}}", "en": "#{{count}}: {{said}}"}}},
        {"id": "again", "type": "jump", "settings": {"block": "ask"}},
    ],
    "edges": [{"source": "ask", "target": "count_it"}, {"source": "count_it", "target": "long"},
              {"source": "long", "port": "true", "target": "echo"},
              {"source": "long", "port": "false", "target": "echo"},
              {"source": "echo", "target": "again"}],
}


def pin(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and os.cpu_count() > 1 else []


def wait_ready(port: int, path: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server on {port} did not start")


async def prepare_database(name: str) -> str:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN, timeout=10)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


async def setup_bot(port: int) -> str:
    c = Connection("127.0.0.1", port)
    await c.open()
    status, body = await c.request("POST", "/api/v1/auth/login", {
        "email": "admin@example.com", "password": "bench-password-1"})
    import json

    token = json.loads(body)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    _, body = await c.request("POST", "/api/v1/bots", {"name": f"bench-{uuid.uuid4().hex[:6]}"},
                              auth)
    bot = json.loads(body)["id"]
    _, body = await c.request("POST", f"/api/v1/bots/{bot}/scenarios",
                              {"name": "echo", "document": ECHO}, auth)
    scenario = json.loads(body)["id"]
    status, body = await c.request("POST", f"/api/v1/scenarios/{scenario}/publish", {}, auth)
    assert status == 201, body
    _, body = await c.request("GET", f"/api/v1/bots/{bot}/chat-key", None, auth)
    c.close()
    return json.loads(body)["key"]


def chat_worker(key: str):  # type: ignore[no-untyped-def]
    import json

    headers = {"X-Chat-Key": key}

    def make(index: int):  # type: ignore[no-untyped-def]
        state: dict[str, str] = {}

        async def step(connection: Connection, n: int):  # type: ignore[no-untyped-def]
            if "id" not in state:
                status, body = await connection.request("POST", "/api/v1/conversations",
                                                        {"language": "en"}, headers)
                if status != 201:
                    raise SystemExit(f"could not start a conversation: {status} {body[:300]!r}")
                state["id"] = json.loads(body)["conversation_id"]
                return status, body
            return await connection.request(
                "POST", f"/api/v1/conversations/{state['id']}/messages",
                {"text": f"hello {n}", "client_message_id": f"{index}-{n}"}, headers)

        return step

    return make


def bare_worker():  # type: ignore[no-untyped-def]
    def make(index: int):  # type: ignore[no-untyped-def]
        async def step(connection: Connection, n: int):  # type: ignore[no-untyped-def]
            return await connection.request("POST", "/echo", {"text": f"hello {n}",
                                                              "client_message_id": f"{index}-{n}"})
        return step
    return make


def line(name: str, r: Results) -> str:
    return (f"{name:34} {r.rate():8.0f}/s  p50 {r.percentile(50) * 1000:7.2f} ms  "
            f"p99 {r.percentile(99) * 1000:7.2f} ms  errors {r.errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rate", type=float, default=1200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--embedded", action="store_true",
                        help="SQLite and in-process adapters instead of PostgreSQL + Redis")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1} if os.cpu_count() > 1 else {0})

    data = Path(tempfile.mkdtemp(prefix="rozmova-bench-"))
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_ADMIN_PASSWORD": "bench-password-1", "ROZMOVA_LOG_JSON": "true",
           "ROZMOVA_DEMO_BOT": "false"}
    mode = "SQLite, in-process"
    if not args.embedded:
        env["ROZMOVA_DATABASE_URL"] = asyncio.run(prepare_database("rozmova_bench"))
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        mode = "PostgreSQL + Redis"
    python = sys.executable
    subprocess.run([python, "-m", "gateway.cli", "migrate"], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    results: dict[str, Results] = {}
    for name, command, port, ready, make in [
        ("bare FastAPI JSON endpoint", [python, "-m", "uvicorn", "bare_app:app", "--port", "8391",
                                        "--log-level", "warning", "--app-dir", str(ROOT / "bench")],
         8391, "/docs", lambda: bare_worker()),
        ("rozmova chat turn", [python, "-m", "gateway.cli", "serve", "--port", "8392"], 8392,
         "/readyz", None),
    ]:
        server = subprocess.Popen([*pin(0), *command], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, ready)
            worker = make() if make else chat_worker(asyncio.run(setup_bot(port)))
            asyncio.run(closed_loop("127.0.0.1", port, args.concurrency, 2, worker))  # warm up
            results[f"{name}, max"] = asyncio.run(
                closed_loop("127.0.0.1", port, args.concurrency, args.duration, worker))
            results[f"{name}, at {args.rate:.0f}/s"] = asyncio.run(
                open_loop("127.0.0.1", port, args.rate, args.duration, args.concurrency, worker))
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(data, ignore_errors=True)

    print(f"\nREST chat turns vs a bare FastAPI endpoint; server on one core; {mode}")
    for name, r in results.items():
        print(line(name, r))
    bare = results["bare FastAPI JSON endpoint, max"].rate()
    ours = results["rozmova chat turn, max"].rate()
    print(f"ratio (rozmova / bare, max throughput): {ours / bare:.2f}")
    print(f"server CPU per turn ~ {1e6 / ours:.0f} µs; bare endpoint ~ {1e6 / bare:.0f} µs")
    print("reproduce: .venv/bin/python bench/chat_turns.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
