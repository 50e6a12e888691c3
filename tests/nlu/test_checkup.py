"""The intents' check-up (nlu/checkup.py, POST /api/v1/bots/{id}/nlu/check): every phrase is
judged by a model that has not seen it; confusable intents and the phrases that go wrong are
reported, the least recognised intent first; bad sections get clear problems."""

from __future__ import annotations

from typing import Any

import pytest

from core.security import Role
from nlu.checkup import MAX_EXAMPLES, check_intents
from tests.nlu.test_intent_block import INTENTS
from tests.nlu.test_try import new_bot

# Two intents said in the same words (an author's mistake), and one apart.
CONFUSED = [
    {"name": "refund", "examples": {"en": [
        "I want my money back", "give me a refund", "refund my order", "money back please",
        "can I get my money back"]}},
    {"name": "return_item", "examples": {"en": [
        "I want my money back for this item", "give me a refund for the item",
        "refund this item", "money back for the item please", "can I get money back on it"]}},
    {"name": "greeting", "examples": {"en": [
        "hello", "hi there", "good morning", "hey", "good evening"]}},
]


def rows(intents: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"text": text, "intent": i["name"], "lang": lang}
            for i in intents for lang, texts in i["examples"].items() for text in texts]


def test_distinct_intents_are_recognised_and_confused_ones_named() -> None:
    report = check_intents(rows(CONFUSED), threshold=0.0)
    assert report.examples == report.checked == 15 and report.folds == 5
    by_name = {c.intent: c for c in report.intents}
    assert by_name["greeting"].recognised == 1.0
    confused = [by_name["refund"], by_name["return_item"]]
    assert min(c.recognised for c in confused) < 1.0
    # The worst intent is listed first, with what its phrases were taken for.
    worst = report.intents[0]
    assert worst.intent in ("refund", "return_item") and worst.taken_for
    assert {name for name, _ in worst.taken_for} <= {"refund", "return_item"}
    assert report.misses and all(m["intent"] != m["predicted"] for m in report.misses)
    assert report.accuracy == pytest.approx(
        sum((c.recognised or 0) * c.examples for c in report.intents) / 15)


def test_a_threshold_counts_unsure_phrases_as_fallback_and_single_phrases_are_not_held() -> None:
    intents = CONFUSED + [{"name": "lonely", "examples": {"en": ["only phrase"]}}]
    report = check_intents(rows(intents), threshold=0.99)
    lonely = next(c for c in report.intents if c.intent == "lonely")
    assert lonely.recognised is None and lonely.taken_for == []
    assert report.checked == 15
    assert any(name == "fallback" for c in report.intents for name, _ in c.taken_for)
    assert report.intents[-1].intent == "lonely"  # nothing to say of it: listed last


def test_too_many_phrases_are_refused() -> None:
    big = [{"text": f"phrase {n}", "intent": f"i{n % 3}", "lang": "en"}
           for n in range(MAX_EXAMPLES + 1)]
    with pytest.raises(ValueError, match="at most 3,000 phrases"):
        check_intents(big)


async def test_the_api_checks_the_section_as_edited(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/check",
                               json={"nlu": {"intents": INTENTS}}, headers=owner.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["examples"] == 30 and body["checked"] == 30 and body["threshold"] == 0.5
    assert {i["intent"] for i in body["intents"]} == {"change_address", "order_status", "cancel"}
    assert 0.5 <= body["accuracy"] <= 1.0
    recognised = [i["recognised"] for i in body["intents"]]
    assert recognised == sorted(recognised)  # the least recognised first

    confused = await client.post(f"/api/v1/bots/{bot}/nlu/check",
                                 json={"nlu": {"intents": CONFUSED}, "threshold": 0},
                                 headers=owner.headers)
    assert confused.status_code == 200, confused.text
    assert confused.json()["intents"][0]["intent"] in ("refund", "return_item")
    assert confused.json()["misses"]


@pytest.mark.parametrize(("section", "says"), [
    ({"intents": [INTENTS[0]]}, "at least two intents"),
    ({"intents": [{"name": "a", "examples": {"en": []}}, INTENTS[0]]}, "intents/0"),
    ({"intents": "all"}, "intents"),
])
async def test_bad_sections_get_a_clear_problem(client, make_actor, section, says) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/check", json={"nlu": section},
                               headers=owner.headers)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert says in answer.json()["detail"]


async def test_only_the_bots_organizations_editors_may_check(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    stranger = await make_actor(Role.owner)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/check",
                               json={"nlu": {"intents": INTENTS}}, headers=stranger.headers)
    assert answer.status_code == 404
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    answer = await client.post(f"/api/v1/bots/{bot}/nlu/check",
                               json={"nlu": {"intents": INTENTS}}, headers=viewer.headers)
    assert answer.status_code == 403
