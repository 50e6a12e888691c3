"""What an `llm` call reads and writes besides the model, kept off the database's hot path
without changing what anyone sees: the usage counted in memory and written once a second (one
row per organization, bot, provider and day, with the sums), yet listed and checked at once;
the providers (with their keys) and the quota kept a few seconds, yet changed at once by the
API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, select

from core.db import transaction, utcnow
from core.security import Role
from llm import providers as llm_providers
from llm.fake_server import Reply
from llm.models import LlmUsage
from llm.service import _MISSING
from llm.usage import UsageBook, book_for
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario
from tests.llm.test_llm_block import KEY, fake, provider, scenario, texts  # noqa: F401  (fixture)


@pytest.fixture
async def held(runtime) -> AsyncIterator[UsageBook]:  # type: ignore[no-untyped-def]
    """The process's book, written only when asked to (not by its timer) during the test."""
    book = book_for(runtime.sessionmaker)
    await book.close()
    interval, book.interval = book.interval, 3600.0
    yield book
    book.interval = interval
    await book.close()


async def stored(runtime, org_id: uuid.UUID) -> list[LlmUsage]:  # type: ignore[no-untyped-def]
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(select(LlmUsage).where(
            LlmUsage.org_id == org_id).order_by(LlmUsage.bot_id, LlmUsage.provider)))


async def model_bot(client, owner) -> dict[str, str]:  # type: ignore[no-untyped-def]
    document = scenario({"store_in": "answer", "cache": False})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    return await bot_with_scenario(client, owner, document)


async def last_error(client, owner, chat) -> str:  # type: ignore[no-untyped-def]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    return str(call.get("error"))


async def test_usage_not_written_yet_is_listed_and_checked_at_once(
        client, make_actor, runtime, fake, held) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    _, chat = await start(client, await model_bot(client, owner), language="en")
    assert texts(await chat.send(text="one two three"))[0] == "Echo: one two three"
    # Counted in memory only, so far...
    assert held.pending == 1 and await stored(runtime, owner.org_id) == []
    # ...yet the quota's figures have it, without a write,
    used = (await client.get("/api/v1/llm/quota", headers=owner.headers)).json()
    assert used["tokens_today"] > 0 and held.pending == 1
    # and the listing writes it first.
    usage = (await client.get("/api/v1/llm/usage", headers=owner.headers)).json()
    assert usage["calls"] == 1 and usage["prompt_tokens"] + usage["completion_tokens"] == \
        used["tokens_today"]
    assert held.pending == 0 and len(await stored(runtime, owner.org_id)) == 1

    # The quota check adds what is not written yet: over the day's tokens at once.
    assert texts(await chat.send(text="four"))[0] == "Echo: four"
    assert held.pending == 1
    used = (await client.get("/api/v1/llm/quota", headers=owner.headers)).json()
    put = await client.put("/api/v1/llm/quota", json={"tokens_per_day": used["tokens_today"]},
                           headers=owner.headers)
    assert put.status_code == 200 and put.json()["tokens_today"] == used["tokens_today"]
    calls = len(fake.requests)
    assert texts(await chat.send(text="five"))[0] == "The model failed."
    assert len(fake.requests) == calls
    assert "LLM tokens for today are used" in await last_error(client, owner, chat)
    usage = (await client.get("/api/v1/llm/usage", headers=owner.headers)).json()
    assert usage["calls"] == 2 and len(usage["items"]) == 1


