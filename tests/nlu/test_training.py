"""Intent models trained on publish, stored, loaded instead of trained again, and swapped by a
new version while conversations run: through the REST API and a second service instance on
the same database."""

from __future__ import annotations

import asyncio
import copy
import uuid
from typing import Any

import pytest

import nlu.service as nlu_service
from core.security import Role
from nlu.blocks import intent_models
from nlu.classifier import IntentClassifier
from nlu.models import IntentModel
from nlu.service import NluService
from tests.integration.test_chat_api import start
from tests.nlu.test_intent_block import INTENTS, publish_bot, routing

REFUND = {"name": "refund", "examples": {
    "uk": ["поверніть гроші", "хочу повернення коштів", "поверніть мені оплату",
           "як отримати гроші назад"],
    "en": ["give me my money back", "I want a refund", "refund my payment",
           "how do I get my money back"]}}


async def wait_ready(client, owner, scenario_id: str, number: int) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    for _ in range(200):
        models = (await client.get(f"/api/v1/scenarios/{scenario_id}/versions/{number}/nlu",
                                   headers=owner.headers)).json()["models"]
        if models and all(m["status"] == "ready" for m in models):
            return models
        assert all(m["status"] in ("training", "ready") for m in models), models
        await asyncio.sleep(0.05)
    raise AssertionError(f"not trained: {models}")


