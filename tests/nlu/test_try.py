"""Trying a phrase against the intents being edited (POST /api/v1/bots/{id}/nlu/try): the
intent or fallback at the threshold, both looks' confidences, the entities, language and
sentiment; the model it trains is the one publishing the same intents uses; bad sections,
other organizations' bots and floods of new trainings get clear errors."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from core.security import Role
from scenarios.format.nlu import Intent, training_data
from tests.nlu.test_intent_block import INTENTS

SECTION: dict[str, Any] = {
    "intents": INTENTS,
    "entities": [{"name": "city", "kind": "list", "values": [
        {"value": "Kyiv", "synonyms": {"uk": ["Київ"], "en": ["Kyiv", "Kiev"]}},
        {"value": "Lviv", "synonyms": {"uk": ["Львів"], "en": ["Lviv"]}}]}],
}


async def new_bot(client, owner) -> str:  # type: ignore[no-untyped-def]
    answer = await client.post("/api/v1/bots", json={
        "name": f"try-{uuid.uuid4().hex[:6]}", "default_language": "uk",
        "languages": ["uk", "en"]}, headers=owner.headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def tried(client, owner, bot: str, text: str, **extra: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The answer, once the model is ready (the first call may find it training)."""
    for _ in range(100):
        answer = await client.post(f"/api/v1/bots/{bot}/nlu/try",
                                   json={"text": text, "nlu": SECTION, **extra},
                                   headers=owner.headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        if body["status"] == "ready":
            return body
        await asyncio.sleep(0.2)
    raise AssertionError("the model stayed in training")


async def test_a_phrase_gets_its_intent_entities_language_and_sentiment(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    body = await tried(client, owner, bot, "хочу змінити адресу доставки")
    assert body["intent"] == "change_address"
    assert body["confidence"] >= body["threshold"] == 0.5
    top = body["ranking"][0]
    assert top["intent"] == "change_address" and top["first"] == pytest.approx(
        top["confidence"], abs=1e-4)
    assert {r["intent"] for r in body["ranking"]} == {"change_address", "order_status", "cancel"}
    assert body["second_look"] == "not_needed" and top["second"] is None
    assert body["logs"] == [body["logs"][0]] and body["logs"][0].startswith(
        "first look: change_address ")
    other = await tried(client, owner, bot, "доставте 2 посилки в Київ, дуже дякую!")
    found = {(e["entity"], str(e["value"]), e["text"]) for e in other["entities"]}
    assert ("city", "Kyiv", "Київ") in found and ("number", "2", "2") in found, found
    assert other["language"]["code"] == "uk"
    assert other["sentiment"]["label"] == "positive"
    # The model is the one a published version with these intents uses (trained once).
    assert body["model"] == training_data(
        [Intent.model_validate(i) for i in INTENTS])["model"]


async def test_the_second_look_and_the_fallback_are_shown(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    for _ in range(200):  # the second look is trained behind the first
        body = await tried(client, owner, bot, "где мой заказ")
        if body["second_look"] != "not_ready":
            break
        await asyncio.sleep(0.1)
    assert body["second_look"] == "taken", body
    assert body["intent"] == "order_status"
    top = body["ranking"][0]
    assert top["second"] is not None and top["confidence"] == pytest.approx(
        max(top["first"] or 0.0, top["second"]), abs=1e-4)
    assert body["logs"][1].startswith("second look: order_status ")

    unrelated = await tried(client, owner, bot, "розкажи анекдот про пінгвінів")
    assert unrelated["intent"] is None
    assert unrelated["confidence"] < 0.5
    # A higher threshold sends even a known phrase to the fallback.
    strict = await tried(client, owner, bot, "скасуйте, будь ласка", threshold=1.0)
    assert strict["intent"] is None and strict["ranking"][0]["intent"] == "cancel"


@pytest.mark.parametrize(("body", "says"), [
    ({"text": "hi", "nlu": {"intents": [{"name": "Bad Name", "examples": {"en": ["hi"]}}]}},
     "intents/0/name"),
    ({"text": "hi", "nlu": {"intents": []}}, "no intents to try"),
    ({"text": "hi", "nlu": {"intents": "many"}}, "intents"),
    ({"text": "", "nlu": SECTION}, "text"),
    ({"text": "я" * 1001, "nlu": SECTION}, "text"),
    ({"text": "hi", "nlu": SECTION, "threshold": 2}, "threshold"),
])
async def test_bad_input_gets_a_clear_problem(client, make_actor, body, says) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json=body, headers=owner.headers)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert says in answer.text


async def test_only_the_bots_organizations_editors_may_try(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    request = {"text": "де моє замовлення", "nlu": SECTION}
    stranger = await make_actor(Role.owner)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json=request,
                               headers=stranger.headers)
    assert answer.status_code == 404 and "no bot" in answer.json()["detail"]
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json=request,
                               headers=viewer.headers)
    assert answer.status_code == 403
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json=request)
    assert answer.status_code == 401


