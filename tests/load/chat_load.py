"""A load client for the chat API, run as its own process so that the server under test
keeps its event loop to itself: N people at once, each opening the widget's WebSocket (hello,
then turns), then continuing the same conversation over REST (a turn, the history), against
the echo bot behind KEY. Prints one JSON report.

    python tests/load/chat_load.py --base http://127.0.0.1:8000 --key rzc_... --sessions 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from typing import Any

import httpx
from websockets.asyncio.client import connect


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.turns: list[float] = []
        self.ok = 0

    def error(self, what: str) -> None:
        self.errors.append(what)


async def session(base: str, http: httpx.AsyncClient, key: str, turns: int, report: Report,
                  go: asyncio.Event) -> None:
    """One person: the widget's socket (hello, turns), then the same conversation over REST
    (one more turn, then the history)."""
    await go.wait()
    url = base.replace("http://", "ws://") + f"/ws/v1/chat?key={key}"
    step = "connect"
    try:
        async with connect(url, open_timeout=60, ping_interval=None) as ws:
            step = "hello"
            await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
            conversation_id = (await until(ws, "input"))[0]["conversation_id"]
            for n in range(turns):
                step = f"socket turn {n}"
                began = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "text": f"w{n}",
                                          "client_message_id": uuid.uuid4().hex}))
                frames = await until(ws, "input")
                said = [f["message"].get("text") for f in frames
                        if f["type"] == "message" and f["direction"] == "out"]
                if f"echo: w{n}" not in said:
                    report.error(f"{step}: answered {said!r}")
                    return
                report.turns.append(time.perf_counter() - began)
        headers = {"X-Chat-Key": key}
        messages = f"/api/v1/conversations/{conversation_id}/messages"
        step = "rest turn"
        began = time.perf_counter()
        answer = await http.post(messages, json={"text": "r", "client_message_id":
                                                 uuid.uuid4().hex}, headers=headers)
        if answer.status_code != 200 or answer.json()["messages"][0].get("text") != "echo: r":
            report.error(f"{step}: {answer.status_code} {answer.text[:200]}")
            return
        report.turns.append(time.perf_counter() - began)
        step = "rest history"
        history = await http.get(messages, headers=headers)
        # the first prompt, then per turn: what was said, its echo, the prompt again
        if history.status_code != 200 or len(history.json()["items"]) != 1 + 3 * (turns + 1):
            report.error(f"{step}: {history.status_code} {history.text[:200]}")
            return
        report.ok += 1
    except Exception as exc:  # every failure is counted, whatever it is
        report.error(f"{step}: {type(exc).__name__}: {exc}"[:300])


async def until(ws: Any, kind: str) -> list[dict[str, Any]]:
    got = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if frame["type"] == "error":
            raise RuntimeError(f"error frame {frame}")
        got.append(frame)
        if frame["type"] == kind:
            return got


async def main(base: str, key: str, sessions: int, turns: int) -> dict[str, Any]:
    report = Report()
    go = asyncio.Event()
    # No keep-alive: a pooled connection that the server closes for idleness just as it is
    # reused fails the request in httpx (a browser would retry it); each person's requests
    # get connections of their own.
    limits = httpx.Limits(max_connections=sessions, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        tasks = [asyncio.create_task(session(base, http, key, turns, report, go))
                 for _ in range(sessions)]
        await asyncio.sleep(0.1)
        began = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        seconds = time.perf_counter() - began
    turns_sorted = sorted(report.turns)
    return {
        "sessions": sessions, "ok": report.ok,
        "errors": len(report.errors), "first_errors": report.errors[:10],
        "seconds": round(seconds, 2), "turns": len(turns_sorted),
        "turn_p50_ms": round(statistics.median(turns_sorted) * 1000, 1) if turns_sorted else None,
        "turn_p99_ms": round(turns_sorted[int(len(turns_sorted) * 0.99) - 1] * 1000, 1)
        if turns_sorted else None,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--turns", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.base, args.key, args.sessions, args.turns))))
