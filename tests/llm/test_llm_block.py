"""The `llm` block end to end through the REST chat API, against the fake OpenAI-compatible
server on 127.0.0.1 through litellm: the three modes, the answer cache, a provider's
fallback, a wrong key, a structured answer's repair, the providers API and the usage it
counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.security import Role
from llm.fake_server import FakeOpenAI, Reply
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(valid_keys={KEY}) as server:
        yield server


async def provider(client, owner, fake: FakeOpenAI, name: str = "local", **fields: Any) -> None:  # type: ignore[no-untyped-def]
    stored = await client.put("/api/v1/secrets/LLM_KEY", json={"value": KEY},
                              headers=owner.headers)
    assert stored.status_code in (200, 201), stored.text
    body = {"kind": "openai_compatible", "model": "fake-small", "api_base": fake.base_url,
            "secret": "LLM_KEY", "timeout_seconds": 5, **fields}
    put = await client.put(f"/api/v1/llm/providers/{name}", json=body, headers=owner.headers)
    assert put.status_code in (200, 201), put.text


def scenario(llm_settings: dict[str, Any], after: str = "Done: {{answer}}") -> dict[str, Any]:
    return {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "said", "type": "string"}, {"name": "answer", "type": "any"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
            {"id": "model", "type": "llm", "settings": {
                "provider": "local", "prompt": {"uk": "{{said}}", "en": "{{said}}"},
                **llm_settings}},
            {"id": "after", "type": "message", "settings": {"text": {"uk": after, "en": after}}},
            {"id": "failed", "type": "message", "settings": {"text": {
                "uk": "Збій моделі.", "en": "The model failed."}}}],
        "edges": [{"source": "ask", "target": "model"},
                  {"source": "model", "port": "error", "target": "failed"},
                  {"source": "model", "port": "timeout", "target": "failed"},
                  {"source": "after", "target": "ask"}, {"source": "failed", "target": "ask"}]}


def texts(reply: dict[str, Any]) -> list[str]:
    return [m["text"] for m in reply["messages"]]


async def test_generate_says_the_answer_and_caches_it(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    document = scenario({"mode": "generate", "store_in": "answer",
                         "system": {"uk": "Відповідай коротко.", "en": "Be brief."}})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    reply = await chat.send(text="hello there")
    assert texts(reply)[:2] == ["Echo: hello there", "Done: Echo: hello there"]
    sent = fake.requests[-1].body
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["messages"][-1] == {"role": "user", "content": "hello there"}
    assert sent["max_tokens"] == 512
    # The same prompt again: from the cache, the model is not asked.
    calls = len(fake.requests)
    reply = await chat.send(text="hello there")
    assert texts(reply)[0] == "Echo: hello there" and len(fake.requests) == calls
    usage = (await client.get("/api/v1/llm/usage", headers=owner.headers)).json()
    assert (usage["calls"], usage["items"][0]["cached"]) == (2, 1)
    assert usage["prompt_tokens"] > 0 and usage["items"][0]["provider"] == "local"
    # The key went to the server, and nowhere into what the API shows.
    listed = (await client.get("/api/v1/llm/providers", headers=owner.headers)).text
    assert KEY not in listed and "LLM_KEY" in listed


async def test_structured_answers_fill_variables_and_are_repaired_once(client, make_actor,
                                                                       fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    schema = {"type": "object", "required": ["city", "nights"], "properties": {
        "city": {"type": "string"}, "nights": {"type": "integer", "minimum": 1}}}
    document = scenario({"mode": "structured", "json_schema": schema, "store_in": "answer",
                         "cache": False}, after="{{answer.city}} / {{answer.nights}}")
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="uk")
    fake.script(None, [Reply(text='{"city": "Lviv", "nights": 2}')])
    assert texts(await chat.send(text="два дні у Львові"))[0] == "Lviv / 2"
    # Not JSON, then valid: one repair request carries the complaint.
    fake.script(None, [Reply(text="Sure! Lviv for 3 nights"),
                       Reply(text='{"city": "Kyiv", "nights": 3}')])
    assert texts(await chat.send(text="три ночі в Києві"))[0] == "Kyiv / 3"
    repair = fake.requests[-1].body["messages"]
    assert repair[-2] == {"role": "assistant", "content": "Sure! Lviv for 3 nights"}
    assert "not valid: it is not JSON" in repair[-1]["content"]
    # Wrong twice: the error port, with the reason in the trace.
    fake.script(None, [Reply(text='{"city": "Odesa"}'), Reply(text='{"city": 5, "nights": 0}')])
    assert texts(await chat.send(text="Одеса"))[0] == "Збій моделі."
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert call["status"] == "error" and "even after one repair" in call["error"]


async def test_classify_takes_the_classes_port_or_fallback(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    document = scenario({"mode": "classify", "store_in": "answer", "classes": [
        {"name": "refund", "description": {"uk": "повернення грошей", "en": "money back"}},
        {"name": "delivery", "description": {"uk": "доставка", "en": "delivery"}}]})
    document["blocks"] += [
        {"id": "refund", "type": "message", "settings": {"text": {"uk": "Повернення.",
                                                                   "en": "Refund."}}},
        {"id": "other", "type": "message", "settings": {"text": {"uk": "Інше.", "en": "Other."}}}]
    document["edges"] += [{"source": "model", "port": "refund", "target": "refund"},
                          {"source": "model", "port": "delivery", "target": "after"},
                          {"source": "model", "port": "fallback", "target": "other"},
                          {"source": "refund", "target": "ask"},
                          {"source": "other", "target": "ask"}]
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    fake.script(None, [Reply(text="refund"), Reply(text="I am not sure, maybe weather?")])
    assert texts(await chat.send(text="give my money back"))[0] == "Refund."
    system = fake.requests[-1].body["messages"][0]["content"]
    assert "- refund: money back" in system and "- delivery: delivery" in system
    assert texts(await chat.send(text="what's the weather"))[0] == "Other."


async def test_a_failing_provider_falls_back_and_a_wrong_key_is_reported(client, make_actor,
                                                                         fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake, name="backup", model="fake-small")
    await provider(client, owner, fake, name="local", model="fake-large",
                   fallbacks=["backup"])
    document = scenario({"store_in": "answer", "cache": False})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    fake.script("fake-large", [Reply(status=500)])
    assert texts(await chat.send(text="are you there"))[0] == "Echo: are you there"
    assert [r.body["model"] for r in fake.requests[-2:]] == ["fake-large", "fake-small"]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert call["status"] == "ok" and any("local failed" in line for line in call["logs"])

    # A wrong key: the error port, the provider's reason, never the key.
    wrong = "sk-wrong-key-9876543210"
    await client.put("/api/v1/secrets/LLM_KEY", json={"value": wrong}, headers=owner.headers)
    assert texts(await chat.send(text="still there?"))[0] == "The model failed."
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert "AuthenticationError" in call["error"] and wrong not in str(trace)
    tested = (await client.post("/api/v1/llm/providers/local/test",
                                headers=owner.headers)).json()
    assert tested["ok"] is False and "AuthenticationError" in tested["error"]
    assert wrong not in str(tested)
    await client.put("/api/v1/secrets/LLM_KEY", json={"value": KEY}, headers=owner.headers)
    tested = (await client.post("/api/v1/llm/providers/local/test",
                                headers=owner.headers)).json()
    assert tested["ok"] is True and tested["answer"].startswith("Echo")


async def test_providers_are_checked_and_scoped(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    stranger = await make_actor(Role.owner)
    await provider(client, owner, fake)
    bad = [({"kind": "openai_compatible", "model": "m"}, "needs api_base"),
           ({"kind": "openai", "model": "gpt-4o-mini"}, "needs the secret"),
           ({"kind": "openai_compatible", "model": "m", "api_base": fake.base_url,
             "fallbacks": ["nowhere"]}, "does not have: nowhere"),
           ({"kind": "grok", "model": "m"}, "kind")]
    for body, reason in bad:
        refused = await client.put("/api/v1/llm/providers/other", json=body,
                                   headers=owner.headers)
        assert refused.status_code == 422 and reason in refused.text, refused.text
    assert (await client.put("/api/v1/llm/providers/x", json=bad[0][0],
                             headers=viewer.headers)).status_code == 403
    assert (await client.get("/api/v1/llm/providers/local",
                             headers=stranger.headers)).status_code == 404
    assert (await client.get("/api/v1/llm/providers", headers=viewer.headers)).json()[0][
        "name"] == "local"
    # A private address the operator did not allow: refused when called, with the reason.
    await provider(client, owner, fake, name="inside", api_base="http://10.1.2.3:8080/v1")
    tested = (await client.post("/api/v1/llm/providers/inside/test",
                                headers=owner.headers)).json()
    assert tested["ok"] is False and "inside" in tested["error"] and "10.1.2.3" in tested["error"]
    # A provider another one falls back to cannot go first.
    await provider(client, owner, fake, name="main", fallbacks=["local"])
    refused = await client.delete("/api/v1/llm/providers/local", headers=owner.headers)
    assert refused.status_code == 422 and "main" in refused.json()["detail"]


async def test_quotas_stop_blocks_with_a_reason(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    editor = await make_actor(Role.editor, org_id=owner.org_id)
    await provider(client, owner, fake)
    document = scenario({"store_in": "answer", "cache": False})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    assert texts(await chat.send(text="one two three"))[0] == "Echo: one two three"
    used = (await client.get("/api/v1/llm/quota", headers=owner.headers)).json()
    assert used["tokens_today"] > 0 and used["tokens_per_day"] is None
    # Only an admin sets limits.
    assert (await client.put("/api/v1/llm/quota", json={"tokens_per_day": 1},
                             headers=editor.headers)).status_code == 403
    put = await client.put("/api/v1/llm/quota", json={"tokens_per_day": used["tokens_today"]},
                           headers=owner.headers)
    assert put.status_code == 200, put.text
    calls = len(fake.requests)
    assert texts(await chat.send(text="four five"))[0] == "The model failed."
    assert len(fake.requests) == calls  # refused before the provider was asked
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert "LLM tokens for today are used" in call["error"]
    # Calls a minute.
    await client.put("/api/v1/llm/quota", json={"calls_per_minute": 1}, headers=owner.headers)
    _, other = await start(client, headers, language="en")
    assert texts(await other.send(text="first"))[0] == "Echo: first"
    assert texts(await other.send(text="second"))[0] == "The model failed."
    # A month's budget already spent.
    await client.put("/api/v1/llm/quota", json={"cost_per_month": 0}, headers=owner.headers)
    assert texts(await other.send(text="third"))[0] == "The model failed."
    assert (await client.put("/api/v1/llm/quota", json={"tokens_per_day": 0},
                             headers=owner.headers)).status_code == 422


async def test_a_provider_failing_again_and_again_is_skipped(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake, name="backup", model="fake-small")
    await provider(client, owner, fake, name="local", model="fake-large", fallbacks=["backup"])
    document = scenario({"store_in": "answer", "cache": False})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    fake.script("fake-large", [Reply(status=500)] * 5)
    for n in range(5):
        assert texts(await chat.send(text=f"try {n}"))[0] == f"Echo: try {n}"
    asked = len([r for r in fake.requests if r.model == "fake-large"])
    assert asked == 5
    # Its circuit is open now: the next message goes straight to the fallback.
    assert texts(await chat.send(text="again"))[0] == "Echo: again"
    assert len([r for r in fake.requests if r.model == "fake-large"]) == asked
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert any("failed repeatedly" in line for line in call["logs"]), call
    metrics = (await client.get("/metrics")).text
    assert 'rozmova_llm_calls_total{kind="openai_compatible",outcome="skipped"}' in metrics


async def test_the_conversation_so_far_reaches_the_model_and_shrinks_to_fit(client, make_actor,
                                                                            fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    document = scenario({"store_in": "answer", "cache": False, "history": 6, "say": False,
                         "system": {"uk": "Будь стислим.", "en": "Be brief."}})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    await chat.send(text="my name is Olena")
    await chat.send(text="what is my name")
    sent = fake.requests[-1].body["messages"]
    assert sent[0] == {"role": "system", "content": "Be brief."}
    assert sent[-1] == {"role": "user", "content": "what is my name"}
    # Before it, the last six messages said: the prompt, the person, the bot's answer, ...
    assert sent[1:-1] == [
        {"role": "assistant", "content": "Yes?"},
        {"role": "user", "content": "my name is Olena"},
        {"role": "assistant", "content": "Done: Echo: my name is Olena"},
        {"role": "assistant", "content": "Yes?"}]
    # Too long for the model's context: the history shrinks, oldest first, until it fits.
    too_long = Reply(status=400, message="This model's maximum context length is 64 tokens. "
                     "However, your messages resulted in 80 tokens.")
    fake.script(None, [too_long, too_long])
    assert texts(await chat.send(text="and now?"))[0] == "Done: Echo: and now?"
    tries = [len(r.body["messages"]) for r in fake.requests[-3:]]
    assert tries == [8, 5, 3]  # system + 6 + prompt, then 3 of the history left, then 1
    # Without history to drop, the reason reaches the trace.
    fake.script(None, [too_long] * 4)
    assert texts(await chat.send(text="x" * 50))[0] == "The model failed."
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert "longer than the model's context even without" in call["error"]


async def test_a_report_sums_up_the_conversation_in_its_language(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stranger = await make_actor(Role.owner)
    await provider(client, owner, fake)
    document = scenario({"store_in": "answer", "cache": False, "say": False})
    document["blocks"].append({"id": "sum_up", "type": "report", "settings": {
        "provider": "local", "store_in": "answer", "messages": 20,
        "instructions": {"uk": "Згадай номер замовлення.", "en": "Mention the order id."}}})
    document["edges"] += [{"source": "model", "port": "next", "target": "sum_up"},
                          {"source": "sum_up", "port": "next", "target": "after"},
                          {"source": "sum_up", "port": "error", "target": "failed"}]
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="uk")
    fake.script(None, [Reply(text="ok"), Reply(text="Людина питала про замовлення A-17.")])
    reply = await chat.send(text="де моє замовлення A-17?")
    assert texts(reply)[0] == "Done: Людина питала про замовлення A-17."
    sent = fake.requests[-1].body["messages"]
    assert "Write the report in Ukrainian." in sent[0]["content"]
    assert "Згадай номер замовлення." in sent[0]["content"]
    assert sent[1]["content"].startswith("The conversation:\nBot: Так?")
    reports = (await client.get(f"/api/v1/conversations/{chat.id}/reports",
                                headers=owner.headers)).json()
    assert [(r["language"], r["text"], r["block_id"]) for r in reports] == [
        ("uk", "Людина питала про замовлення A-17.", "sum_up")]
    assert reports[0]["messages"] >= 1
    hidden = await client.get(f"/api/v1/conversations/{chat.id}/reports",
                              headers=stranger.headers)
    assert hidden.status_code == 404 and "no conversation" in hidden.json()["detail"]
    bot_id = reports[0]["bot_id"]
    assert len((await client.get(f"/api/v1/bots/{bot_id}/reports",
                                 headers=owner.headers)).json()) == 1


async def test_a_provider_at_its_own_limits_hands_calls_to_its_fallback(client, make_actor,
                                                                        fake) -> None:  # type: ignore[no-untyped-def]
    """A provider's calls a minute and calls in flight: past either, the call goes to the
    fallback (the trace says why); with no fallback, the block's error port."""
    import asyncio

    owner = await make_actor(Role.owner)
    await provider(client, owner, fake, name="backup", model="fake-small")
    await provider(client, owner, fake, name="local", model="fake-large",
                   fallbacks=["backup"], calls_per_minute=1, max_concurrency=1)
    listed = (await client.get("/api/v1/llm/providers", headers=owner.headers)).json()
    [local] = [p for p in listed if p["name"] == "local"]
    assert (local["calls_per_minute"], local["max_concurrency"]) == (1, 1)
    document = scenario({"store_in": "answer", "cache": False})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    await chat.send(text="one")
    await chat.send(text="two")  # the second call this minute: the backup answers
    assert [r.body["model"] for r in fake.requests[-2:]] == ["fake-large", "fake-small"]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert any("over its limit of 1 calls a minute" in line for line in call["logs"])

    # One call in flight at most: a second one at the same time waits for its slot (2 s),
    # then goes to the backup.
    await provider(client, owner, fake, name="local", model="fake-large",
                   fallbacks=["backup"], max_concurrency=1)
    _, other = await start(client, headers, language="en")
    fake.script("fake-large", [Reply(text="slow answer", delay=3)])
    slow = asyncio.create_task(chat.send(text="slow"))
    while not any(r.body["model"] == "fake-large" and r.body["messages"][-1]["content"] ==
                  "slow" for r in fake.requests):
        await asyncio.sleep(0.05)  # the slow call holds the provider's one slot
    second = await other.send(text="quick")
    assert texts(await slow)[0] == "slow answer" and texts(second)[0] == "Echo: quick"
    trace = (await client.get(f"/api/v1/conversations/{other.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert any("1 calls to it are in flight already" in line for line in call["logs"])


async def test_a_token_budget_keeps_the_newest_history_and_bots_have_daily_shares(
        client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    from llm.service import within_budget

    history = [{"role": "user", "content": "a" * 40}, {"role": "assistant", "content": "b" * 40},
               {"role": "user", "content": "c" * 8}]
    assert within_budget(history, 10) == history[-1:]  # 40 characters; the newest fits
    assert within_budget(history, 20) == history[-2:]
    assert within_budget(history, 2) == [] and within_budget(history, None) == history

    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    document = scenario({"store_in": "answer", "cache": False, "history_tokens": 50,
                         "say": False})
    document["edges"].append({"source": "model", "port": "next", "target": "after"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    await chat.send(text="my name is Olena and I live in Lviv, near the old market square, "
                    "in a house with a green door and a small garden where we grow tomatoes, "
                    "cucumbers and sunflowers every summer, and on Sundays we walk to the "
                    "river with the dog")
    await chat.send(text="what is my name")
    sent = fake.requests[-1].body["messages"]
    # 200 characters of history at most: the long messages no longer fit.
    assert sum(len(m["content"]) for m in sent[:-1]) <= 200
    assert sent[-2] == {"role": "assistant", "content": "Yes?"}
    assert not any("Olena" in m["content"] for m in sent[:-1]), sent

    # Each bot's share of the day: this one is over it, another bot is not.
    put = await client.put("/api/v1/llm/quota", json={"bot_tokens_per_day": 20},
                           headers=owner.headers)
    assert put.status_code == 200 and put.json()["bot_tokens_per_day"] == 20
    assert texts(await chat.send(text="again"))[0] == "The model failed."
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert "this bot's 20 LLM tokens for today are used" in call["error"]
    other = await bot_with_scenario(client, owner, document)
    _, fresh = await start(client, other, language="en")
    assert texts(await fresh.send(text="hello"))[0] == "Done: Echo: hello"