async def test_new_sets_of_intents_are_limited_per_organization(client, make_actor,  # type: ignore[no-untyped-def]
                                                                monkeypatch) -> None:
    """Each new set of intents trains a model: an organization may start only so many a
    minute; phrases tried on a set already trained are not counted."""
    from nlu import router

    monkeypatch.setattr(router, "TRY_TRAININGS_PER_MINUTE", "2/minute")
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)

    def section(n: int) -> dict[str, Any]:
        return {"intents": [
            {"name": "a", "examples": {"en": [f"first {n}", f"one {n}"]}},
            {"name": "b", "examples": {"en": [f"second {n}", f"two {n}"]}}]}
    for n in range(2):
        for _ in range(2):  # the second call finds the model: not counted again
            answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json={
                "text": "first", "nlu": section(n)}, headers=owner.headers)
            assert answer.status_code == 200, answer.text
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/try", json={
        "text": "first", "nlu": section(2)}, headers=owner.headers)
    assert answer.status_code == 429, answer.text
    assert "new sets of intents" in answer.json()["detail"]
    assert int(answer.headers["retry-after"]) >= 1
    # Another organization is not held back by this one.
    other = await make_actor(Role.owner)
    other_bot = await new_bot(client, other)
    answer = await client.post(f"/api/v1/bots/{other_bot}/nlu/try", json={
        "text": "first", "nlu": section(3)}, headers=other.headers)
    assert answer.status_code == 200, answer.text


async def test_many_tries_of_a_new_set_at_once_over_a_socket(live_client, make_actor,  # type: ignore[no-untyped-def]
                                                               monkeypatch) -> None:
    """Sixty tries of one set of intents arrive together at a server on a socket, before its
    model exists: every one is answered (none holds a database connection while the model
    trains, so the pool of 20 is not exhausted), and the set counts once against the
    organization's new trainings (here one a minute)."""
    from nlu import router

    monkeypatch.setattr(router, "TRY_TRAININGS_PER_MINUTE", "1/minute")
    owner = await make_actor(Role.owner)
    bot = await new_bot(live_client, owner)
    fresh = [dict(INTENTS[0], name="change_address"), INTENTS[1],
             {"name": "thanks", "examples": {"uk": ["дякую", "спасибі"], "en": ["thanks"]}}]
    answers = await asyncio.gather(*(live_client.post(
        f"/api/v1/bots/{bot}/nlu/try", json={"text": "дякую", "nlu": {"intents": fresh}},
        headers=owner.headers) for _ in range(60)))
    assert [a.status_code for a in answers] == [200] * 60, \
        next(a.text for a in answers if a.status_code != 200)
    ready = [a.json() for a in answers if a.json()["status"] == "ready"]
    assert ready and all(body["intent"] == "thanks" for body in ready)
