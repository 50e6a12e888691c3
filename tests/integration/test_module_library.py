"""The organization's module library over the HTTP API (roles, organizations kept apart,
drafts with If-Match, publishing gated by syntax and test cases, versions) and the `module`
block that runs a published module in a scenario over the REST chat API."""

from __future__ import annotations

from typing import Any

from core.security import Role
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario

PROBLEM = "application/problem+json"
URL = "/api/v1/modules"

VAT_CODE = "return {total: Math.round(input.price * input.qty * 1.2 * 100) / 100};"
VAT = {
    "name": "price_with_vat", "description": "Price times quantity, with 20% VAT.",
    "code": VAT_CODE,
    "input_schema": {"type": "object", "required": ["price", "qty"], "properties": {
        "price": {"type": "number", "minimum": 0}, "qty": {"type": "integer", "minimum": 1}}},
    "output_schema": {"type": "object", "required": ["total"],
                      "properties": {"total": {"type": "number"}}},
    "test_cases": [{"name": "two cups", "input": {"price": 10, "qty": 2},
                    "expected": {"total": 24}}],
}


def draft(**changes: Any) -> dict[str, Any]:
    body = {k: v for k, v in VAT.items() if k != "name"}
    body.update(changes)
    return body


async def create(client, actor, body=None, expect=201):  # type: ignore[no-untyped-def]
    response = await client.post(URL, json=body or VAT, headers=actor.headers)
    assert response.status_code == expect, response.text
    return response


async def publish(client, actor, name="price_with_vat", expect=201, **body):  # type: ignore[no-untyped-def]
    response = await client.post(f"{URL}/{name}/publish", json=body, headers=actor.headers)
    assert response.status_code == expect, response.text
    return response


