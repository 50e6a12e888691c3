"""An acknowledged write is stored, and what it changed is seen at once, against a real server
(uvicorn on a socket): create-then-use sequences, database connections killed during writes,
and cached facts (bot settings, main scenario, chat keys, unknown keys) dropped on every
instance by the change that made them stale."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import httpx
import pytest

from core.security import Role

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "support-bot.json")
                     .read_text(encoding="utf-8"))
PG = bool(os.environ.get("ROZMOVA_TEST_DATABASE_URL"))


async def _chain(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> list[str]:
    """Create a bot, its scenario, publish it, take its chat key and start a conversation,
    each step using what the previous answer acknowledged. Returns the failures."""
    failures: list[str] = []
    bot = await client.post("/api/v1/bots", json={"name": f"bot {n} {uuid.uuid4().hex[:6]}"},
                            headers=headers)
    if bot.status_code != 201:
        return [f"bot: {bot.status_code} {bot.text}"]
    bot_id = bot.json()["id"]
    scenario = await client.post(f"/api/v1/bots/{bot_id}/scenarios",
                                 json={"name": "main", "document": EXAMPLE}, headers=headers)
    if scenario.status_code != 201:
        return [f"scenario of a new bot: {scenario.status_code} {scenario.text}"]
    scenario_id = scenario.json()["id"]
    published = await client.post(f"/api/v1/scenarios/{scenario_id}/publish",
                                  json={"changelog": "v1"}, headers=headers)
    if published.status_code != 201:
        failures.append(f"publish a new scenario: {published.status_code} {published.text}")
    key = await client.get(f"/api/v1/bots/{bot_id}/chat-key", headers=headers)
    if key.status_code != 200:
        return [*failures, f"chat key of a new bot: {key.status_code} {key.text}"]
    started = await client.post("/api/v1/conversations", json={"language": "en"},
                                headers={"X-Chat-Key": key.json()["key"]})
    if started.status_code != 201:
        failures.append(f"conversation with a new key: {started.status_code} {started.text}")
    return failures


async def test_create_then_use_500_times_over_a_socket(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Each chain is four create-then-use pairs (bot → scenario, scenario → publish,
    bot → chat key, key → conversation); 125 chains, 8 at a time: 500 pairs, none may fail."""
    owner = await make_actor(Role.owner)
    semaphore = asyncio.Semaphore(8)

    async def one(n: int) -> list[str]:
        async with semaphore:
            return await _chain(live_client, owner.headers, n)

    results = await asyncio.gather(*(one(n) for n in range(125)))
    failures = [f for chain in results for f in chain]
    assert failures == [], f"{len(failures)} of 500 create-then-use pairs failed: {failures[:5]}"


@pytest.mark.skipif(not PG, reason="terminating connections needs PostgreSQL "
                    "(ROZMOVA_TEST_DATABASE_URL)")
