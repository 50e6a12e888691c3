"""Intent routing under load: many conversations at once send free text to a bot with an
`intent` block, over the REST chat API of `rozmova serve` on a socket, and each turn is timed
by whether its message takes the classifier's second look (the encoder, ~25 ms of one core)
or is answered by the first.

    .venv/bin/python bench/nlu_load.py [--clients 4,32] [--duration 15] [--pg]

The server runs pinned to CPU 0 (one core), this process on CPU 1. The bot's intents are the
Home Assistant intents' training set (Ukrainian and English, ../shared/data/nlu); the
messages are its test texts, in a fixed shuffled order. Each configuration starts its own
server: the defaults (ROZMOVA_NLU_SECOND_LOOK_THREADS=1, _WAIT_MS=250), no wait limit (no message is
ever answered without its second look), and the second look off. Figures per
configuration and number of clients: turns/s, p50/p99 of turns whose message the first look
is sure of and of those it is not, the share of unsure messages answered by the first look
alone (shed, read off /metrics), and the share of answers that reached the right intent."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chat_turns import pin, prepare_database, wait_ready  # noqa: E402
from loadgen import Connection  # noqa: E402

from nlu.classifier import train  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "nlu" / "ha-intents-en-uk"
PORT = 18720
PASSWORD = "bench-password-1"
FALLBACK = "no-intent"


def read(path: Path) -> list[dict]:
    """The rows, intent names as a scenario spells them ("HassTurnOn" -> "hass_turn_on")."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for row in rows:
        row["intent"] = re.sub(r"(?<!^)(?=[A-Z])", "_", row["intent"]).lower()
    return rows


def document(train_rows: list[dict]) -> dict:
    """Ask, route by intent, say the intent's name (or FALLBACK), ask again."""
    examples: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in train_rows:
        examples[row["intent"]][row["lang"]].append(row["text"])
    intents = [{"name": name, "examples": dict(by_lang)} for name, by_lang in examples.items()]
    blocks = [
        {"id": "ask", "type": "input", "settings": {
            "kind": "text", "variable": "said", "prompt": {"uk": "?", "en": "?"}}},
        {"id": "route", "type": "intent", "settings": {"intents": intents}},
        {"id": "fallback", "type": "message", "settings": {"text": {"uk": FALLBACK,
                                                                   "en": FALLBACK}}},
        {"id": "failed", "type": "message", "settings": {"text": {"uk": "error", "en": "error"}}},
    ]
    edges = [{"source": "ask", "port": "next", "target": "route"},
             {"source": "route", "port": "fallback", "target": "fallback"},
             {"source": "route", "port": "error", "target": "failed"},
             {"source": "fallback", "target": "ask"}, {"source": "failed", "target": "ask"}]
    for intent in intents:
        name = intent["name"]
        blocks.append({"id": f"say_{name}", "type": "message",
                       "settings": {"text": {"uk": name, "en": name}}})
        edges += [{"source": "route", "port": name, "target": f"say_{name}"},
                  {"source": f"say_{name}", "target": "ask"}]
    return {"schema_version": 2, "entry": {"start": "ask"},
            "variables": [{"name": "said", "type": "string"}], "blocks": blocks, "edges": edges}


async def publish(port: int, scenario_document: dict) -> str:
    """The bot published and its intent model complete (second look in); its chat key."""
    c = Connection("127.0.0.1", port)
    await c.open()
    _, body = await c.request("POST", "/api/v1/auth/login",
                              {"email": "admin@example.com", "password": PASSWORD})
    auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    _, body = await c.request("POST", "/api/v1/bots", {"name": f"nlu-load-{port}-{time.time_ns()}"}, auth)
    bot = json.loads(body)["id"]
    status, body = await c.request("POST", f"/api/v1/bots/{bot}/scenarios",
                                   {"name": "intents", "document": scenario_document}, auth)
    assert status == 201, body[:500]
    scenario = json.loads(body)["id"]
    status, body = await c.request("POST", f"/api/v1/scenarios/{scenario}/publish", {}, auth)
    assert status == 201, body[:500]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        _, body = await c.request("GET", f"/api/v1/scenarios/{scenario}/versions/1/nlu", None,
                                  auth)
        models = json.loads(body)["models"]
        if models and all(m["status"] == "ready" and m["phase"] in ("done", "") for m in models):
            break
        await asyncio.sleep(0.5)
    else:
        raise SystemExit(f"the intent model was not ready: {models}")
    _, body = await c.request("GET", f"/api/v1/bots/{bot}/chat-key", None, auth)
    c.close()
    return json.loads(body)["key"]


async def metric(port: int, name: str, labels: str) -> float:
    c = Connection("127.0.0.1", port)
    await c.open()
    _, body = await c.request("GET", "/metrics")
    c.close()
    found = re.search(rf"^{name}{{{labels}}} (\S+)$", body.decode(), re.M)
    return float(found.group(1)) if found else 0.0