async def test_crud_roles_and_organizations_apart(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    editor = await make_actor(Role.editor, owner.org_id)
    viewer = await make_actor(Role.viewer, owner.org_id)
    stranger = await make_actor(Role.owner)

    forbidden = await client.post(URL, json=VAT, headers=viewer.headers)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == PROBLEM

    created = await create(client, editor)
    body = created.json()
    assert created.headers["etag"] == '"1"'
    assert body["name"] == "price_with_vat" and body["revision"] == 1
    assert body["latest_version"] == 0 and body["test_cases"][0]["name"] == "two cups"
    duplicate = await create(client, owner, expect=409)
    assert "already has a module named 'price_with_vat'" in duplicate.json()["detail"]

    listing = await client.get(URL, headers=viewer.headers)
    assert listing.status_code == 200
    assert [m["name"] for m in listing.json()["items"]] == ["price_with_vat"]
    assert listing.json()["total"] == 1 and "code" not in listing.json()["items"][0]
    one = await client.get(f"{URL}/price_with_vat", headers=viewer.headers)
    assert one.status_code == 200 and one.json()["code"] == VAT_CODE
    assert one.headers["etag"] == '"1"'

    # Another organization sees nothing and can touch nothing.
    for method, path in (("GET", ""), ("PUT", "/draft"), ("POST", "/publish"),
                         ("GET", "/versions"), ("DELETE", "")):
        answer = await client.request(method, f"{URL}/price_with_vat{path}",
                                      json=draft() if method == "PUT" else {},
                                      headers={**stranger.headers, "If-Match": '"1"'})
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json()["detail"] == "no module named 'price_with_vat' in your organization"
    assert (await client.get(URL, headers=stranger.headers)).json()["items"] == []

    assert (await client.post(f"{URL}/price_with_vat/publish", json={},
                              headers=viewer.headers)).status_code == 403
    published = await publish(client, editor, changelog="first")
    assert published.json()["number"] == 1 and published.json()["changelog"] == "first"
    assert published.json()["published_by"] == f"user:{editor.user_id}"
    versions = await client.get(f"{URL}/price_with_vat/versions", headers=viewer.headers)
    assert versions.json()["total"] == 1 and versions.json()["items"][0]["number"] == 1
    version = await client.get(f"{URL}/price_with_vat/versions/1", headers=viewer.headers)
    assert version.status_code == 200 and version.json()["code"] == VAT_CODE
    missing = await client.get(f"{URL}/price_with_vat/versions/2", headers=viewer.headers)
    assert missing.status_code == 404

    assert (await client.delete(f"{URL}/price_with_vat",
                                headers=viewer.headers)).status_code == 403
    gone = await client.delete(f"{URL}/price_with_vat", headers=editor.headers)
    assert gone.status_code == 204
    assert (await client.get(f"{URL}/price_with_vat", headers=owner.headers)).status_code == 404


async def test_bad_input_is_a_clear_problem(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bad_name = await client.post(URL, json={**VAT, "name": "Price-VAT"}, headers=owner.headers)
    assert bad_name.status_code == 422 and bad_name.headers["content-type"] == PROBLEM
    assert "is not a module name" in bad_name.text
    bad_schema = await client.post(URL, json={**VAT, "input_schema": {"type": "thing"}},
                                   headers=owner.headers)
    assert bad_schema.status_code == 422, bad_schema.text
    assert bad_schema.json()["errors"][0]["path"] == "/input_schema"
    assert "not a valid JSON Schema" in bad_schema.json()["detail"]
    path = await client.get(f"{URL}/NOT_A_NAME", headers=owner.headers)
    assert path.status_code == 422
    # A pattern only a backtracking engine runs (and that could stall it) is refused.
    lookaround = await client.post(URL, json={**VAT, "input_schema": {
        "type": "object", "properties": {"code": {"type": "string", "pattern": "(?=x)y"}}}},
        headers=owner.headers)
    assert lookaround.status_code == 422, lookaround.text
    assert lookaround.json()["errors"][0]["path"] == "/input_schema"
    assert "at /properties/code/pattern" in lookaround.json()["detail"]
    assert "lookaround" in lookaround.json()["detail"]


async def test_a_stale_draft_revision_is_refused(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await create(client, owner)
    no_match = await client.put(f"{URL}/price_with_vat/draft", json=draft(),
                                headers=owner.headers)
    assert no_match.status_code == 428
    saved = await client.put(f"{URL}/price_with_vat/draft", json=draft(description="v2"),
                             headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == '"2"' and saved.json()["description"] == "v2"
    stale = await client.put(f"{URL}/price_with_vat/draft", json=draft(description="v3"),
                             headers={**owner.headers, "If-Match": '"1"'})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_revision"
    assert stale.json()["current_revision"] == 2
    assert (await client.get(f"{URL}/price_with_vat",
                             headers=owner.headers)).json()["description"] == "v2"
    publish_stale = await publish(client, owner, expect=409, revision=1)
    assert publish_stale.json()["code"] == "stale_revision"


async def test_a_publish_holds_nothing_while_its_test_cases_run(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """The draft can be saved while a publish runs its test cases (no lock, no connection
    held meanwhile); the publish then refuses, since what it tested is no longer the draft."""
    import asyncio

    owner = await make_actor(Role.owner)
    slow = "let n = 0; for (let i = 0; i < 2e6; i++) { n += i % 3; }\n" + VAT_CODE
    cases = [{"name": f"case {k}", "input": {"price": 10, "qty": 2}, "expected": {"total": 24}}
             for k in range(8)]  # a second or so of test cases, each well under its limit
    await create(client, owner, {**VAT, "code": slow, "test_cases": cases})
    publishing = asyncio.create_task(client.post(f"{URL}/price_with_vat/publish", json={},
                                                 headers=owner.headers))
    await asyncio.sleep(0.15)  # the test cases are running in the sandbox now
    saved = await client.put(f"{URL}/price_with_vat/draft", json=draft(
        description="edited", code=slow, test_cases=cases[:1]),
        headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    assert not publishing.done()  # the save did not wait for the test cases
    refused = await publishing
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "stale_revision" and refused.json()["current_revision"] == 2
    assert (await client.get(f"{URL}/price_with_vat/versions",
                             headers=owner.headers)).json()["items"] == []
    await publish(client, owner)  # the edited draft publishes as version 1


async def test_publishing_needs_code_that_parses_and_passing_test_cases(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await create(client, owner, {**VAT, "code": "const a = 1;\nreturn {total: a +* 2};"})
    checked = await client.post(f"{URL}/price_with_vat/validate", headers=owner.headers)
    assert checked.status_code == 200 and checked.json()["valid"] is False
    [issue] = checked.json()["errors"]
    assert issue["path"] == "/code" and issue["line"] == 2 and issue["column"]
    refused = await publish(client, owner, expect=422)
    assert refused.headers["content-type"] == PROBLEM
    assert "line 2" in refused.json()["detail"]
    untestable = await client.post(f"{URL}/price_with_vat/test", headers=owner.headers)
    assert untestable.status_code == 422 and untestable.headers["content-type"] == PROBLEM
    assert "line 2" in untestable.json()["detail"] and untestable.json()["errors"][0]["line"] == 2

    cases = [{"name": "two cups", "input": {"price": 10, "qty": 2}, "expected": {"total": 24}},
             {"name": "wrong sum", "input": {"price": 1, "qty": 1}, "expected": {"total": 5}},
             {"name": "bad input", "input": {"price": -1, "qty": 1}, "expected": {"total": 0}}]
    saved = await client.put(f"{URL}/price_with_vat/draft",
                             json=draft(test_cases=cases),
                             headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    valid = await client.post(f"{URL}/price_with_vat/validate", headers=owner.headers)
    assert valid.json() == {"valid": True, "errors": []}
    # The author runs the cases before publishing: every case reported, nothing published.
    viewer = await make_actor(Role.viewer, owner.org_id)
    assert (await client.post(f"{URL}/price_with_vat/test",
                              headers=viewer.headers)).status_code == 403
    ran = await client.post(f"{URL}/price_with_vat/test", headers=owner.headers)
    assert ran.status_code == 200, ran.text
    run = ran.json()
    assert run["revision"] == 2 and run["passed"] is False
    assert [(r["name"], r["passed"]) for r in run["results"]] == [
        ("two cups", True), ("wrong sum", False), ("bad input", False)]
    assert run["results"][0]["output"] == {"total": 24} and run["results"][0]["error"] is None
    assert run["results"][1]["output"] == {"total": 1.2}
    assert run["results"][1]["error"] == 'expected {"total":5}, got {"total":1.2}'
    assert "input schema" in run["results"][2]["error"] and run["results"][2]["output"] is None
    assert all(r["ms"] >= 0 for r in run["results"])
    refused = await publish(client, owner, expect=422)
    errors = refused.json()["errors"]
    assert [e["case"] for e in errors] == ["wrong sum", "bad input"]
    assert errors[0]["path"] == "/test_cases/1"
    assert 'expected {"total":5}, got {"total":1.2}' in errors[0]["message"]
    assert "input schema" in errors[1]["message"] and "minimum" in errors[1]["message"]
    assert "2 of 3 test case(s) failed" in refused.json()["detail"]
    versions = await client.get(f"{URL}/price_with_vat/versions", headers=owner.headers)
    assert versions.json() == {"items": [], "total": 0}


def module_scenario(inputs: dict[str, str], version: int | None = None) -> dict:
    settings: dict[str, Any] = {"module": "price_with_vat", "inputs": inputs,
                                "outputs": {"total": "output.total", "raw": "output"}}
    if version is not None:
        settings["version"] = version
    return {
        "schema_version": 2, "entry": {"start": "vat"},
        "variables": [{"name": "price", "type": "number", "default": 10},
                      {"name": "qty", "type": "number", "default": 3},
                      {"name": "total", "type": "any"}, {"name": "raw", "type": "any"},
                      {"name": "reply", "type": "string"}],
        "blocks": [
            {"id": "vat", "type": "module", "settings": settings},
            {"id": "done", "type": "message", "settings": {"text": {
                "en": "Total {{total}} ({{raw.total}})", "uk": "Разом {{total}}"}}},
            {"id": "failed", "type": "message", "settings": {"text": {
                "en": "Module failed", "uk": "Помилка"}}},
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "reply", "prompt": {"en": "More?", "uk": "Ще?"}}},
        ],
        "edges": [
            {"source": "vat", "port": "ok", "target": "done"},
            {"source": "vat", "port": "error", "target": "failed"},
            {"source": "done", "target": "ask"}, {"source": "failed", "target": "ask"},
        ],
    }


async def calls(client, owner, chat) -> list[dict]:  # type: ignore[no-untyped-def]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    return [step["call"] for turn in trace["items"] for step in turn["trace"]
            if step.get("call")]


async def test_a_module_block_runs_the_published_module(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await create(client, owner)
    await publish(client, owner)
    headers = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{price}}", "qty": "{{qty}}"}))
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Total 36 (36)", "More?"]
    [call] = await calls(client, owner, chat)
    assert (call["service"], call["operation"], call["status"]) == ("modules", "module", "ok")
    assert call["logs"][0] == "module price_with_vat version 1"

    # A second version becomes the latest; a block may pin the first.
    saved = await client.put(f"{URL}/price_with_vat/draft", json=draft(
        code="return {total: input.price * input.qty};",
        test_cases=[{"name": "plain", "input": {"price": 2, "qty": 2},
                     "expected": {"total": 4}}]),
        headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    await publish(client, owner)
    headers = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{price}}", "qty": "{{qty}}"}))
    answer, _ = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Total 30 (30)", "More?"]
    headers = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{price}}", "qty": "{{qty}}"}, version=1))
    answer, _ = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Total 36 (36)", "More?"]


async def test_a_module_block_over_the_websocket(server, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """The same block through a live server's chat socket: the module runs in the sandbox
    between the person's message and the answer, and its call is in the turn's trace."""
    from tests.realtime.test_websocket_protocol import open_chat

    owner = await make_actor(Role.owner)
    await create(client, owner)
    await publish(client, owner)
    headers = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{price}}", "qty": "{{qty}}"}))
    chat, frames = await open_chat(server, headers["X-Chat-Key"], language="en")
    assert [f["message"]["text"] for f in frames if f["type"] == "message"] == [
        "Total 36 (36)", "More?"]
    [welcome] = [f for f in frames if f["type"] == "welcome"]
    trace = (await client.get(f"/api/v1/conversations/{welcome['conversation_id']}/trace",
                              headers=owner.headers)).json()
    [call] = [step["call"] for turn in trace["items"] for step in turn["trace"]
              if step.get("call")]
    assert (call["service"], call["operation"], call["status"]) == ("modules", "module", "ok")
    await chat.ws.close()


async def test_input_breaking_the_schema_takes_the_error_port(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await create(client, owner)
    await publish(client, owner)
    # A template with text around the variable renders text: "10 UAH" is not a number.
    headers = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{price}} UAH", "qty": "{{qty}}"}))
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Module failed", "More?"]
    [call] = await calls(client, owner, chat)
    assert call["status"] == "error"
    assert "does not fit module 'price_with_vat' version 1's input schema" in call["error"]
    assert "'10 UAH' is not of type 'number'" in call["error"]


async def test_a_missing_or_deleted_module_fails_at_run_time(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stranger = await make_actor(Role.owner)
    await create(client, stranger)
    await publish(client, stranger)  # another organization's module is not found
    headers = await bot_with_scenario(client, owner, module_scenario({"price": "{{price}}"}))
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Module failed", "More?"]
    [call] = await calls(client, owner, chat)
    assert call["error"] == "no module named 'price_with_vat' in this organization"

    await create(client, owner)
    answer, chat = await start(client, headers, language="en")
    [call] = await calls(client, owner, chat)
    assert "has no published version" in call["error"]


async def test_a_schema_reference_is_never_fetched(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await create(client, owner, {**VAT, "input_schema": {
        "$ref": "http://169.254.169.254/latest/schema.json"}})
    refused = await publish(client, owner, expect=422)
    [error] = refused.json()["errors"]
    assert "reference 'http://169.254.169.254/latest/schema.json' cannot be resolved" \
        in error["message"]


async def test_a_module_that_asks_for_it_has_its_results_cached_per_version(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    # The code logs each real run; a cached result runs nothing.
    await create(client, owner, {**VAT, "cache_seconds": 60,
                                 "code": "console.log('ran'); " + VAT["code"]})
    detail = (await client.get(f"{URL}/price_with_vat", headers=owner.headers)).json()
    assert detail["cache_seconds"] == 60
    await publish(client, owner)
    version = (await client.get(f"{URL}/price_with_vat/versions/1",
                                headers=owner.headers)).json()
    assert version["cache_seconds"] == 60
    headers = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{price}}", "qty": "{{qty}}"}))
    logs = []
    for _ in range(2):
        answer, chat = await start(client, headers, language="en")
        assert [m["text"] for m in answer["messages"]] == ["Total 36 (36)", "More?"]
        [call] = await calls(client, owner, chat)
        logs.append(call["logs"])
    assert logs[0] == ["module price_with_vat version 1", "ran"]
    assert logs[1] == ["module price_with_vat version 1 (cached result)"]

    # Another input runs; a new version never reads the old one's results.
    other = await bot_with_scenario(client, owner, module_scenario(
        {"price": "{{qty}}", "qty": "{{price}}"}))
    _, chat = await start(client, other, language="en")
    assert (await calls(client, owner, chat))[0]["logs"][-1] == "ran"
    saved = await client.put(f"{URL}/price_with_vat/draft", json=draft(
        cache_seconds=60, code="console.log('v2'); " + VAT["code"]),
        headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    await publish(client, owner)
    _, chat = await start(client, headers, language="en")
    assert (await calls(client, owner, chat))[0]["logs"][-1] == "v2"
