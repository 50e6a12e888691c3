"""The hot path of issue 9: server CPU per message, throughput, tails and idle memory of a chat
turn, over WebSocket and REST, next to a bare FastAPI WebSocket echo measured in the same run.

    .venv/bin/python bench/hot_path.py [--messages 40000] [--runs 1] [--sessions 200]
        [--rate 1200] [--idle 2000] [--only ws-pg,rest-pg,ws-sqlite,paced,idle,bare] [--quick]

Every server (Rozmova and the bare echo, both under uvicorn with the settings of
`gateway.cli.uvicorn_config`) runs pinned to CPU 0; this process, the load client, runs on
CPU 1. Each of the `--sessions` sessions holds one conversation and loops over the same
three-step dialog (name -> city -> note -> name ...): every message is one stored turn that
answers with two bot messages (the reply and the next question), so the measured window holds
no conversation starts. Parts:

* bare       the baseline: a FastAPI WebSocket endpoint that parses each frame and answers one
             frame (and the same as a JSON POST endpoint), served the same way.
* ws-pg      WebSocket turns on PostgreSQL + Redis, closed loop (each session sends its next
             message when the previous turn's `input` frame arrives), `--messages` in all.
* rest-pg    the same over REST (POST /api/v1/conversations/{id}/messages, keep-alive).
* ws-sqlite  WebSocket turns in embedded mode (SQLite, in-process adapters).
* paced      open loop at `--rate` msg/s over the sessions (REST and WebSocket, PostgreSQL +
             Redis): latency counts from each message's scheduled time, so a server that falls
             behind shows it; "late" = sent >10 ms after its slot because that session's
             previous turn was still unanswered.
* idle       RSS growth of a fresh server over `--idle` WebSocket connections, each after
             hello (so each holds a started conversation), per connection.

Server CPU per message = user+system CPU of the server process (and any children) over the
measured window / messages answered in it. PostgreSQL + Redis CPU = the same delta summed
over every process named postgres* or redis-server, except PostgreSQL backends connected to
another database (Redis and PostgreSQL's background processes are the whole machine's, so run
nothing else meanwhile: the report shows what other processes used during each part).
Figures are medians over `--runs`; each run uses a fresh database, Redis key prefix and data
directory."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_turns import pin, prepare_database, wait_ready
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from loadgen import Connection
from ws_chat import raise_fd_limit

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("bare", "ws-pg", "rest-pg", "ws-sqlite", "paced", "idle")
PORTS = {"bare": 18471, "pg": 18472, "sqlite": 18473}
TURN_TIMEOUT = 60.0

try:  # the client parses every frame: the fastest parser there is keeps it off the critical path
    import orjson

    loads: Callable[[bytes | str], Any] = orjson.loads

    def dumps(value: Any) -> bytes:
        return orjson.dumps(value)
except ImportError:  # pragma: no cover
    loads = json.loads

    def dumps(value: Any) -> bytes:
        return json.dumps(value).encode()


# The three-step dialog every session loops over: each answer stores the person's message,
# runs a few blocks and sends two messages (a reply and the next question).
DIALOG = {
    "schema_version": 2, "entry": {"start": "ask_name"},
    "variables": [{"name": "name", "type": "string"}, {"name": "city", "type": "string"},
                  {"name": "note", "type": "string"},
                  {"name": "count", "type": "number", "default": 0}],
    "blocks": [
        {"id": "ask_name", "type": "input", "settings": {
            "kind": "text", "variable": "name", "prompt": {"uk": "Як вас звати?",
                                                           "en": "Your name?"}}},
        {"id": "greet", "type": "message", "settings": {"text": {
            "uk": "Привіт, {{name}}!", "en": "Hello, {{name}}!"}}},
        {"id": "ask_city", "type": "input", "settings": {
            "kind": "text", "variable": "city", "prompt": {"uk": "Звідки ви?",
                                                           "en": "Where are you from?"}}},
        {"id": "count_it", "type": "set_variable",
         "settings": {"variable": "count", "expression": "count + 1"}},
        {"id": "asks", "type": "condition", "settings": {"when": [
            {"left": {"var": "city"}, "op": "contains", "right": {"value": "?"}}]}},
        {"id": "place", "type": "message", "settings": {"text": {
            "uk": "#{{count}}: {{name}}, {{city}}", "en": "#{{count}}: {{name}}, {{city}}"}}},
        {"id": "ask_note", "type": "input", "settings": {
            "kind": "text", "variable": "note", "prompt": {"uk": "Щось ще?",
                                                           "en": "Anything else?"}}},
        {"id": "thanks", "type": "message", "settings": {"text": {
            "uk": "Записав: {{note}}", "en": "Noted: {{note}}"}}},
        {"id": "again", "type": "jump", "settings": {"block": "ask_name"}},
    ],
    "edges": [{"source": "ask_name", "target": "greet"},
              {"source": "greet", "target": "ask_city"},
              {"source": "ask_city", "target": "count_it"},
              {"source": "count_it", "target": "asks"},
              {"source": "asks", "port": "true", "target": "place"},
              {"source": "asks", "port": "false", "target": "place"},
              {"source": "place", "target": "ask_note"},
              {"source": "ask_note", "target": "thanks"},
              {"source": "thanks", "target": "again"}],
}
SAYS = ("Olena", "Lviv", "see you")  # what a session answers at each step, in turn
# The defaults (5 frames/s per socket after a burst of 60) are for people; the benchmark's
# sessions each send 10-20 messages a second.
BOT_SETTINGS = {"flood_limit": {"burst": 10_000, "per_second": 1000}}


# --- the bare baseline ------------------------------------------------------------------------

def bare_app():  # type: ignore[no-untyped-def]
    """A FastAPI WebSocket echo: each text frame is parsed and answered with one frame (a hello
    and a message both get an `input` frame, so the same client drives it); and a JSON POST
    echo for the REST comparison."""
    app = FastAPI()

    @app.websocket("/ws/v1/chat")
    async def echo_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        seq = 0
        try:
            while True:
                frame = json.loads(await websocket.receive_text())
                seq += 1
                await websocket.send_text(json.dumps({
                    "type": "input", "seq": seq, "echo": frame.get("text"),
                    "client_message_id": frame.get("client_message_id")}))
        except WebSocketDisconnect:
            pass

    @app.post("/api/v1/conversations/{conversation_id}/messages")
    async def echo_post(conversation_id: str, body: dict) -> dict:
        return {"messages": [{"type": "text", "text": str(body.get("text"))}], "ended": False}

    @app.get("/readyz")
    async def ready() -> dict:
        return {"ok": True}

    return app


def serve_bare(port: int) -> None:
    """Run the bare app under uvicorn with exactly Rozmova's server settings."""
    import uvicorn

    from core.config import Settings
    from gateway.cli import uvicorn_config

    settings = Settings()
    uvicorn.Server(uvicorn_config(bare_app(), settings, host="127.0.0.1", port=port)).run()