async def test_a_write_is_one_row_per_key_with_the_sums(runtime, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    org, bot, other_bot = owner.org_id, uuid.uuid4(), uuid.uuid4()
    today = utcnow().date()
    book = UsageBook(runtime.sessionmaker, interval=3600)
    book.add(org, bot, "local", today, prompt_tokens=10, completion_tokens=5, cost=0.5)
    await book.flush()
    for _ in range(3):
        book.add(org, bot, "local", today, prompt_tokens=10, completion_tokens=5, cost=0.5)
    book.add(org, bot, "local", today, cached=1)
    book.add(org, other_bot, "local", today, prompt_tokens=1, completion_tokens=2, cost=0.25)
    book.add(org, other_bot, "local", today, prompt_tokens=1, completion_tokens=2, cost=0.25)
    assert book.pending == 2
    # What the quota reads: the table and what waits, the same before and after the write.
    async with runtime.sessionmaker() as session:
        before = await book.spent(session, org, today.replace(day=1), bot)
    assert before == {"today_tokens": 66, "month_cost": 2.5, "bot_today_tokens": 60}

    statements: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, statement, parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        if "llm_usage" in statement and statement.lstrip().upper().startswith("INSERT"):
            statements.append((statement, parameters))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", seen)
    try:
        await book.flush()
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", seen)
    assert len(statements) == 1  # both keys in one statement
    assert book.pending == 0
    rows = {r.bot_id: r for r in await stored(runtime, org)}
    assert len(rows) == 2
    mine, other = rows[bot], rows[other_bot]
    assert (mine.calls, mine.cached, mine.prompt_tokens, mine.completion_tokens) == (5, 1, 40, 20)
    assert mine.cost == pytest.approx(2.0)
    assert (other.calls, other.cached, other.prompt_tokens, other.completion_tokens) == \
        (2, 0, 2, 4)
    assert other.cost == pytest.approx(0.5)
    async with runtime.sessionmaker() as session:
        assert await book.spent(session, org, today.replace(day=1), bot) == before


class _DatabaseAway:
    """A sessionmaker whose database cannot be reached."""

    def __call__(self) -> _DatabaseAway:
        return self

    async def __aenter__(self) -> None:
        raise ConnectionError("the database is away")

    async def __aexit__(self, *_: object) -> None:
        return None


async def test_a_failed_write_keeps_its_counts_and_a_refused_row_holds_back_no_other(
        runtime, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    org, bot, today = owner.org_id, uuid.uuid4(), utcnow().date()
    book = UsageBook(_DatabaseAway(), interval=3600)  # type: ignore[arg-type]
    book.add(org, bot, "local", today, prompt_tokens=7, cost=0.1)
    await book.flush()
    assert book.pending == 1  # kept for the next write
    book.add(org, bot, "local", today, prompt_tokens=3, cost=0.1)
    gone = uuid.uuid4()  # an organization deleted meanwhile: the database refuses its row
    book.add(gone, bot, "local", today, prompt_tokens=100)
    book._sessionmaker = runtime.sessionmaker
    await book.flush()
    assert book.pending == 0
    [row] = await stored(runtime, org)
    assert (row.calls, row.prompt_tokens) == (2, 10) and row.cost == pytest.approx(0.2)
    assert await stored(runtime, gone) == []

    # Past its bound, the book drops new rows rather than grow without end.
    small = UsageBook(_DatabaseAway(), interval=3600, max_keys=2)  # type: ignore[arg-type]
    for n in range(4):
        small.add(org, uuid.uuid4(), "local", today, prompt_tokens=n)
    assert small.pending == 2
    await small.flush()
    assert small.pending == 2


async def test_a_provider_or_secret_change_is_used_by_the_next_call(
        app, client, make_actor, runtime, fake, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app.state.clients["llm"]._chains, "seconds", 60.0)  # however slow
    reads = []
    chain = llm_providers.chain

    async def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args[1])
        return await chain(*args, **kwargs)

    monkeypatch.setattr(llm_providers, "chain", counted)
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake, name="backup", model="fake-small")
    await provider(client, owner, fake, model="fake-small")
    _, chat = await start(client, await model_bot(client, owner), language="en")
    assert texts(await chat.send(text="one"))[0] == "Echo: one"
    assert texts(await chat.send(text="two"))[0] == "Echo: two"
    assert len(reads) == 1  # the second call used the kept chain
    # Another model: the very next call asks it.
    await provider(client, owner, fake, model="fake-large", fallbacks=["backup"])
    assert texts(await chat.send(text="three"))[0] == "Echo: three"
    assert fake.requests[-1].body["model"] == "fake-large" and len(reads) == 2
    fake.script("fake-large", [Reply(status=500)])
    assert texts(await chat.send(text="four"))[0] == "Echo: four"
    assert [r.body["model"] for r in fake.requests[-2:]] == ["fake-large", "fake-small"]

    # A wrong key, stored outside the API (any commit that changes the secret): refused at once.
    from gateway.secrets import service as secrets_service
    from core.crypto import Encryptor

    async with transaction(runtime.sessionmaker) as session:
        await secrets_service.put(session=session, org_id=owner.org_id, name="LLM_KEY",
                                  value="sk-wrong-key-0000000000", created_by=None,
                                  encryptor=Encryptor.from_settings(runtime.settings))
    assert texts(await chat.send(text="five"))[0] == "The model failed."
    assert "AuthenticationError" in await last_error(client, owner, chat)
    stored_again = await client.put("/api/v1/secrets/LLM_KEY", json={"value": KEY},
                                    headers=owner.headers)
    assert stored_again.status_code == 200
    assert texts(await chat.send(text="six"))[0] == "Echo: six"

    # The provider removed: the block's error port at once.
    await provider(client, owner, fake, model="fake-small")  # no longer falls back
    assert (await client.delete("/api/v1/llm/providers/backup",
                                headers=owner.headers)).status_code == 204
    assert (await client.delete("/api/v1/llm/providers/local",
                                headers=owner.headers)).status_code == 204
    assert texts(await chat.send(text="seven"))[0] == "The model failed."
    assert "no LLM provider 'local'" in await last_error(client, owner, chat)


async def test_a_quota_change_is_used_by_the_next_call(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    _, chat = await start(client, await model_bot(client, owner), language="en")
    assert texts(await chat.send(text="one"))[0] == "Echo: one"  # no quota: kept so
    assert (await client.put("/api/v1/llm/quota", json={"cost_per_month": 0},
                             headers=owner.headers)).status_code == 200
    assert texts(await chat.send(text="two"))[0] == "The model failed."
    assert "budget of $0.00 for this month is spent" in await last_error(client, owner, chat)
    assert (await client.put("/api/v1/llm/quota", json={}, headers=owner.headers)
            ).status_code == 200
    assert texts(await chat.send(text="three"))[0] == "Echo: three"
    assert (await client.put("/api/v1/llm/quota", json={"calls_per_minute": 1},
                             headers=owner.headers)).status_code == 200
    assert texts(await chat.send(text="four"))[0] == "Echo: four"
    assert texts(await chat.send(text="five"))[0] == "The model failed."
    assert "limit of 1 LLM calls a minute" in await last_error(client, owner, chat)


async def test_kept_settings_are_dropped_for_their_organization_only(app, runtime) -> None:  # type: ignore[no-untyped-def]
    """An invalidation from another instance (through the bus) drops the organization's
    kept chains and quota; others stay."""
    service = app.state.clients["llm"]
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    for org in (mine, theirs):
        service._chains.put((org, "local"), ())
        service._quotas.put((org,), None)
    await runtime.invalidation.invalidate(f"org-secrets:{mine}")
    assert service._chains.get((theirs, "local")) == ()
    assert service._quotas.get((theirs,)) is None
    assert service._chains.get((mine, "local")) is _MISSING
    assert service._quotas.get((mine,)) is _MISSING
    await runtime.invalidation.invalidate(f"llm-settings:{theirs}")
    assert service._chains.get((theirs, "local")) is _MISSING
