"""LLM answers streamed over the chat WebSocket: what the platform adds to a streamed answer,
and how many conversations can be streamed to at once.

1. Overhead: the same WebSocket turns through a message block and through a streaming `llm`
   block whose fake model answers at once (all of its pieces without delay), one after the
   other; the difference is the platform's own cost of a streamed LLM turn (dispatch,
   provider lookup, litellm's streaming client, pieces coalesced and sent as partial frames,
   accounting).
2. Load: `--conversations` sockets (200 by default) each asking in a loop, the fake model
   writing a word every `--word-delay` seconds (30 words); reported: answers a second, the
   time to the first piece and to the stored answer (p50/p99), partial frames a second, and
   errors (an answer whose pieces do not add up to the final text counts as one).

    .venv/bin/python bench/llm_streaming.py [--conversations 200] [--duration 15] [--embedded]

The server runs pinned to CPU 0; the clients and the fake model servers share CPU 1."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_turns import pin, prepare_database, wait_ready  # noqa: E402
from loadgen import Connection  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUICK_PORT, PACED_PORT, SERVER_PORT = 8496, 8497, 8498
WORDS = 30


def document(provider: str | None) -> dict:
    answer = ({"id": "answer", "type": "llm", "settings": {
        "provider": provider, "prompt": {"uk": "{{said}}", "en": "{{said}}"}, "cache": False,
        "max_tokens": 200}} if provider else
        {"id": "answer", "type": "message", "settings": {"text": {
            "uk": "Echo: {{said}}", "en": "Echo: {{said}}"}}})
    return {"schema_version": 2, "entry": {"start": "ask"},
            "variables": [{"name": "said", "type": "string"}],
            "blocks": [{"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
                answer],
            "edges": [{"source": "ask", "target": "answer"},
                      {"source": "answer", "target": "ask"}]}


async def setup(port: int) -> dict[str, str]:
    c = Connection("127.0.0.1", port)
    await c.open()
    _, body = await c.request("POST", "/api/v1/auth/login", {
        "email": "admin@example.com", "password": "bench-password-1"})
    auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    for name, fake in (("quick", QUICK_PORT), ("paced", PACED_PORT)):
        status, body = await c.request("PUT", f"/api/v1/llm/providers/{name}", {
            "kind": "openai_compatible", "model": "fake-small",
            "api_base": f"http://127.0.0.1:{fake}/v1", "timeout_seconds": 60}, auth)
        assert status in (200, 201), body
    keys = {}
    for name, provider in (("message block", None), ("llm block, streamed", "quick"),
                           ("llm block, paced", "paced")):
        _, body = await c.request("POST", "/api/v1/bots", {
            "name": f"b-{uuid.uuid4().hex[:6]}", "settings": {
                "sentiment": False,
                # Each socket sends as fast as answers come: past the default flood limit.
                "flood_limit": {"burst": 10_000, "per_second": 1000}}}, auth)
        bot = json.loads(body)["id"]
        _, body = await c.request("POST", f"/api/v1/bots/{bot}/scenarios",
                                  {"name": "main", "document": document(provider)}, auth)
        scenario = json.loads(body)["id"]
        status, body = await c.request("POST", f"/api/v1/scenarios/{scenario}/publish", {},
                                       auth)
        assert status == 201, body
        _, body = await c.request("GET", f"/api/v1/bots/{bot}/chat-key", None, auth)
        keys[name] = json.loads(body)["key"]
    c.close()
    return keys


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Figures:
    def __init__(self) -> None:
        self.cpu = 0.0  # the server's CPU seconds during the run
        self.turns: list[float] = []
        self.first: list[float] = []
        self.partials = 0
        self.errors = 0
        self.started = self.ended = 0.0


async def converse(key: str, index: int, stop: float, figures: Figures) -> None:
    from websockets.asyncio.client import connect

    said = " ".join(f"w{index}x{i}" for i in range(WORDS - 1))  # Echo: + 29 words = 30
    try:
        async with connect(f"ws://127.0.0.1:{SERVER_PORT}/ws/v1/chat?key={key}",
                           open_timeout=60, max_queue=None) as ws:
            await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
            while json.loads(await ws.recv())["type"] != "input":
                pass
            n = 0
            while time.perf_counter() < stop:
                n += 1
                begun = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "text": said,
                                          "client_message_id": f"{index}-{n}"}))
                pieces: list[str] = []
                final = None
                first = None
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 120))
                    if frame["type"] == "partial":
                        if first is None:
                            first = time.perf_counter() - begun
                        pieces.append(frame["text"])
                        figures.partials += 1
                    elif frame["type"] == "message" and frame["direction"] == "out" \
                            and frame["message"].get("text", "").startswith("Echo:"):
                        final = frame["message"]
                    elif frame["type"] == "input":
                        break
                    elif frame["type"] == "error":
                        break
                took = time.perf_counter() - begun
                if final is None or (pieces and "".join(pieces) != final["text"]):
                    figures.errors += 1
                    continue
                figures.turns.append(took)
                if first is not None:
                    figures.first.append(first)
    except Exception as exc:  # noqa: BLE001  (counted; the run goes on)
        figures.errors += 1
        print(f"conversation {index}: {type(exc).__name__}: {exc}", file=sys.stderr)


async def run(key: str, conversations: int, duration: float, server: int) -> Figures:
    figures = Figures()
    stop = time.perf_counter() + duration
    figures.started, cpu = time.perf_counter(), cpu_seconds(server)
    await asyncio.gather(*(converse(key, i, stop, figures) for i in range(conversations)))
    figures.ended, figures.cpu = time.perf_counter(), cpu_seconds(server) - cpu
    return figures


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


def line(name: str, f: Figures) -> str:
    seconds = f.ended - f.started
    text = (f"{name:22} {len(f.turns) / seconds:7.1f} answers/s  "
            f"turn p50 {pct(f.turns, 50):8.1f} ms p99 {pct(f.turns, 99):8.1f} ms")
    if f.first:
        text += (f"  first piece p50 {pct(f.first, 50):7.1f} ms p99 {pct(f.first, 99):7.1f} "
                 f"ms  {f.partials / seconds:6.0f} partial frames/s")
    return text + (f"  server CPU {1000 * f.cpu / max(1, len(f.turns)):.2f} ms an answer "
                   f"({100 * f.cpu / seconds:.0f}% of its core)  errors {f.errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--word-delay", type=float, default=0.05,
                        help="seconds between the paced model's words")
    parser.add_argument("--overhead-conversations", type=int, default=16)
    parser.add_argument("--embedded", action="store_true",
                        help="SQLite and in-process adapters instead of PostgreSQL + Redis")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1} if os.cpu_count() > 1 else {0})
    data = Path(tempfile.mkdtemp(prefix="rozmova-bench-"))
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_ADMIN_PASSWORD": "bench-password-1", "ROZMOVA_LOG_JSON": "true",
           "ROZMOVA_DEMO_BOT": "false",
           "ROZMOVA_HTTP_ALLOW": f"127.0.0.1:{QUICK_PORT},127.0.0.1:{PACED_PORT}"}
    mode = "SQLite, in-process"
    if not args.embedded:
        env["ROZMOVA_DATABASE_URL"] = asyncio.run(prepare_database("rozmova_bench_stream"))
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        mode = "PostgreSQL + Redis"
    python = sys.executable
    subprocess.run([python, "-m", "gateway.cli", "migrate"], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    fakes = [subprocess.Popen([*pin(1), python, "-m", "llm.fake_server", "--port", str(port),
                               "--stream-delay", str(delay)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for port, delay in ((QUICK_PORT, 0), (PACED_PORT, args.word_delay))]
    server = subprocess.Popen([*pin(0), python, "-m", "gateway.cli", "serve", "--port",
                               str(SERVER_PORT)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: dict[str, Figures] = {}
    try:
        wait_ready(SERVER_PORT, "/readyz")
        keys = asyncio.run(setup(SERVER_PORT))
        for name in ("message block", "llm block, streamed"):
            asyncio.run(run(keys[name], args.overhead_conversations, 3, server.pid))  # warm
            results[name] = asyncio.run(run(keys[name], args.overhead_conversations,
                                            args.duration, server.pid))
        results["llm block, paced"] = asyncio.run(run(keys["llm block, paced"],
                                                      args.conversations, args.duration,
                                                      server.pid))
    finally:
        server.terminate()
        for fake in fakes:
            fake.terminate()
        server.wait(timeout=30)
        for fake in fakes:
            fake.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    print(f"\nWebSocket chat turns; server on one core; {mode}")
    print(f"overhead: {args.overhead_conversations} conversations at once, the model answering "
          "at once")
    for name in ("message block", "llm block, streamed"):
        print("  " + line(name, results[name]))
    plain, model = results["message block"], results["llm block, streamed"]
    added = 1000 * (model.cpu / max(1, len(model.turns)) - plain.cpu / max(1, len(plain.turns)))
    print(f"  a streamed LLM answer costs the server {added:.2f} ms of CPU more than a message "
          "block's (its own overhead: everything but the model's time)")
    print(f"load: {args.conversations} conversations streaming at once, a word every "
          f"{args.word_delay:g} s ({WORDS} words, {WORDS * args.word_delay:.1f} s an answer)")
    print("  " + line("llm block, paced", results["llm block, paced"]))
    print("reproduce: .venv/bin/python bench/llm_streaming.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
