"""Removing stored intent models nothing uses (nlu/pruning.py, `rozmova nlu prune`): a model a
published version trains is kept however old; a tried or superseded one is removed once it
has not changed for the given time; a dry run removes nothing."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

from sqlalchemy import select, update

from core.db import utcnow
from core.security import Role
from nlu.models import IntentModel
from nlu.pruning import prune_models
from scenarios.format.nlu import Intent, training_data
from tests.nlu.test_intent_block import INTENTS, publish_bot, routing
from tests.nlu.test_try import new_bot, tried


def digest_of(intents: list[dict]) -> str:
    return training_data([Intent.model_validate(i) for i in intents])["model"]


async def stored(runtime, digest: str) -> bool:  # type: ignore[no-untyped-def]
    async with runtime.sessionmaker() as session:
        return await session.scalar(select(IntentModel.digest).where(
            IntentModel.digest == digest)) is not None


async def age(runtime, digests: list[str], days: float) -> None:  # type: ignore[no-untyped-def]
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(update(IntentModel).where(IntentModel.digest.in_(digests))
                              .values(updated_at=utcnow() - timedelta(days=days)))


async def models_ready(client, owner, scenario_id: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        models = (await client.get(f"/api/v1/scenarios/{scenario_id}/versions/1/nlu",
                                   headers=owner.headers)).json()["models"]
        if models and all(m["status"] == "ready" and m["phase"] == "done" for m in models):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the published model was not stored: {models}")


async def test_only_models_no_published_version_uses_are_removed_once_old(  # type: ignore[no-untyped-def]
        client, make_actor, runtime, settings) -> None:
    owner = await make_actor(Role.owner)
    _, scenario_id, _ = await publish_bot(client, owner, routing())
    await models_ready(client, owner, scenario_id)
    published = digest_of(INTENTS)
    # An author tried a phrase on a different set (a phrase more), and on one more.
    edited = [dict(INTENTS[0], examples={**INTENTS[0]["examples"],
                                         "uk": [*INTENTS[0]["examples"]["uk"], "інша адреса"]}),
              *INTENTS[1:]]
    recent = [INTENTS[0], INTENTS[1]]
    bot = await new_bot(client, owner)
    for intents in (edited, recent):
        answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json={
            "text": "де моє замовлення", "nlu": {"intents": intents}}, headers=owner.headers)
        assert answer.status_code == 200, answer.text
    await tried(client, owner, bot, "де моє замовлення")  # (the published set: same model)
    tried_old, tried_recent = digest_of(edited), digest_of(recent)
    for _ in range(200):  # stored once the try's training (and its second look) is done
        if await stored(runtime, tried_old) and await stored(runtime, tried_recent):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # let the second looks land before the rows are aged
    await age(runtime, [published, tried_old], days=30)

    dry = await prune_models(runtime.sessionmaker, older_than=timedelta(days=14), dry_run=True)
    assert dry.removed >= 1 and await stored(runtime, tried_old)
    report = await prune_models(runtime.sessionmaker, older_than=timedelta(days=14))
    assert report.removed == dry.removed and report.bytes_removed > 0
    assert report.in_use >= 1
    assert not await stored(runtime, tried_old)       # unused and old: removed
    assert await stored(runtime, tried_recent)        # unused but recent: kept
    assert await stored(runtime, published)           # used by version 1: kept, however old
    # The removed set is trained again when it is tried again.
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json={
        "text": "де моє замовлення", "nlu": {"intents": edited}}, headers=owner.headers)
    assert answer.status_code == 200 and answer.json()["model"] == tried_old


async def test_the_command_reports_what_it_would_remove(runtime, settings) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "ROZMOVA_DATABASE_URL": settings.resolved_database_url,
           "ROZMOVA_DATA_DIR": str(settings.data_dir), "ROZMOVA_ENV": "test",
           "ROZMOVA_SECRET_KEY": settings.secret_key.get_secret_value()}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway.cli", "nlu", "prune", "--dry-run",
        "--older-than-days", "3650", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    assert out.decode().startswith("would remove 0 model(s), 0.0 MB; kept "), out.decode()


async def test_a_server_prunes_in_the_background(runtime) -> None:  # type: ignore[no-untyped-def]
    """settings.nlu_prune_unused_days: the server's pruning removes an old unused model on
    its own, and goes on after a round that failed."""
    from nlu.contract import pruning

    digest = "f" * 64
    async with runtime.sessionmaker() as session, session.begin():
        session.add(IntentModel(digest=digest, status="ready", warnings=[], blob=b"x" * 100,
                                size=100, updated_at=utcnow() - timedelta(days=30)))
    async with pruning(runtime.sessionmaker, unused_days=14, every_seconds=0.05,
                       first_after=0.0):
        for _ in range(100):
            if not await stored(runtime, digest):
                break
            await asyncio.sleep(0.05)
    assert not await stored(runtime, digest)


async def test_a_failed_round_does_not_end_the_pruning(runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nlu import pruning as module

    calls = 0
    real = module.prune_models

    async def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database went away for a moment")
        return await real(*args, **kwargs)

    monkeypatch.setattr(module, "prune_models", flaky)
    async with module.pruning(runtime.sessionmaker, unused_days=14, every_seconds=0.02,
                              first_after=0.0):
        for _ in range(100):
            if calls >= 3:
                break
            await asyncio.sleep(0.02)
    assert calls >= 3
