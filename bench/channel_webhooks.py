"""Messenger webhook updates per second through to the stored turn and the queued answer, on
one server core, against the fake Telegram Bot API or the fake Viber API
(chat/channels/{telegram,viber}/fake.py).

    .venv/bin/python bench/channel_webhooks.py [--channel telegram|viber] [--updates 4000]
        [--chats 100] [--only sqlite,pg]

`rozmova serve` runs pinned to CPU 0 with the demo bot connected to the fake messenger in
webhook mode; this process (the fake and the load) runs on CPU 1. Each chat sends `/start`,
then texts the demo answers with its fallback (a stored turn and a reply each); every update
is POSTed as the messenger posts it (Telegram's with the secret token, Viber's signed with
HMAC-SHA256 of the body) and waited for (the webhook answers once the turn is stored). Figures: updates/s and webhook latency over the measured window, server
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
import orjson
import psutil
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chat_turns import pin, prepare_database, wait_ready

from chat.channels.telegram.fake import FakeTelegram
from chat.channels.viber.fake import FakeViber, sign

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "8000001:bench-TOKEN"
VIBER_TOKEN = "4b5e6c-bench-viber"
PORT, FAKE_PORT = 18690, 18691


class _Telegram:
    """Telegram's side of the bench: its fake, and an update as Telegram posts it."""

    def __init__(self) -> None:
        self.fake = FakeTelegram()
        self.fake.add_bot(TOKEN, "bench_bot")
        self.token = TOKEN

    def env(self, port: int) -> dict[str, str]:
        return {"ROZMOVA_TELEGRAM_API_URL": f"http://127.0.0.1:{port}"}

    def post(self, n: int, k: int, text: str) -> tuple[str, bytes, dict[str, str]]:
        url, secret = self.fake.bots[TOKEN].webhook  # type: ignore[misc]
        person = {"id": 10_000 + n, "is_bot": False, "first_name": "P", "language_code": "en"}
        update = self.fake.update(TOKEN, message={
            "message_id": k + 1, "date": 1, "from": person, "text": text,
            "chat": {"id": 10_000 + n, "type": "private"}})
        return url, orjson.dumps(update), {"X-Telegram-Bot-Api-Secret-Token": secret or "",
                                           "Content-Type": "application/json"}

    def sent(self) -> int:
        return len(self.fake.sent("sendMessage"))


class _Viber:
    """Viber's side: its fake (people subscribed), and a callback signed as Viber signs it."""

    def __init__(self, chats: int) -> None:
        self.fake = FakeViber()
        self.fake.add_bot(VIBER_TOKEN, name="Bench")
        self.fake.unanswered_limit = None
        self.people = [self.fake.add_person(VIBER_TOKEN, subscribed=True)
                       for _ in range(chats)]
        self.token = VIBER_TOKEN
        self.tokens = iter(range(6_000_000_000_000_000_000, 7_000_000_000_000_000_000))

    def env(self, port: int) -> dict[str, str]:
        return {"ROZMOVA_VIBER_API_URL": f"http://127.0.0.1:{port}/pa"}

    def post(self, n: int, k: int, text: str) -> tuple[str, bytes, dict[str, str]]:
        raw = orjson.dumps({"event": "message", "timestamp": 1,
                            "message_token": next(self.tokens), "sender": self.people[n],
                            "message": {"type": "text", "text": text}})
        return self.fake.webhook(VIBER_TOKEN) or "", raw, {
            "X-Viber-Content-Signature": sign(VIBER_TOKEN, raw),
            "Content-Type": "application/json"}

    def sent(self) -> int:
        return sum(1 for c in self.fake.calls if c.method == "send_message" and c.status == 0)