async def test_every_acknowledged_bot_exists_when_connections_are_killed(  # type: ignore[no-untyped-def]
        live_client, make_actor, settings, runtime) -> None:
    """Connections of the server's database are terminated every 50 ms while bots are
    created. Each answer is 201 (and the bot is stored) or 503 with Retry-After: never a
    201 for a bot that was not stored, never a 500."""
    import asyncpg
    from sqlalchemy import select

    from scenarios.bot.models import Bot

    owner = await make_actor(Role.owner)
    database = runtime.engine.url.database
    admin = await asyncpg.connect(
        runtime.engine.url.set(drivername="postgresql", database="postgres")
        .render_as_string(hide_password=False), timeout=10)
    stop = asyncio.Event()
    killed = 0

    async def killer() -> None:
        nonlocal killed
        while not stop.is_set():
            killed += len(await admin.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()", database))
            await asyncio.sleep(0.05)

    acknowledged: list[str] = []
    statuses: dict[int, int] = {}
    semaphore = asyncio.Semaphore(4)

    async def create(n: int) -> None:
        async with semaphore:
            response = await live_client.post(
                "/api/v1/bots", json={"name": f"fault {n}"}, headers=owner.headers)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 201:
            acknowledged.append(response.json()["id"])
        else:
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert "retry-after" in response.headers

    kill_task = asyncio.create_task(killer())
    try:
        await asyncio.gather(*(create(n) for n in range(200)))
    finally:
        stop.set()
        await kill_task
        await admin.close()
    assert killed > 0
    assert acknowledged, statuses
    # Read back on fresh connections: every acknowledged bot is stored. (Every pool drops
    # its killed connections, so that the tests after this one start clean.)
    await runtime.engine.dispose()
    if runtime.reader_engine is not None:
        await runtime.reader_engine.dispose()
    if runtime._driver_pool is not None:
        runtime._driver_pool.terminate()
        runtime._driver_pool = None
    async with runtime.sessionmaker() as session:
        stored = set(map(str, await session.scalars(
            select(Bot.id).where(Bot.org_id == owner.org_id))))
    missing = [b for b in acknowledged if b not in stored]
    assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged bots were " \
                          f"not stored (statuses {statuses})"


# --- caches ---------------------------------------------------------------------------------

async def test_a_bot_read_just_before_its_first_publish_starts_at_once(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await live_client.post("/api/v1/bots", json={"name": "Fresh"},
                                  headers=owner.headers)).json()
    key = (await live_client.get(f"/api/v1/bots/{bot['id']}/chat-key",
                                 headers=owner.headers)).json()["key"]
    chat = {"X-Chat-Key": key}
    early = await live_client.post("/api/v1/conversations", json={}, headers=chat)
    assert early.status_code == 409 and "no scenario" in early.json()["detail"]
    scenario = (await live_client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                       json={"name": "main", "document": EXAMPLE},
                                       headers=owner.headers)).json()
    assert (await live_client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                   headers=owner.headers)).status_code == 201
    started = await live_client.post("/api/v1/conversations", json={"language": "en"},
                                     headers=chat)
    assert started.status_code == 201, started.text
    assert started.json()["messages"][0]["text"].startswith("Welcome to support")


async def test_bot_settings_changes_apply_to_the_next_conversation(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await live_client.post("/api/v1/bots", json={"name": "Langs"},
                                  headers=owner.headers)).json()
    scenario = (await live_client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                       json={"name": "main", "document": EXAMPLE},
                                       headers=owner.headers)).json()
    await live_client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                           headers=owner.headers)
    chat = {"X-Chat-Key": (await live_client.get(f"/api/v1/bots/{bot['id']}/chat-key",
                                                 headers=owner.headers)).json()["key"]}
    assert (await live_client.post("/api/v1/conversations", json={"language": "en"},
                                   headers=chat)).status_code == 201
    patched = await live_client.patch(f"/api/v1/bots/{bot['id']}", json={"languages": ["uk"]},
                                      headers=owner.headers)
    assert patched.status_code == 200, patched.text
    refused = await live_client.post("/api/v1/conversations", json={"language": "en"},
                                     headers=chat)
    assert refused.status_code == 422 and "'en'" in refused.json()["detail"]


async def test_chat_key_of_a_just_deleted_bot_is_404_not_500(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await live_client.post("/api/v1/bots", json={"name": "Doomed"},
                                  headers=owner.headers)).json()
    key = (await live_client.get(f"/api/v1/bots/{bot['id']}/chat-key",
                                 headers=owner.headers)).json()["key"]
    assert (await live_client.post("/api/v1/conversations", json={},
                                   headers={"X-Chat-Key": key})).status_code == 409
    assert (await live_client.delete(f"/api/v1/bots/{bot['id']}",
                                     headers=owner.headers)).status_code == 204
    for method, path in [("GET", ""), ("POST", "/rotate")]:
        response = await live_client.request(method, f"/api/v1/bots/{bot['id']}/chat-key{path}",
                                             headers=owner.headers)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"
    gone = await live_client.post("/api/v1/conversations", json={},
                                  headers={"X-Chat-Key": key})
    assert gone.status_code in (401, 404), gone.text