# --- processes and their CPU ------------------------------------------------------------------

def cpu_seconds(process: Any) -> float:
    import psutil

    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def backing_cpu(database: str | None = None) -> dict[tuple[int, float], float]:
    """User+system CPU seconds of every postgres* and redis-server process on the machine, by
    (pid, start time); a PostgreSQL backend serving another database than ``database`` (a test
    suite running meanwhile) is left out. Diff two snapshots with ``cpu_delta``."""
    import psutil

    found: dict[tuple[int, float], float] = {}
    for p in psutil.process_iter(["name", "create_time"]):
        name = p.info["name"] or ""
        if not (name.startswith("postgres") or name == "redis-server"):
            continue
        try:
            if database and name.startswith("postgres"):
                # A backend's title: "postgres: [cluster: ]<user> <database> <address>(port)
                # <state>"; background processes (writer, checkpointer...) have no address.
                words = " ".join(p.cmdline()).split()
                at = next((i for i, w in enumerate(words) if "(" in w or w == "[local]"), None)
                if at is not None and at >= 2 and words[at - 1] != database:
                    continue
            t = p.cpu_times()
            found[(p.pid, p.info["create_time"])] = t.user + t.system
        except psutil.Error:
            pass
    return found


def cpu_delta(before: dict[tuple[int, float], float],
              after: dict[tuple[int, float], float]) -> float:
    """CPU used between two snapshots by the processes alive at the second (one that started
    in between counts whole; one that exited in between is lost, so keep pools warm)."""
    return sum(cpu - before.get(key, 0.0) for key, cpu in after.items())


