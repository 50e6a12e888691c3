"""Two `rozmova serve` processes on one database and one Redis, each conversation's messages
sent to either at random, sometimes to both at once, sometimes resent to the other: what one
instance remembers of a conversation (chat.conversations.warm) must never make an answer
differ from what a single instance would give. The scenario counts the messages of each
conversation, so a turn run on a stale memory shows as a repeated or skipped count."""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from core.security import Role
from tests.conftest import free_port
from tests.integration.test_service_blocks import bot_with_scenario
from tests.integration.test_warm_conversations import COUNTER
from tests.load.test_crash_safety import server_env

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 16
MESSAGES = 24


async def start_server(settings) -> tuple[asyncio.subprocess.Process, str]:  # type: ignore[no-untyped-def]
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway.cli", "serve", "--port", str(port), cwd=ROOT,
        env=server_env(settings), stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=5) as http:
        for _ in range(200):
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return process, base
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    pytest.fail("a server did not start")


@pytest.mark.slow
async def test_two_instances_answer_as_one(settings, runtime, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    if not settings.redis_url:
        pytest.skip("two instances share their locks through Redis (ROZMOVA_TEST_REDIS_URL)")
    from chat.conversations.models import ConversationMessage, Turn

    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    servers = [await start_server(settings) for _ in range(2)]
    rng = random.Random(7)
    counts: dict[str, list[int]] = {}
    replays = 0
    try:
        clients = [httpx.AsyncClient(base_url=base, timeout=20, headers=headers)
                   for _, base in servers]

        async def send(http: httpx.AsyncClient, conversation: str, cmid: str,
                       word: str) -> dict:
            answer = await http.post(f"/api/v1/conversations/{conversation}/messages",
                                     json={"text": word, "client_message_id": cmid})
            assert answer.status_code == 200, answer.text
            return answer.json()

        async def session(n: int) -> None:
            nonlocal replays
            started = await clients[n % 2].post("/api/v1/conversations",
                                                json={"language": "en"})
            assert started.status_code == 201, started.text
            conversation = started.json()["conversation_id"]
            seen = counts.setdefault(conversation, [])
            answers: dict[str, dict] = {}
            sent = 0
            while sent < MESSAGES:
                roll = rng.random()
                if roll < 0.2 and sent + 2 <= MESSAGES:
                    # Two messages at once, one to each instance: the lock orders them.
                    ids = [f"s{n}-m{sent}", f"s{n}-m{sent + 1}"]
                    both = await asyncio.gather(*(
                        send(clients[k], conversation, ids[k], f"w{sent + k}")
                        for k in (0, 1)))
                    answers.update(zip(ids, both, strict=True))
                    sent += 2
                elif roll < 0.3 and answers:
                    # A resend, to either instance: the stored answer, nothing run.
                    cmid = rng.choice(sorted(answers))
                    again = await send(clients[rng.randrange(2)], conversation, cmid, "x")
                    assert again["duplicate"] is True
                    assert again["messages"] == answers[cmid]["messages"]
                    replays += 1
                else:
                    cmid = f"s{n}-m{sent}"
                    answers[cmid] = await send(clients[rng.randrange(2)], conversation, cmid,
                                               f"w{sent}")
                    sent += 1
            for answer in answers.values():
                text = answer["messages"][0]["text"]
                seen.append(int(text.rsplit("#", 1)[1]))

        await asyncio.gather(*(session(n) for n in range(SESSIONS)))
        reads: dict[str, float] = {}
        for http in clients:
            for line in (await http.get("/metrics")).text.splitlines():
                if line.startswith("rozmova_conversation_reads_total{"):
                    source = line.split('source="', 1)[1].split('"', 1)[0]
                    reads[source] = reads.get(source, 0) + float(line.rsplit(" ", 1)[1])
            await http.aclose()
    finally:
        for process, _ in servers:
            if process.returncode is None:
                process.kill()
            await process.wait()

    assert replays > 10
    # Memory served some turns, and the stamps kept every stale one from being used.
    assert reads.get("memory", 0) > 0 and reads.get("stale", 0) == 0, reads
    for conversation, seen in counts.items():
        # Every message counted once, in some order: no turn ran on a stale count.
        assert sorted(seen) == list(range(1, MESSAGES + 1)), (conversation, sorted(seen))
    async with runtime.sessionmaker() as db:
        stored = dict(list(await db.execute(
            select(Turn.client_message_id, func.count()).where(
                Turn.client_message_id.is_not(None)).group_by(Turn.client_message_id))))
        rows = list(await db.execute(
            select(ConversationMessage.conversation_id, ConversationMessage.seq)
            .order_by(ConversationMessage.conversation_id, ConversationMessage.seq)))
    assert len(stored) == SESSIONS * MESSAGES and set(stored.values()) == {1}
    by_conversation: dict[object, list[int]] = {}
    for conversation, seq in rows:
        by_conversation.setdefault(conversation, []).append(seq)
    for seqs in by_conversation.values():
        assert seqs == list(range(1, len(seqs) + 1)), "a gap or a repeat in a history"