async def test_rotation_and_a_key_first_seen_as_unknown(live_client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    """The old key stops at once; a key looked up while it did not exist (and so cached as
    unknown) works as soon as it is created."""
    from chat.contract import ensure_chat_key
    from core.db import transaction
    from scenarios.contract import seed_demo_bot

    owner = await make_actor(Role.owner)
    chosen = f"rzc_chosen_{uuid.uuid4().hex[:10]}"
    unknown = await live_client.post("/api/v1/conversations", json={},
                                     headers={"X-Chat-Key": chosen})
    assert unknown.status_code == 401
    async with transaction(runtime.sessionmaker) as session:
        bot_id, _ = await seed_demo_bot(session=session, org_id=owner.org_id,
                                        author_id=owner.user_id)
        await ensure_chat_key(session=session, bot_id=bot_id,
                              org_id=owner.org_id, key=chosen)
    assert (await live_client.post("/api/v1/conversations", json={},
                                   headers={"X-Chat-Key": chosen})).status_code == 201
    rotated = await live_client.post(f"/api/v1/bots/{bot_id}/chat-key/rotate",
                                     headers=owner.headers)
    assert rotated.status_code == 200
    new_key = rotated.json()["key"]
    assert (await live_client.post("/api/v1/conversations", json={},
                                   headers={"X-Chat-Key": chosen})).status_code == 401
    assert (await live_client.post("/api/v1/conversations", json={},
                                   headers={"X-Chat-Key": new_key})).status_code == 201


@pytest.mark.skipif(not os.environ.get("ROZMOVA_TEST_REDIS_URL"),
                    reason="two instances share changes through Redis (ROZMOVA_TEST_REDIS_URL)")
async def test_a_change_on_one_instance_reaches_the_cache_of_another(  # type: ignore[no-untyped-def]
        settings, runtime, make_actor) -> None:
    """Instance A caches a bot and a chat key; instance B (its own runtime: pools, Redis
    connections, memos) changes both. A sees the changes without waiting for any lifetime."""
    from core.runtime import Runtime
    from tests.conftest import serve

    owner = await make_actor(Role.owner)
    other = Runtime.from_settings(settings)
    a_server, a_task, a_port = await serve(settings, runtime)
    b_server, b_task, b_port = await serve(settings, other)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{a_port}", timeout=30) as a, \
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{b_port}", timeout=30) as b:
            bot = (await a.post("/api/v1/bots", json={"name": "Shared"},
                                headers=owner.headers)).json()
            key = (await a.get(f"/api/v1/bots/{bot['id']}/chat-key",
                               headers=owner.headers)).json()["key"]
            assert (await a.post("/api/v1/conversations", json={},
                                 headers={"X-Chat-Key": key})).status_code == 409  # cached
            scenario = (await b.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                     json={"name": "main", "document": EXAMPLE},
                                     headers=owner.headers)).json()
            assert (await b.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                 headers=owner.headers)).status_code == 201
            new_key = (await b.post(f"/api/v1/bots/{bot['id']}/chat-key/rotate",
                                    headers=owner.headers)).json()["key"]
            # Pub/sub delivery to A takes a moment; far less than any cache lifetime.
            for _ in range(50):
                old = await a.post("/api/v1/conversations", json={},
                                   headers={"X-Chat-Key": key})
                if old.status_code == 401:
                    break
                await asyncio.sleep(0.02)
            assert old.status_code == 401, old.text
            started = await a.post("/api/v1/conversations", json={"language": "en"},
                                   headers={"X-Chat-Key": new_key})
            assert started.status_code == 201, started.text
    finally:
        for server in (a_server, b_server):
            server.should_exit = True
        await asyncio.wait_for(asyncio.gather(a_task, b_task), 30)
        await other.close()