def machine_busy() -> float:
    """CPU seconds all CPUs spent on anything but idling (and waiting for I/O)."""
    import psutil

    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Server:
    def __init__(self, name: str, command: list[str], port: int, env: dict[str, str],
                 log: Path, database: str | None = None) -> None:
        self.name, self.command, self.port, self.env, self.log = name, command, port, env, log
        self.database = database  # PostgreSQL database name, to tell its backends apart
        self.popen: subprocess.Popen[bytes] | None = None
        self.process: Any = None

    def __enter__(self) -> Self:
        import psutil

        if not port_free(self.port):
            raise SystemExit(f"port {self.port} is in use (another benchmark running?)")
        self.popen = subprocess.Popen(
            [*pin(0), *self.command], env=self.env, cwd=ROOT, stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            preexec_fn=raise_fd_limit)  # noqa: PLW1509 -- no threads here yet
        try:
            wait_ready(self.port, "/readyz")
        except SystemExit:
            self.__exit__()
            raise SystemExit(f"{self.name} did not start; its log:\n"
                             + self.log.read_text(errors="replace")[-3000:]) from None
        self.process = psutil.Process(self.popen.pid)
        return self

    def __exit__(self, *_: object) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def cpu(self) -> float:
        return cpu_seconds(self.process)

    def rss_kib(self) -> float:
        return self.process.memory_info().rss / 1024


# --- measurements -----------------------------------------------------------------------------

