"""Crash safety of the turn path: `rozmova serve` in a process of its own, 40 conversations
sending as fast as they are answered, then kill -9 in the middle of it (with group commit on
PostgreSQL, in the middle of batches). Every message that was acknowledged (answered 200) must
be stored exactly once, with its answer; nothing may be stored twice; each conversation's
history stays gapless. Runs on whichever database the suite runs on (on SQLite, in the middle
of the turn thread's group transactions)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from core.security import Role
from tests.conftest import free_port
from tests.integration.test_chat_api import bot_with, echo_document

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 40


def server_env(settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "ROZMOVA_ENV": "test", "ROZMOVA_DATA_DIR": str(settings.data_dir),
           "ROZMOVA_SECRET_KEY": settings.secret_key.get_secret_value()
           if hasattr(settings.secret_key, "get_secret_value") else str(settings.secret_key),
           "ROZMOVA_DATABASE_URL": settings.resolved_database_url,
           "ROZMOVA_REDIS_PREFIX": settings.redis_prefix, "ROZMOVA_DEMO_BOT": "false",
           "ROZMOVA_LOG_JSON": "true", "ROZMOVA_LOG_LEVEL": "WARNING",
           # Beside the suite's own workers, within PostgreSQL's default 100 connections.
           "ROZMOVA_DATABASE_POOL_SIZE": "4"}
    if settings.redis_url:
        env["ROZMOVA_REDIS_URL"] = settings.redis_url
    return env


@pytest.mark.slow
async def test_kill_9_under_load_loses_no_acknowledged_message_and_stores_none_twice(
        settings, runtime, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    from chat.conversations.models import ConversationMessage, Turn

    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway.cli", "serve", "--port", str(port), cwd=ROOT,
        env=server_env(settings), stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[tuple[str, str, str]] = []  # conversation, client_message_id, echo
    sent = 0
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            for _ in range(200):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                pytest.fail("the server did not start")

            async def session(n: int) -> None:
                nonlocal sent
                started = await http.post("/api/v1/conversations", headers=headers,
                                          json={"language": "en"})
                assert started.status_code == 201, started.text
                conversation = started.json()["conversation_id"]
                for turn in range(10_000):
                    cmid = f"s{n}-t{turn}"
                    sent += 1
                    try:
                        answer = await http.post(
                            f"/api/v1/conversations/{conversation}/messages", headers=headers,
                            json={"text": f"m{n}.{turn}", "client_message_id": cmid})
                    except httpx.TransportError:
                        return  # the server is gone: this message was not acknowledged
                    if answer.status_code != 200:
                        return
                    texts = [m["text"] for m in answer.json()["messages"] if m.get("text")]
                    assert texts[0] == f"echo: m{n}.{turn}", texts
                    acknowledged.append((conversation, cmid, texts[0]))

            tasks = [asyncio.create_task(session(n)) for n in range(SESSIONS)]
            # Under load, then killed: after 2.5 s, or later on a busy machine, once enough
            # messages were acknowledged for the check to mean something (20 s at most).
            await asyncio.sleep(2.5)
            for _ in range(175):
                if len(acknowledged) > 150:
                    break
                await asyncio.sleep(0.1)
            server.send_signal(signal.SIGKILL)
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 60)
    finally:
        if server.returncode is None:
            server.kill()
        await server.wait()
    assert len(acknowledged) > 100, "too little load to mean anything"
    async with runtime.sessionmaker() as session:
        turns = {(str(c), m): n for c, m, n in await session.execute(
            select(Turn.conversation_id, Turn.client_message_id, func.count())
            .where(Turn.client_message_id.is_not(None))
            .group_by(Turn.conversation_id, Turn.client_message_id))}
        rows = list(await session.execute(
            select(ConversationMessage.conversation_id, ConversationMessage.seq,
                   ConversationMessage.direction, ConversationMessage.body)
            .order_by(ConversationMessage.conversation_id, ConversationMessage.seq)))
    missing = [a for a in acknowledged if turns.get((a[0], a[1])) != 1]
    assert not missing, f"{len(missing)} acknowledged messages not stored once: {missing[:5]}"
    assert all(n == 1 for n in turns.values()), "a message was stored twice"
    by_conversation: dict[uuid.UUID, list[tuple[int, str, dict]]] = {}
    for conversation, seq, direction, body in rows:
        by_conversation.setdefault(conversation, []).append((seq, direction, body))
    for items in by_conversation.values():
        assert [seq for seq, _, _ in items] == list(range(1, len(items) + 1)), "a gap"
    stored_echoes = {body.get("text") for items in by_conversation.values()
                     for _, direction, body in items if direction == "out"}
    assert {echo for _, _, echo in acknowledged} <= stored_echoes
    print(f"\ncrash: {len(acknowledged)} acknowledged of {sent} sent, all stored once")