async def run(database: str, args: argparse.Namespace, work: Path) -> dict[str, float]:
    side = _Viber(args.chats) if args.channel == "viber" else _Telegram()
    fake = side.fake
    fake_server = uvicorn.Server(uvicorn.Config(fake.app, host="127.0.0.1", port=FAKE_PORT,
                                                log_config=None, lifespan="off"))
    fake_task = asyncio.create_task(fake_server.serve())
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(work / database), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_LOG_JSON": "true", "ROZMOVA_ADMIN_PASSWORD": "bench-password-1",
           "ROZMOVA_DEMO_SHOP_PORT": "0", "ROZMOVA_REDIS_URL": "",
           **side.env(FAKE_PORT),
           "ROZMOVA_DATABASE_URL": "" if database == "sqlite" else
           await prepare_database(f"rozmova_tgbench_{os.getpid()}")}
    if database == "pg":
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/14"
    cli = [sys.executable, "-m", "gateway.cli"]
    # The server's warnings and errors, shown if the run fails.
    log = (work / f"{database}-server.log").open("wb")
    subprocess.run([*cli, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen([*pin(0), *cli, "serve", "--port", str(PORT)], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        await asyncio.to_thread(wait_ready, PORT, "/readyz")
        async with httpx.AsyncClient(base_url=base, timeout=30) as api:
            login = await api.post("/api/v1/auth/login", json={
                "email": "admin@example.com", "password": "bench-password-1"})
            auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
            bots = (await api.get("/api/v1/bots", headers=auth)).json()["items"]
            demo = next(b for b in bots if b["name"] == "Demo")
            connected = await api.put(
                f"/api/v1/bots/{demo['id']}/channels/{args.channel}", json={
                    "token": side.token, "public_url": base}, headers=auth)
            assert connected.status_code == 200, connected.text
        per_chat = max(2, args.updates // args.chats)
        warm = max(1, per_chat // 10)
        latencies: list[float] = []
        marks: dict[str, float] = {}
        process = psutil.Process(server.pid)

        async def chat(n: int, http: httpx.AsyncClient) -> None:
            for k in range(per_chat):
                if k == warm and "start" not in marks:
                    marks["start"] = time.perf_counter()
                    marks["cpu"] = sum(process.cpu_times()[:2])
                text = "/start" if k == 0 else f"hello {k}"
                url, body, headers = side.post(n, k, text)
                began = time.perf_counter()
                answer = await http.post(url, content=body, headers=headers)
                assert answer.status_code == 200, answer.text
                if k >= warm:
                    latencies.append(time.perf_counter() - began)

        limits = httpx.Limits(max_connections=args.chats, max_keepalive_connections=args.chats)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:
            await asyncio.gather(*(chat(n, http) for n in range(args.chats)))
        ended = time.perf_counter()
        cpu = sum(process.cpu_times()[:2]) - marks["cpu"]
        expected = args.chats * per_chat  # one answer (at least) per update
        while side.sent() < expected and time.perf_counter() - ended < 60:
            await asyncio.sleep(0.05)
        drained = time.perf_counter() - ended
        window = ended - marks["start"]
        ordered = sorted(latencies)
        return {"updates/s": len(latencies) / window,
                "p50 ms": ordered[len(ordered) // 2] * 1000,
                "p99 ms": ordered[int(len(ordered) * 0.99)] * 1000,
                "server CPU µs/update": cpu / len(latencies) * 1e6,
                "answers drained after s": drained,
                "answers sent": side.sent(), "expected": expected}
    except Exception:
        print((work / f"{database}-server.log").read_text(errors="replace")[-4000:],
              file=sys.stderr)
        raise
    finally:
        server.terminate()
        server.wait(30)
        fake_server.should_exit = fake_server.force_exit = True
        await fake_task


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channel", choices=["telegram", "viber"], default="telegram")
    parser.add_argument("--updates", type=int, default=4000)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--only", default="sqlite,pg")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1}) if hasattr(os, "sched_setaffinity") and \
        (os.cpu_count() or 1) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        for database in args.only.split(","):
            figures = asyncio.run(run(database, args, Path(tmp)))
            print(f"{args.channel} {database}: " + ", ".join(
                f"{k} {v:,.1f}" if isinstance(v, float) else f"{k} {v}"
                for k, v in figures.items()), flush=True)
    print("reproduce: .venv/bin/python bench/channel_webhooks.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