@dataclass
class Window:
    """What one measured phase saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    late: int = 0
    failed: int = 0
    wall: float = 0.0
    server_cpu: float = 0.0
    backing_cpu: float = 0.0
    client_cpu: float = 0.0
    machine_cpu: float = 0.0  # every CPU's busy time, whoever used it
    first_error: str = ""

    @property
    def count(self) -> int:
        return len(self.latencies)

    def error(self, what: str) -> None:
        self.errors += 1
        if not self.first_error:
            self.first_error = what[:300]

    def rate(self) -> float:
        return self.count / self.wall if self.wall else 0.0

    def per_message(self, cpu: float) -> float:
        return cpu / self.count * 1e6 if self.count else float("nan")

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def measured(server: Server, body: Callable[[Window], Awaitable[None]]) -> Window:
    window = Window()
    cpu0, back0, client0 = server.cpu(), backing_cpu(server.database), time.process_time()
    machine0 = machine_busy()
    began = time.perf_counter()
    await body(window)
    window.wall = time.perf_counter() - began
    window.server_cpu = server.cpu() - cpu0
    window.backing_cpu = cpu_delta(back0, backing_cpu(server.database))
    window.client_cpu = time.process_time() - client0
    window.machine_cpu = machine_busy() - machine0
    return window


class Budget:
    """Messages left to send across all sessions of a closed loop."""

    def __init__(self, n: int) -> None:
        self.left = n

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


# WebSocket sessions

class WsSession:
    def __init__(self, index: int, url: str) -> None:
        self.index, self.url = index, url
        self.ws: Any = None
        self.n = 0

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.url, open_timeout=60, ping_interval=None, compression=None,
                                max_queue=64)
        # As the widget does: a turn arrives as one batch frame (ack, messages, input).
        await self.ws.send(dumps({"type": "hello", "v": 1, "language": "en", "batch": True}),
                           text=True)
        while True:
            kinds = self.kinds(loads(await self.ws.recv(decode=False)))
            if "input" in kinds:
                return
            if "error" in kinds:
                raise RuntimeError("hello refused")

    @staticmethod
    def kinds(frame: dict[str, Any]) -> list[str]:
        # A batch frame: a turn's frames under "frames".
        inner = frame.get("frames")
        if isinstance(inner, list):
            return [f.get("type") for f in inner if isinstance(f, dict)]
        return [frame.get("type")]

    async def turn(self, window: Window, since: float) -> None:
        """One message; done at the turn's `input` frame (or an error frame)."""
        self.n += 1
        cmid = f"{self.index}-{self.n}-{uuid.uuid4().hex[:6]}"
        await self.ws.send(dumps({"type": "message", "client_message_id": cmid,
                                  "text": SAYS[self.n % 3]}), text=True)
        while True:
            raw = await self.ws.recv(decode=False)
            kinds = self.kinds(loads(raw))
            if "input" in kinds:
                window.latencies.append(time.perf_counter() - since)
                return
            if "error" in kinds:
                window.error(raw.decode(errors="replace"))
                return

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def open_sessions(n: int, make: Callable[[int], Any], parallel: int = 100) -> list[Any]:
    semaphore = asyncio.Semaphore(parallel)
    sessions = [make(i) for i in range(n)]

    async def one(s: Any) -> None:
        async with semaphore:
            await s.open()

    results = await asyncio.gather(*(one(s) for s in sessions), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise SystemExit(f"{len(failures)} of {n} sessions could not start, e.g. {failures[0]!r}")
    return sessions


# REST sessions

class RestSession:
    def __init__(self, index: int, port: int, key: str) -> None:
        self.index, self.port = index, port
        self.headers = {"X-Chat-Key": key}
        self.connection = Connection("127.0.0.1", port)
        self.path = ""
        self.n = 0

    async def open(self) -> None:
        await self.connection.open()
        status, body = await self.connection.request("POST", "/api/v1/conversations",
                                                     {"language": "en"}, self.headers)
        if status != 201:
            raise RuntimeError(f"could not start a conversation: {status} {body[:300]!r}")
        self.path = f"/api/v1/conversations/{loads(body)['conversation_id']}/messages"

    async def turn(self, window: Window, since: float) -> None:
        self.n += 1
        cmid = f"{self.index}-{self.n}-{uuid.uuid4().hex[:6]}"
        status, body = await self.connection.request(
            "POST", self.path, {"text": SAYS[self.n % 3], "client_message_id": cmid},
            self.headers)
        if status >= 400:
            window.error(f"{status} {body[:300]!r}")
        else:
            window.latencies.append(time.perf_counter() - since)

    async def close(self) -> None:
        self.connection.close()


async def closed_loop(sessions: list[Any], messages: int, window: Window) -> None:
    budget = Budget(messages)

    async def run(s: Any) -> None:
        while budget.take():
            try:
                async with asyncio.timeout(TURN_TIMEOUT):
                    await s.turn(window, time.perf_counter())
            except Exception as exc:  # noqa: BLE001 -- a dropped socket is an error, not a crash
                window.error(repr(exc))
                return

    await asyncio.gather(*(run(s) for s in sessions))


async def paced_loop(sessions: list[Any], rate: float, seconds: float, window: Window) -> None:
    """Each session sends at its own fixed slots (rate / sessions per second, staggered);
    latency counts from the slot. A slot whose session is still waiting for the previous turn
    is sent as soon as it can and counted late. After the last slot, turns still unanswered
    30 s later are failed. Every slot ends answered (in ``latencies``) or ``failed``; errors
    (error frames, failed statuses, dropped sockets) are among the failed."""
    interval = len(sessions) / rate
    slots = int(seconds / interval)
    begin = time.perf_counter() + 0.05
    deadline = begin + seconds + 30

    async def run(i: int, s: Any) -> None:
        offset = begin + i * interval / len(sessions)
        for k in range(slots):
            scheduled = offset + k * interval
            now = time.perf_counter()
            if now > deadline:
                window.failed += slots - k
                return
            if scheduled > now:
                await asyncio.sleep(scheduled - now)
            elif now - scheduled > 0.010:
                window.late += 1
            before = window.count
            try:
                async with asyncio.timeout(max(0.001, deadline - time.perf_counter())):
                    await s.turn(window, scheduled)
            except TimeoutError:
                window.failed += slots - k  # this one and every slot after it
                return
            except Exception as exc:  # noqa: BLE001 -- a dropped socket
                window.error(repr(exc))
                window.failed += slots - k
                return
            if window.count == before:  # answered with an error frame or status
                window.failed += 1

    await asyncio.gather(*(run(i, s) for i, s in enumerate(sessions)))


async def saturate(server: Server, make: Callable[[int], Any], sessions: int, messages: int,
                   warmup: int) -> Window:
    opened = await open_sessions(sessions, make)
    try:
        await closed_loop(opened, warmup, Window())
        return await measured(server, lambda w: closed_loop(opened, messages, w))
    finally:
        await asyncio.gather(*(s.close() for s in opened), return_exceptions=True)


async def pace(server: Server, make: Callable[[int], Any], sessions: int, rate: float,
               seconds: float) -> Window:
    opened = await open_sessions(sessions, make)
    try:
        await closed_loop(opened, min(2000, sessions * 5), Window())  # warm up
        await asyncio.sleep(0.5)
        return await measured(server, lambda w: paced_loop(opened, rate, seconds, w))
    finally:
        await asyncio.gather(*(s.close() for s in opened), return_exceptions=True)


async def idle(server: Server, url: str, n: int) -> float:
    """KiB of server RSS per idle connection (each after hello), over n connections, measured
    after 20 connections are already open (so first-use imports and caches are not counted)."""
    warm = await open_sessions(20, lambda i: WsSession(i, url))
    await asyncio.sleep(1)
    before = server.rss_kib()
    sockets = await open_sessions(n, lambda i: WsSession(i, url), parallel=200)
    await asyncio.sleep(2)
    after = server.rss_kib()
    await asyncio.gather(*(s.close() for s in [*warm, *sockets]), return_exceptions=True)
    return (after - before) / n


# --- bots -------------------------------------------------------------------------------------

async def setup_bot(port: int) -> str:
    c = Connection("127.0.0.1", port)
    await c.open()
    try:
        status, body = await c.request("POST", "/api/v1/auth/login", {
            "email": "admin@example.com", "password": "bench-password-1"})
        assert status == 200, body
        auth = {"Authorization": f"Bearer {loads(body)['access_token']}"}
        status, body = await c.request("POST", "/api/v1/bots", {
            "name": f"hot-path-{uuid.uuid4().hex[:6]}", "languages": ["en", "uk"],
            "default_language": "en", "settings": BOT_SETTINGS}, auth)
        assert status == 201, body
        bot = loads(body)["id"]
        status, body = await c.request("POST", f"/api/v1/bots/{bot}/scenarios",
                                       {"name": "dialog", "document": DIALOG}, auth)
        assert status == 201, body
        scenario = loads(body)["id"]
        status, body = await c.request("POST", f"/api/v1/scenarios/{scenario}/publish", {}, auth)
        assert status == 201, body
        status, body = await c.request("GET", f"/api/v1/bots/{bot}/chat-key", None, auth)
        assert status == 200, body
        return loads(body)["key"]
    finally:
        c.close()


# --- one run ----------------------------------------------------------------------------------

def run_once(args: argparse.Namespace, parts: set[str], run: int, work: Path) -> dict[str, Any]:
    python = sys.executable
    tag = uuid.uuid4().hex[:8]
    base_env = {**os.environ, "ROZMOVA_LOG_LEVEL": "WARNING", "ROZMOVA_LOG_JSON": "true",
                "ROZMOVA_ADMIN_PASSWORD": "bench-password-1", "ROZMOVA_DEMO_BOT": "false"}
    out: dict[str, Any] = {}
    log = work / f"servers-{run}.log"
    warmup = max(200, args.messages // 20)
    paced_seconds = args.paced_seconds or args.messages / args.rate

    def say(text: str) -> None:
        print(f"  [run {run + 1}] {text}", flush=True)

    shown: list[bool] = []

    def done(key: str, text: str) -> None:
        errors = out[key].errors
        say(text + (f"  ({errors} ERRORS, first: {out[key].first_error})" if errors else ""))
        if errors and not shown and log.exists():  # the servers' log says why, once
            shown.append(True)
            print("  the servers' log ends with:\n    " + "\n    ".join(
                log.read_text(errors="replace")[-2500:].splitlines()[1:]), flush=True)

    if "bare" in parts:
        env = {**base_env, "ROZMOVA_DATA_DIR": str(work / "bare")}
        command = [python, str(Path(__file__).resolve()), "--serve-bare", str(PORTS["bare"])]
        url = f"ws://127.0.0.1:{PORTS['bare']}/ws/v1/chat"
        with Server("bare FastAPI echo", command, PORTS["bare"], env, log) as server:
            out["bare idle KiB"] = asyncio.run(idle(server, url, args.idle))
            out["bare ws"] = asyncio.run(saturate(
                server, lambda i: WsSession(i, url), args.sessions, args.messages, warmup))
            out["bare rest"] = asyncio.run(saturate(
                server, lambda i: _BareRest(i, PORTS["bare"]), args.sessions, args.messages,
                warmup))
        done("bare ws", f"bare echo: {out['bare ws'].rate():,.0f} msg/s over WebSocket")

    if parts & {"ws-pg", "rest-pg", "paced", "idle"}:
        database = f"rozmova_hotpath_{tag}"
        env = {**base_env, "ROZMOVA_DATA_DIR": str(work / f"pg-{run}"),
               "ROZMOVA_DATABASE_URL": asyncio.run(prepare_database(database)),
               "ROZMOVA_REDIS_URL": "redis://127.0.0.1:6379/15",
               "ROZMOVA_REDIS_PREFIX": f"rozmova-hotpath-{tag}:"}
        subprocess.run([python, "-m", "gateway.cli", "migrate"], env=env, check=True, cwd=ROOT,
                       capture_output=True)
        command = [python, "-m", "gateway.cli", "serve", "--port", str(PORTS["pg"])]
        try:
            if "idle" in parts:  # a fresh server: its own
                with Server("rozmova (PostgreSQL + Redis)", command, PORTS["pg"], env,
                            log, database) as server:
                    key = asyncio.run(setup_bot(PORTS["pg"]))
                    url = f"ws://127.0.0.1:{PORTS['pg']}/ws/v1/chat?key={key}"
                    out["idle KiB"] = asyncio.run(idle(server, url, args.idle))
                say(f"idle: {out['idle KiB']:.1f} KiB per connection")
            if parts & {"ws-pg", "rest-pg", "paced"}:
                with Server("rozmova (PostgreSQL + Redis)", command, PORTS["pg"], env,
                            log, database) as server:
                    key = asyncio.run(setup_bot(PORTS["pg"]))
                    url = f"ws://127.0.0.1:{PORTS['pg']}/ws/v1/chat?key={key}"
                    ws = lambda i: WsSession(i, url)
                    rest = lambda i: RestSession(i, PORTS["pg"], key)
                    if "ws-pg" in parts:
                        out["ws-pg"] = asyncio.run(saturate(server, ws, args.sessions,
                                                            args.messages, warmup))
                        done("ws-pg", f"ws-pg: {out['ws-pg'].rate():,.0f} msg/s")
                    if "rest-pg" in parts:
                        out["rest-pg"] = asyncio.run(saturate(server, rest, args.sessions,
                                                              args.messages, warmup))
                        done("rest-pg", f"rest-pg: {out['rest-pg'].rate():,.0f} msg/s")
                    if "paced" in parts:
                        out["paced ws"] = asyncio.run(pace(server, ws, args.sessions, args.rate,
                                                           paced_seconds))
                        done("paced ws", "paced ws: p99 "
                             f"{out['paced ws'].percentile(99) * 1000:,.1f} ms")
                        out["paced rest"] = asyncio.run(pace(server, rest, args.sessions,
                                                             args.rate, paced_seconds))
                        done("paced rest", "paced rest: p99 "
                             f"{out['paced rest'].percentile(99) * 1000:,.1f} ms")
        finally:
            if not args.keep:
                asyncio.run(_drop_database(database))

    if "ws-sqlite" in parts:
        data = work / f"sqlite-{run}"
        env = {**base_env, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_DATABASE_URL": "",
               "ROZMOVA_REDIS_URL": ""}
        subprocess.run([python, "-m", "gateway.cli", "migrate"], env=env, check=True, cwd=ROOT,
                       capture_output=True)
        command = [python, "-m", "gateway.cli", "serve", "--port", str(PORTS["sqlite"])]
        with Server("rozmova (SQLite)", command, PORTS["sqlite"], env, log) as server:
            key = asyncio.run(setup_bot(PORTS["sqlite"]))
            url = f"ws://127.0.0.1:{PORTS['sqlite']}/ws/v1/chat?key={key}"
            out["ws-sqlite"] = asyncio.run(saturate(server, lambda i: WsSession(i, url),
                                                    args.sessions, args.messages, warmup))
        done("ws-sqlite", f"ws-sqlite: {out['ws-sqlite'].rate():,.0f} msg/s")
    return out


class _BareRest(RestSession):
    """REST against the bare echo: no conversation to start."""

    def __init__(self, index: int, port: int) -> None:
        super().__init__(index, port, "bare")

    async def open(self) -> None:
        await self.connection.open()
        self.path = f"/api/v1/conversations/{self.index}/messages"


async def _drop_database(name: str) -> None:
    import asyncpg
    from chat_turns import PG_ADMIN

    connection = await asyncpg.connect(PG_ADMIN, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


# --- the report -------------------------------------------------------------------------------

def median(runs: list[dict[str, Any]], key: str, value: Callable[[Any], float]) -> float | None:
    values = [value(r[key]) for r in runs if key in r]
    return statistics.median(values) if values else None


def report(runs: list[dict[str, Any]], args: argparse.Namespace) -> None:
    def m(key: str, value: Callable[[Any], float]) -> float | None:
        return median(runs, key, value)

    def us(v: float | None) -> str:
        return "–" if v is None else f"{v:,.0f} µs"

    def ms(v: float | None) -> str:
        return "–" if v is None else f"{v * 1000:,.1f} ms"

    def total(key: str, attr: str) -> int:
        return sum(getattr(r[key], attr) for r in runs if key in r)

    cpu = lambda w: w.per_message(w.server_cpu)
    back = lambda w: w.per_message(w.backing_cpu)
    rate = lambda w: w.rate()
    p50 = lambda w: w.percentile(50)
    p99 = lambda w: w.percentile(99)
    ratio = lambda w: w.percentile(99) / w.percentile(50)
    bare_ws, bare_rest = m("bare ws", cpu), m("bare rest", cpu)
    rows: list[tuple[str, str, str]] = []

    def row(what: str, measured: str, bare: str = "") -> None:
        rows.append((what, measured, bare))

    def errors(key: str) -> str:
        e = total(key, "errors")
        return f"{e} errors" if e else "0 errors"

    if any("ws-pg" in r for r in runs):
        row("WebSocket turn, PostgreSQL + Redis: server CPU per message", us(m("ws-pg", cpu)),
            f"bare WS echo {us(bare_ws)}" if bare_ws else "")
        row("same: PostgreSQL + Redis CPU per message", us(m("ws-pg", back)))
    if any("rest-pg" in r for r in runs):
        row("REST turn, PostgreSQL + Redis: server CPU per message", us(m("rest-pg", cpu)),
            f"bare JSON POST {us(bare_rest)}" if bare_rest else "")
        row("same: PostgreSQL + Redis CPU per message (REST)", us(m("rest-pg", back)))
    if any("ws-sqlite" in r for r in runs):
        row("WebSocket turn, embedded SQLite: server CPU per message", us(m("ws-sqlite", cpu)),
            f"bare WS echo {us(bare_ws)}" if bare_ws else "")
    if any("ws-pg" in r for r in runs):
        bare_rate = m("bare ws", rate)
        row(f"messages per second, one server core, {args.sessions} sessions, WebSocket, "
            "PostgreSQL + Redis", f"{m('ws-pg', rate):,.0f} msg/s, {errors('ws-pg')}",
            f"bare WS echo {bare_rate:,.0f} msg/s" if bare_rate else "")
    if any("rest-pg" in r for r in runs):
        bare_rate = m("bare rest", rate)
        row(f"messages per second, one server core, {args.sessions} sessions, REST, "
            "PostgreSQL + Redis", f"{m('rest-pg', rate):,.0f} msg/s, {errors('rest-pg')}",
            f"bare JSON POST {bare_rate:,.0f} msg/s" if bare_rate else "")
    if any("ws-sqlite" in r for r in runs):
        row(f"messages per second, one server core, {args.sessions} sessions, WebSocket, "
            "SQLite", f"{m('ws-sqlite', rate):,.0f} msg/s, {errors('ws-sqlite')}")
    for key, label in (("paced ws", "WebSocket"), ("paced rest", "REST")):
        if any(key in r for r in runs):
            slots = total(key, "count") + total(key, "failed")
            row(f"p99 at {args.rate:,.0f} msg/s paced, {label}, PostgreSQL + Redis",
                f"p99 {ms(m(key, p99))} (p50 {ms(m(key, p50))}); "
                f"{m(key, rate):,.0f} msg/s answered; of {slots:,} scheduled: "
                f"late (sent >10 ms after its slot) {total(key, 'late'):,}, "
                f"failed {total(key, 'failed'):,} "
                f"(errors {total(key, 'errors'):,})")
    for key, label in (("ws-pg", "WebSocket, PostgreSQL + Redis"),
                       ("rest-pg", "REST, PostgreSQL + Redis"),
                       ("ws-sqlite", "WebSocket, SQLite")):
        if any(key in r for r in runs):
            row(f"p99 / p50 at saturation (closed loop, {args.sessions} sessions), {label}",
                f"{m(key, ratio):,.1f}x (p50 {ms(m(key, p50))}, p99 {ms(m(key, p99))})",
                f"bare WS echo {m('bare ws', ratio):,.1f}x" if key.startswith("ws") and
                m("bare ws", ratio) else "")
    if any("idle KiB" in r for r in runs):
        bare_idle = m("bare idle KiB", float)
        row(f"idle WebSocket connection after hello ({args.idle:,} sockets, PostgreSQL + Redis)",
            f"{m('idle KiB', float):,.1f} KiB",
            f"bare WS echo {bare_idle:,.1f} KiB" if bare_idle else "")
    elif any("bare idle KiB" in r for r in runs):
        row(f"idle WebSocket connection ({args.idle:,} sockets), bare echo only", "",
            f"bare WS echo {m('bare idle KiB', float):,.1f} KiB")

    print(f"\nHot path (issue 9): medians of {len(runs)} run(s); server on CPU 0, client on CPU 1"
          f"; {args.sessions} sessions looping over a 3-step dialog; {args.messages:,} messages "
          "per closed-loop part")
    print("\n| what | measured | baseline, same run, same core |\n|---|---|---|")
    for what, measured_, bare in rows:
        print(f"| {what} | {measured_} | {bare} |")

    print("\nclient (CPU 1) and errors per part:")
    for key in ("bare ws", "bare rest", "ws-pg", "rest-pg", "ws-sqlite", "paced ws",
                "paced rest"):
        windows = [r[key] for r in runs if key in r]
        if not windows:
            continue
        busy = max(w.client_cpu / w.wall for w in windows if w.wall)
        served = max(w.server_cpu / w.wall for w in windows if w.wall)
        # What the rest of the machine did meanwhile: anything but the server, this client,
        # PostgreSQL and Redis competes for the two cores and skews every figure.
        other = max((w.machine_cpu - w.server_cpu - w.client_cpu - w.backing_cpu) / w.wall
                    for w in windows if w.wall)
        disturbed = other > 0.15
        note = "  <- the client saturated its core: the figure is the client's limit" \
            if busy > 0.9 else ""
        first = next((w.first_error for w in windows if w.first_error), "")
        print(f"  {key:10} client {busy:4.0%} of a core, server {served:4.0%}, "
              f"PostgreSQL + Redis {max(w.backing_cpu / w.wall for w in windows):4.0%}, "
              f"others {max(0.0, other):4.0%}{' (busy machine!)' if disturbed else ''}; "
              f"{sum(w.count for w in windows):,} answered, {sum(w.errors for w in windows)} "
              f"errors{(' (first: ' + first + ')') if first else ''}{note}")
    failed = sum(r[k].errors for r in runs for k in r if isinstance(r[k], Window))
    if failed:
        print(f"\nWARNING: {failed:,} messages failed; the figures above do not describe a "
              "working server")
    print("\nreproduce: .venv/bin/python bench/hot_path.py " + " ".join(sys.argv[1:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=40_000,
                        help="messages per closed-loop part (default 40,000)")
    parser.add_argument("--runs", type=int, default=1, help="report medians of this many runs")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--rate", type=float, default=1200, help="paced rate, msg/s")
    parser.add_argument("--paced-seconds", type=float, default=0,
                        help="length of each paced part (default: --messages / --rate)")
    parser.add_argument("--idle", type=int, default=2000, help="idle sockets for the memory row")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts: {','.join(PARTS)}")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 3,000 messages, 4 s paced, 300 idle sockets")
    parser.add_argument("--keep", action="store_true", help="keep the databases and files")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if unknown := parts - set(PARTS):
        parser.error(f"unknown parts {sorted(unknown)}; known: {', '.join(PARTS)}")
    if args.quick:
        args.messages = min(args.messages, 3000)
        args.paced_seconds = args.paced_seconds or 4
        args.idle = min(args.idle, 300)
    try:
        import psutil  # noqa: F401
    except ImportError:
        raise SystemExit("psutil is needed: .venv/bin/pip install psutil") from None
    raise_fd_limit()
    if (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})
    else:
        print("one CPU only: server and client share it; the figures are not per core")
    work = Path(tempfile.mkdtemp(prefix="rozmova-hot-path-"))
    runs = []
    try:
        for run in range(args.runs):
            runs.append(run_once(args, parts, run, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"files kept in {work}")
    report(runs, args)


if __name__ == "__main__":
    main()