async def load(port: int, key: str, clients: int, duration: float,
               messages: list[tuple[str, str, bool]]) -> dict:
    """`clients` conversations, each sending the next message as soon as its last is answered."""
    headers = {"X-Chat-Key": key}
    times: dict[bool, list[float]] = {True: [], False: []}
    right, answered, errors = 0, 0, 0
    counter = iter(range(10**9))
    stop_at = time.perf_counter() + duration

    async def client(index: int) -> None:
        nonlocal right, answered, errors
        c = Connection("127.0.0.1", port)
        await c.open()
        status, body = await c.request("POST", "/api/v1/conversations", {"language": "uk"},
                                       headers)
        assert status == 201, body[:300]
        conversation = json.loads(body)["conversation_id"]
        while time.perf_counter() < stop_at:
            n = next(counter)
            text, intent, unsure = messages[n % len(messages)]
            started = time.perf_counter()
            status, body = await c.request(
                "POST", f"/api/v1/conversations/{conversation}/messages",
                {"text": text, "client_message_id": f"{index}-{n}"}, headers)
            elapsed = time.perf_counter() - started
            if status >= 400:
                errors += 1
                continue
            times[unsure].append(elapsed)
            said = json.loads(body)["messages"][0]["text"]
            answered += 1
            right += said == intent
        c.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    seconds = time.perf_counter() - started
    return {"rate": answered / seconds, "right": 100.0 * right / max(answered, 1),
            "errors": errors, "sure": np.asarray(times[False]) * 1e3,
            "unsure": np.asarray(times[True]) * 1e3}


def run(name: str, extra_env: dict[str, str], args: argparse.Namespace, scenario: dict,
        messages: list[tuple[str, str, bool]], base_env: dict[str, str]) -> list[str]:
    env = {**base_env, **extra_env}
    server = subprocess.Popen(
        [*pin(0), sys.executable, "-m", "gateway.cli", "serve", "--port", str(PORT)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    try:
        wait_ready(PORT, "/readyz")
        key = asyncio.run(publish(PORT, scenario))
        asyncio.run(load(PORT, key, 4, 3, messages))  # warm-up: caches, connections
        for clients in args.clients:
            before = {o: asyncio.run(metric(PORT, "rozmova_nlu_second_looks_total",
                                            f'outcome="{o}"')) for o in ("taken", "shed")}
            r = asyncio.run(load(PORT, key, clients, args.duration, messages))
            after = {o: asyncio.run(metric(PORT, "rozmova_nlu_second_looks_total",
                                           f'outcome="{o}"')) for o in ("taken", "shed")}
            taken, shed = (after[o] - before[o] for o in ("taken", "shed"))
            share = 100.0 * shed / (taken + shed) if taken + shed else 0.0

            def p(a: np.ndarray, q: float) -> str:
                return f"{np.percentile(a, q):.1f}" if len(a) else "-"
            lines.append(
                f"| {name} | {clients} | {r['rate']:.0f} | {p(r['sure'], 50)} / {p(r['sure'], 99)}"
                f" | {p(r['unsure'], 50)} / {p(r['unsure'], 99)} | {share:.0f} % "
                f"| {r['right']:.1f} % | {r['errors']} |")
            print(lines[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="4,32",
                        type=lambda v: [int(x) for x in v.split(",")])
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL + Redis, not SQLite")
    parser.add_argument("--lang", choices=("uk", "en"), default=None,
                        help="send only the test messages in this language (uk: half unsure)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is absent: ../shared/data must be beside the checkout")
    if os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})
    train_rows, test_rows = read(DATA / "train.jsonl"), read(DATA / "test.jsonl")
    test_rows = [r for r in test_rows if args.lang in (None, r["lang"])]
    # The same examples train the same model here (training is seeded): which test messages
    # the server's first look is unsure of is known before they are sent.
    model = train([{"text": r["text"], "intent": r["intent"], "lang": r["lang"]}
                   for r in train_rows]).classifier
    known = set(model.intents)
    messages = [(r["text"], r["intent"] if r["intent"] in known else FALLBACK,
                 model.takes_second_look(r["text"])) for r in test_rows]
    random.Random(7).shuffle(messages)
    unsure = 100.0 * sum(m[2] for m in messages) / len(messages)

    data = Path(tempfile.mkdtemp(prefix="rozmova-bench-"))
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_ADMIN_PASSWORD": PASSWORD, "ROZMOVA_DEMO_BOT": "false",
           # The test texts come round again: without this, from the second round on every
           # unsure message would be a cache hit, not a look.
           "ROZMOVA_NLU_ENCODER_CACHE": "0"}
    mode = "SQLite, in-process"
    if args.pg:
        env["ROZMOVA_DATABASE_URL"] = asyncio.run(prepare_database("rozmova_bench_nlu"))
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        mode = "PostgreSQL + Redis"
    subprocess.run([sys.executable, "-m", "gateway.cli", "migrate"], env=env, check=True,
                   cwd=ROOT, capture_output=True)
    scenario = document(train_rows)
    print(f"$ .venv/bin/python bench/nlu_load.py {' '.join(sys.argv[1:])}")
    print(f"{len(messages)} HA test messages ({args.lang or 'uk and en'}), {unsure:.0f} % of them unsure at the first look; "
          f"server on one core; {mode}\n")
    print("| configuration | clients | turns/s | sure: p50 / p99 ms | unsure: p50 / p99 ms "
          "| unsure answered by the first look alone | right intent | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for name, extra in (("defaults (1 thread, wait ≤ 250 ms)", {}),
                        ("no wait limit", {"ROZMOVA_NLU_SECOND_LOOK_WAIT_MS": "60000"}),
                        ("second look off", {"ROZMOVA_NLU_SECOND_LOOK": "false"})):
        run(name, extra, args, scenario, messages, env)


if __name__ == "__main__":
    main()
