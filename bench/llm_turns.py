"""The platform's own cost of an LLM block: REST chat turns through an `llm` block (generate,
said to the person, cache off) against the fake OpenAI-compatible server answering at once,
next to the same turns through a message block, in the same run. The difference per turn is
what the platform adds around a model: the service dispatch, the provider lookup and secret,
litellm's client and the HTTP round trip to the model server, the accounting row.

    .venv/bin/python bench/llm_turns.py [--duration 10] [--concurrency 32] [--embedded]

The server runs pinned to CPU 0; the load generator and the fake model server share CPU 1.
`--concurrency 200` is 200 conversations waiting for their answers at once."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_turns import line, pin, prepare_database, wait_ready  # noqa: E402
from loadgen import Connection, Results, closed_loop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAKE_PORT, SERVER_PORT = 8396, 8397


def document(with_model: bool) -> dict:
    answer = ({"id": "answer", "type": "llm", "settings": {
        "provider": "bench", "prompt": {"uk": "{{said}}", "en": "{{said}}"}, "cache": False,
        "max_tokens": 50}} if with_model else
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
    status, body = await c.request("PUT", "/api/v1/llm/providers/bench", {
        "kind": "openai_compatible", "model": "fake-small",
        "api_base": f"http://127.0.0.1:{FAKE_PORT}/v1", "timeout_seconds": 30}, auth)
    assert status in (200, 201), body
    keys = {}
    for name, with_model in (("message block", False), ("llm block", True)):
        _, body = await c.request("POST", "/api/v1/bots", {"name": f"b-{uuid.uuid4().hex[:6]}",
                                                          "settings": {"sentiment": False}},
                                  auth)
        bot = json.loads(body)["id"]
        _, body = await c.request("POST", f"/api/v1/bots/{bot}/scenarios",
                                  {"name": "main", "document": document(with_model)}, auth)
        scenario = json.loads(body)["id"]
        status, body = await c.request("POST", f"/api/v1/scenarios/{scenario}/publish", {},
                                       auth)
        assert status == 201, body
        _, body = await c.request("GET", f"/api/v1/bots/{bot}/chat-key", None, auth)
        keys[name] = json.loads(body)["key"]
    c.close()
    return keys


def worker(key: str):  # type: ignore[no-untyped-def]
    headers = {"X-Chat-Key": key}

    def make(index: int):  # type: ignore[no-untyped-def]
        state: dict[str, str] = {}

        async def step(connection: Connection, n: int):  # type: ignore[no-untyped-def]
            if "id" not in state:
                status, body = await connection.request(
                    "POST", "/api/v1/conversations", {"language": "en"}, headers)
                state["id"] = json.loads(body)["conversation_id"]
                return status, body
            status, body = await connection.request(
                "POST", f"/api/v1/conversations/{state['id']}/messages",
                {"text": f"hello {index} {n}", "client_message_id": f"{index}-{n}"}, headers)
            if status == 200 and b"Echo: hello" not in body:
                return 599, body  # the model's answer must be in the turn's answer
            return status, body
        return step
    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--embedded", action="store_true",
                        help="SQLite and in-process adapters instead of PostgreSQL + Redis")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1} if os.cpu_count() > 1 else {0})
    data = Path(tempfile.mkdtemp(prefix="rozmova-bench-"))
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_ADMIN_PASSWORD": "bench-password-1", "ROZMOVA_LOG_JSON": "true",
           "ROZMOVA_DEMO_BOT": "false", "ROZMOVA_HTTP_ALLOW": f"127.0.0.1:{FAKE_PORT}"}
    mode = "SQLite, in-process"
    if not args.embedded:
        env["ROZMOVA_DATABASE_URL"] = asyncio.run(prepare_database("rozmova_bench_llm"))
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        mode = "PostgreSQL + Redis"
    python = sys.executable
    subprocess.run([python, "-m", "gateway.cli", "migrate"], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    fake = subprocess.Popen([*pin(1), python, "-m", "llm.fake_server", "--port", str(FAKE_PORT)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([*pin(0), python, "-m", "gateway.cli", "serve", "--port",
                               str(SERVER_PORT)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: dict[str, Results] = {}
    try:
        wait_ready(SERVER_PORT, "/readyz")
        keys = asyncio.run(setup(SERVER_PORT))
        for name, key in keys.items():
            make = worker(key)
            asyncio.run(closed_loop("127.0.0.1", SERVER_PORT, args.concurrency, 3, make))
            results[name] = asyncio.run(closed_loop("127.0.0.1", SERVER_PORT,
                                                    args.concurrency, args.duration, make))
    finally:
        server.terminate()
        fake.terminate()
        server.wait(timeout=30)
        fake.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    print(f"\nREST chat turns, {args.concurrency} conversations at once; server on one core; "
          f"{mode}; the fake model answers at once")
    for name, r in results.items():
        print(line(name, r))
    plain, model = results["message block"], results["llm block"]
    print(f"LLM block overhead per turn: p50 +{(model.percentile(50) - plain.percentile(50)) * 1000:.2f} ms, "
          f"p99 +{(model.percentile(99) - plain.percentile(99)) * 1000:.2f} ms; server CPU per "
          f"turn ~{1e6 / model.rate():.0f} µs vs ~{1e6 / plain.rate():.0f} µs")
    print("reproduce: .venv/bin/python bench/llm_turns.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
