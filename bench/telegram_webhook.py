"""Telegram webhook updates per second through to the stored turn and the queued answer, on
one server core, against the fake Bot API (chat/channels/telegram/fake.py).

    .venv/bin/python bench/telegram_webhook.py [--updates 4000] [--chats 100] [--only sqlite,pg]

`rozmova serve` runs pinned to CPU 0 with the demo bot connected to the fake Telegram in
webhook mode; this process (the fake and the load) runs on CPU 1. Each chat sends `/start`,
then texts the demo answers with its fallback (a stored turn and a reply each); every update
is POSTed as Telegram posts it, with the secret token, and waited for (the webhook answers once
the turn is stored). Figures: updates/s and webhook latency over the measured window, server
CPU per update, and how long after the last update the last answer reached the fake
(delivery runs behind the webhook, from the stored history)."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chat_turns import pin, prepare_database, wait_ready

from chat.channels.telegram.fake import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "8000001:bench-TOKEN"
PORT, FAKE_PORT = 18690, 18691


async def run(database: str, args: argparse.Namespace, work: Path) -> dict[str, float]:
    fake = FakeTelegram()
    fake.add_bot(TOKEN, "bench_bot")
    fake_server = uvicorn.Server(uvicorn.Config(fake.app, host="127.0.0.1", port=FAKE_PORT,
                                                log_config=None, lifespan="off"))
    fake_task = asyncio.create_task(fake_server.serve())
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(work / database), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_LOG_JSON": "true", "ROZMOVA_ADMIN_PASSWORD": "bench-password-1",
           "ROZMOVA_DEMO_SHOP_PORT": "0", "ROZMOVA_REDIS_URL": "",
           "ROZMOVA_TELEGRAM_API_URL": f"http://127.0.0.1:{FAKE_PORT}",
           "ROZMOVA_DATABASE_URL": "" if database == "sqlite" else
           await prepare_database(f"rozmova_tgbench_{os.getpid()}")}
    if database == "pg":
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/14"
    cli = [sys.executable, "-m", "gateway.cli"]
    subprocess.run([*cli, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen([*pin(0), *cli, "serve", "--port", str(PORT)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{PORT}"
    try:
        await asyncio.to_thread(wait_ready, PORT, "/readyz")
        async with httpx.AsyncClient(base_url=base, timeout=30) as api:
            login = await api.post("/api/v1/auth/login", json={
                "email": "admin@example.com", "password": "bench-password-1"})
            auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
            bots = (await api.get("/api/v1/bots", headers=auth)).json()["items"]
            demo = next(b for b in bots if b["name"] == "Demo")
            connected = await api.put(f"/api/v1/bots/{demo['id']}/channels/telegram", json={
                "token": TOKEN, "public_url": base}, headers=auth)
            assert connected.status_code == 200, connected.text
        url, secret = fake.bots[TOKEN].webhook  # type: ignore[misc]
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        per_chat = max(2, args.updates // args.chats)
        warm = max(1, per_chat // 10)
        latencies: list[float] = []
        marks: dict[str, float] = {}
        process = psutil.Process(server.pid)

        async def chat(n: int, http: httpx.AsyncClient) -> None:
            person = {"id": 10_000 + n, "is_bot": False, "first_name": "P", "language_code": "en"}
            for k in range(per_chat):
                if k == warm and "start" not in marks:
                    marks["start"] = time.perf_counter()
                    marks["cpu"] = sum(process.cpu_times()[:2])
                text = "/start" if k == 0 else f"hello {k}"
                update = fake.update(TOKEN, message={
                    "message_id": k + 1, "date": 1, "from": person, "text": text,
                    "chat": {"id": 10_000 + n, "type": "private"}})
                began = time.perf_counter()
                answer = await http.post(url, json=update, headers=headers)
                assert answer.status_code == 200, answer.text
                if k >= warm:
                    latencies.append(time.perf_counter() - began)

        limits = httpx.Limits(max_connections=args.chats, max_keepalive_connections=args.chats)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:
            await asyncio.gather(*(chat(n, http) for n in range(args.chats)))
        ended = time.perf_counter()
        cpu = sum(process.cpu_times()[:2]) - marks["cpu"]
        expected = args.chats * per_chat  # one answer (at least) per update
        while len(fake.sent("sendMessage")) < expected and time.perf_counter() - ended < 60:
            await asyncio.sleep(0.05)
        drained = time.perf_counter() - ended
        window = ended - marks["start"]
        ordered = sorted(latencies)
        return {"updates/s": len(latencies) / window,
                "p50 ms": ordered[len(ordered) // 2] * 1000,
                "p99 ms": ordered[int(len(ordered) * 0.99)] * 1000,
                "server CPU µs/update": cpu / len(latencies) * 1e6,
                "answers drained after s": drained,
                "answers sent": len(fake.sent("sendMessage")), "expected": expected}
    finally:
        server.terminate()
        server.wait(30)
        fake_server.should_exit = fake_server.force_exit = True
        await fake_task


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=4000)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--only", default="sqlite,pg")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1}) if hasattr(os, "sched_setaffinity") and \
        (os.cpu_count() or 1) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        for database in args.only.split(","):
            figures = asyncio.run(run(database, args, Path(tmp)))
            print(f"{database}: " + ", ".join(
                f"{k} {v:,.1f}" if isinstance(v, float) else f"{k} {v}"
                for k, v in figures.items()), flush=True)
    print("reproduce: .venv/bin/python bench/telegram_webhook.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