async def test_publishing_trains_and_stores_the_model(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, scenario_id, _ = await publish_bot(client, owner, routing())
    [model] = await wait_ready(client, owner, scenario_id, 1)
    assert model["block_id"] == "route" and model["progress"] == 1.0
    assert model["examples"] == 30 and model["size"] > 1000 and model["seconds"] > 0
    assert model["warnings"] == []
    # The first look is stored first; the second look is added behind it and stored too.
    row = await stored_with_second_look(runtime, model["model"])
    [model] = await wait_ready(client, owner, scenario_id, 1)
    assert row.status == "ready" and len(row.blob) == model["size"]


async def stored_with_second_look(runtime, digest: str) -> IntentModel:  # type: ignore[no-untyped-def]
    for _ in range(300):
        async with runtime.sessionmaker() as session:
            row = await session.get(IntentModel, digest)
        if row is not None and row.blob and IntentClassifier.from_bytes(row.blob).has_second_look:
            return row
        await asyncio.sleep(0.05)
    raise AssertionError("the second look was not stored")


async def test_a_stored_model_without_a_second_look_gets_one(runtime) -> None:  # type: ignore[no-untyped-def]
    """A model stored by a server without the second look (an older one, or one with it off)
    is served as it is at once, and its second look is added and stored behind it."""
    examples = [{"text": phrase, "intent": intent["name"], "lang": lang}
                for intent in INTENTS for lang, phrases in intent["examples"].items()
                for phrase in phrases] + [{"text": "one more way to say it", "intent": "cancel",
                                           "lang": "en"}]
    older = NluService(sessionmaker=runtime.sessionmaker, second_look=False)
    digest = f"older-{uuid.uuid4().hex}"
    try:
        assert not (await older.model(digest, examples)).has_second_look
    finally:
        await older.close()
    newer = NluService(sessionmaker=runtime.sessionmaker)
    try:
        assert not (await newer.model(digest, examples)).has_second_look
        row = await stored_with_second_look(runtime, digest)
        assert row.size == len(row.blob)
        assert (await newer.model(digest, examples)).has_second_look
    finally:
        await newer.close()


async def test_a_stored_model_is_loaded_not_trained_again(client, make_actor, runtime,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, scenario_id, _ = await publish_bot(client, owner, routing())
    [model] = await wait_ready(client, owner, scenario_id, 1)
    # Another instance (or this one after a restart): the model comes from the database.
    def no_training(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("trained again")
    monkeypatch.setattr(nlu_service, "train", no_training)
    other = NluService(sessionmaker=runtime.sessionmaker)
    [(_, plan)] = intent_models(routing())
    assert plan["model"] == model["model"]
    classifier = await other.model(plan["model"], plan["examples"])
    assert classifier.predict("скасуйте замовлення").intent == "cancel"
    assert (await other.status(plan["model"])).status == "ready"
    await other.close()


async def test_a_failed_training_is_reported_and_the_block_takes_error(client, make_actor,
                                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("out of memory")
    monkeypatch.setattr(nlu_service, "train", broken)
    document = copy.deepcopy(routing())  # a model of its own (INTENTS stay as they are)
    document["blocks"][1]["settings"]["intents"][0]["examples"]["en"].append("one more way")
    _, scenario_id, headers = await publish_bot(client, owner, document)
    for _ in range(100):
        [model] = (await client.get(f"/api/v1/scenarios/{scenario_id}/versions/1/nlu",
                                    headers=owner.headers)).json()["models"]
        if model["status"] == "failed":
            break
        await asyncio.sleep(0.05)
    assert model["status"] == "failed" and "MemoryError: out of memory" in model["error"]
    _, chat = await start(client, headers, language="uk")
    reply = await chat.send(text="скасуйте замовлення")
    assert reply["messages"][0]["text"] == "Збій."
    # Mended: training on demand stores it, and the block routes again.
    monkeypatch.undo()
    again = await client.post(f"/api/v1/scenarios/{scenario_id}/versions/1/nlu/train",
                              headers=owner.headers)
    assert again.status_code == 202 and again.json()["models"][0]["status"] == "training"
    await wait_ready(client, owner, scenario_id, 1)
    reply = await chat.send(text="скасуйте замовлення")
    assert reply["messages"][0]["text"] == "Скасовую."


async def test_a_new_versions_model_swaps_in_while_conversations_run(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, scenario_id, headers = await publish_bot(client, owner, routing())
    await wait_ready(client, owner, scenario_id, 1)
    chats = [(await start(client, headers, language="uk"))[1] for _ in range(4)]

    v2 = routing([*copy.deepcopy(INTENTS), REFUND])
    saved = await client.put(f"/api/v1/scenarios/{scenario_id}/draft", json=v2,
                             headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text

    async def keep_talking(chat) -> list[str]:  # type: ignore[no-untyped-def]
        said = []
        for _ in range(5):
            reply = await chat.send(text="де моє замовлення")
            said.append(reply["messages"][0]["text"])
        return said

    # Conversations keep talking while v2 is published and its model trains.
    publish = client.post(f"/api/v1/scenarios/{scenario_id}/publish", json={},
                          headers=owner.headers)
    results = await asyncio.gather(publish, *(keep_talking(chat) for chat in chats))
    assert results[0].status_code == 201
    for said in results[1:]:
        assert said == ["Перевіряю замовлення."] * 5
    await wait_ready(client, owner, scenario_id, 2)
    # Old conversations stay on v1, which has no refund intent; new ones get v2's model.
    old = await chats[0].send(text="поверніть мені гроші")
    assert old["messages"][0]["text"].startswith("Не зрозумів")
    _, new = await start(client, headers, language="uk")
    fresh = await new.send(text="поверніть мені гроші")
    assert fresh["messages"][0]["text"] == "refund"


async def test_the_models_of_a_version_are_scoped_and_checked(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stranger = await make_actor(Role.owner)
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    _, scenario_id, _ = await publish_bot(client, owner, routing())
    url = f"/api/v1/scenarios/{scenario_id}/versions/1/nlu"
    hidden = await client.get(url, headers=stranger.headers)
    assert hidden.status_code == 404 and "no version 1" in hidden.json()["detail"]
    assert (await client.post(f"{url}/train", headers=stranger.headers)).status_code == 404
    assert (await client.get(url)).status_code == 401
    missing = await client.get(f"/api/v1/scenarios/{scenario_id}/versions/7/nlu",
                               headers=owner.headers)
    assert missing.status_code == 404
    assert (await client.get(url, headers=viewer.headers)).status_code == 200
    assert (await client.post(f"{url}/train", headers=viewer.headers)).status_code == 403


@pytest.mark.parametrize("bad", [
    {"intents": [{"name": "x", "examples": {"uk": ["так"]}}], "entities": [
        {"name": "order_id", "kind": "regex", "pattern": "(a"}]},
    {"entities": [{"name": "number", "kind": "list", "values": [{"value": "one"}]}]},
])
async def test_bad_nlu_sections_are_refused_with_a_reason(client, make_actor, bad) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "nlu-bad"},
                             headers=owner.headers)).json()
    document = routing()
    document["nlu"] = bad
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": document},
                                headers=owner.headers)
    assert created.status_code == 422, created.text
    detail = created.text
    assert ("order_id" in detail and "missing )" in detail) or "built-in entity" in detail, detail


async def test_the_cli_trains_a_version_with_its_progress(client, make_actor, settings) -> None:  # type: ignore[no-untyped-def]
    """`rozmova nlu train` in its own process, on the server's database: it trains again
    (`--force`) and stores what the server then serves."""
    import os
    import sys

    owner = await make_actor(Role.owner)
    _, scenario_id, headers = await publish_bot(client, owner, routing())
    await wait_ready(client, owner, scenario_id, 1)
    env = {**os.environ, "ROZMOVA_DATABASE_URL": settings.resolved_database_url,
           "ROZMOVA_DATA_DIR": str(settings.data_dir), "ROZMOVA_ENV": "test",
           "ROZMOVA_SECRET_KEY": settings.secret_key.get_secret_value()
           if hasattr(settings.secret_key, "get_secret_value") else str(settings.secret_key)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway.cli", "nlu", "train", scenario_id, "--force",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    assert "\nroute: ready, 30 examples" in "\n" + out.decode(), out.decode()
    [model] = await wait_ready(client, owner, scenario_id, 1)
    assert model["seconds"] > 0 and model["progress"] == 1.0
    missing = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway.cli", "nlu", "train", str(uuid.uuid4()), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(missing.communicate(), 60)
    assert missing.returncode == 2 and "has no published version" in err.decode()


async def test_rasa_data_converts_through_the_api(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    files = [{"name": "data/nlu.yml", "content": """
version: "3.1"
nlu:
- intent: check_balance
  examples: |
    - how much money is on my [credit card](account_type)
    - what's my [savings]{"entity": "account_type", "value": "savings"} balance
- intent: ask-weather
  examples: |
    - what is the weather like
    - will it rain today
- synonym: credit
  examples: |
    - credit card
- regex: order_id
  examples: |
    - [A-Z]{2}\\\\d{6}
"""}]
    converted = await client.post("/api/v1/nlu/import/rasa",
                                  json={"files": files, "language": "en"},
                                  headers=owner.headers)
    assert converted.status_code == 200, converted.text
    body = converted.json()
    assert sorted(i["name"] for i in body["data"]["intents"]) == ["ask_weather", "check_balance"]
    assert body["renamed"] == {"ask-weather": "ask_weather"}
    assert body["summary"]["intents"] == 2 and body["summary"]["examples"] == 4
    kinds = {e["name"]: e["kind"] for e in body["data"]["entities"]}
    assert kinds == {"account_type": "list", "order_id": "regex"}
    # What it gives is a valid nlu section: a draft takes it as it is.
    document = routing()
    document["nlu"] = body["data"]
    _, scenario_id, _ = await publish_bot(client, owner, document)

    bomb = await client.post("/api/v1/nlu/import/rasa", json={"files": [
        {"name": "b.yml", "content": "a: &a [1, 2]\nnlu: [*a, *a]\n"}], "language": "en"},
        headers=owner.headers)
    assert bomb.status_code == 422 and "aliases" in bomb.json()["detail"]
    nothing = await client.post("/api/v1/nlu/import/rasa", json={"files": [
        {"name": "domain.yml", "content": "intents: [greet]\n"}], "language": "en"},
        headers=owner.headers)
    assert nothing.status_code == 422 and "no Rasa NLU data" in nothing.json()["detail"]
    broken = await client.post("/api/v1/nlu/import/rasa", json={"files": [
        {"name": "nlu.yml", "content": "nlu: [\n"}], "language": "en"}, headers=owner.headers)
    assert broken.status_code == 422 and "nlu.yml: not valid YAML" in broken.json()["detail"]
    assert (await client.post("/api/v1/nlu/import/rasa", json={"files": files, "language": "en"},
                              headers=viewer.headers)).status_code == 403
    assert (await client.post("/api/v1/nlu/import/rasa",
                              json={"files": files, "language": "en"})).status_code == 401
