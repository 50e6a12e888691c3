"""Bots and scenarios over the HTTP API: organization scoping, roles, drafts with If-Match,
validation with pointers, immutable versions, diff, rollback, import/export, bad input."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from core.security import Role
from scenarios.format import CURRENT_SCHEMA_VERSION

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "support-bot.json"
PROBLEM = "application/problem+json"


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


async def new_bot(client, actor, name: str = "Support") -> dict:  # type: ignore[no-untyped-def]
    response = await client.post("/api/v1/bots", json={"name": name}, headers=actor.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def new_scenario(client, actor, bot, document=None, name="main") -> dict:  # type: ignore[no-untyped-def]
    body = {"name": name} | ({"document": document} if document is not None else {})
    response = await client.post(f"/api/v1/bots/{bot['id']}/scenarios", json=body,
                                 headers=actor.headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- bots, organizations and roles ---------------------------------------------------------

async def test_bot_crud_in_own_organization(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    assert bot["languages"] == ["uk", "en"] and bot["default_language"] == "uk"
    assert bot["settings"]["on_expiry"] == "restart"
    patched = await client.patch(f"/api/v1/bots/{bot['id']}",
                                 json={"languages": ["uk"], "settings": {"on_expiry": "resume"}},
                                 headers=editor.headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["languages"] == ["uk"] and patched.json()["settings"]["on_expiry"] == "resume"
    # Settings are patched one by one: what another author set meanwhile stays.
    other = await client.patch(f"/api/v1/bots/{bot['id']}", json={"settings": {
        "allowed_origins": ["https://shop.example.com"]}}, headers=editor.headers)
    assert other.status_code == 200, other.text
    assert other.json()["settings"]["on_expiry"] == "resume"
    assert other.json()["settings"]["allowed_origins"] == ["https://shop.example.com"]
    wrong = await client.patch(f"/api/v1/bots/{bot['id']}", json={"settings": {
        "expiry_seconds": 0}}, headers=editor.headers)
    assert wrong.status_code == 422 and "expiry_seconds" in wrong.text
    kept = (await client.get(f"/api/v1/bots/{bot['id']}", headers=editor.headers)).json()
    assert kept["settings"] == other.json()["settings"]
    page = (await client.get("/api/v1/bots", headers=editor.headers)).json()
    assert page["total"] == 1 and page["items"][0]["id"] == bot["id"]
    assert (await client.delete(f"/api/v1/bots/{bot['id']}", headers=editor.headers)).status_code == 204
    assert (await client.get(f"/api/v1/bots/{bot['id']}", headers=editor.headers)).status_code == 404


async def test_other_organizations_objects_answer_404(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stranger = await make_actor(Role.owner)
    bot = await new_bot(client, owner)
    scenario = await new_scenario(client, owner, bot, example())
    sid = scenario["id"]
    for method, url, kwargs in [
        ("GET", f"/api/v1/bots/{bot['id']}", {}),
        ("PATCH", f"/api/v1/bots/{bot['id']}", {"json": {"name": "mine"}}),
        ("DELETE", f"/api/v1/bots/{bot['id']}", {}),
        ("GET", f"/api/v1/bots/{bot['id']}/scenarios", {}),
        ("POST", f"/api/v1/bots/{bot['id']}/scenarios", {"json": {"name": "x"}}),
        ("GET", f"/api/v1/scenarios/{sid}", {}),
        ("PUT", f"/api/v1/scenarios/{sid}/draft", {"json": example(), "headers": {"If-Match": '"1"'}}),
        ("POST", f"/api/v1/scenarios/{sid}/publish", {"json": {}}),
        ("GET", f"/api/v1/scenarios/{sid}/versions", {}),
        ("GET", f"/api/v1/scenarios/{sid}/export", {}),
        ("DELETE", f"/api/v1/scenarios/{sid}", {}),
    ]:
        headers = {**stranger.headers, **kwargs.pop("headers", {})}
        response = await client.request(method, url, headers=headers, **kwargs)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"] == PROBLEM
    # Nothing of theirs was touched.
    assert (await client.get(f"/api/v1/scenarios/{sid}", headers=owner.headers)).json()["revision"] == 1
    assert (await client.get("/api/v1/bots", headers=stranger.headers)).json()["total"] == 0


async def test_viewer_reads_but_cannot_write(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    viewer = await make_actor(Role.viewer, org_id=editor.org_id)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    assert (await client.get(f"/api/v1/scenarios/{scenario['id']}", headers=viewer.headers)).status_code == 200
    for method, url, body in [
        ("POST", "/api/v1/bots", {"name": "x"}),
        ("PATCH", f"/api/v1/bots/{bot['id']}", {"name": "y"}),
        ("POST", f"/api/v1/scenarios/{scenario['id']}/publish", {}),
    ]:
        response = await client.request(method, url, json=body, headers=viewer.headers)
        assert response.status_code == 403, (method, url)
        assert "editor role" in response.json()["detail"]
    draft = await client.put(f"/api/v1/scenarios/{scenario['id']}/draft", json=example(),
                             headers={**viewer.headers, "If-Match": '"1"'})
    assert draft.status_code == 403


async def test_duplicate_names_are_409(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    again = await client.post("/api/v1/bots", json={"name": "Support"}, headers=editor.headers)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    await new_scenario(client, editor, bot)
    dup = await client.post(f"/api/v1/bots/{bot['id']}/scenarios", json={"name": "main"},
                            headers=editor.headers)
    assert dup.status_code == 409
    other = await make_actor(Role.editor)  # names are per organization
    await new_bot(client, other)


async def test_bot_languages_must_include_the_default(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    response = await client.post("/api/v1/bots", json={"name": "x", "default_language": "de",
                                                       "languages": ["uk", "en"]},
                                 headers=editor.headers)
    assert response.status_code == 422
    assert "default_language 'de'" in response.json()["detail"]


# --- drafts ---------------------------------------------------------------------------------

async def test_new_scenario_without_document_gets_a_starter_in_bot_languages(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot)
    assert set(scenario["document"]["blocks"][0]["settings"]["text"]) == {"uk", "en"}
    assert scenario["validation"]["valid"] is True
    assert (await client.get(f"/api/v1/bots/{bot['id']}", headers=editor.headers)).json()[
        "main_scenario_id"] == scenario["id"]


async def test_stale_draft_write_is_409_and_overwrites_nothing(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    url = f"/api/v1/scenarios/{scenario['id']}/draft"
    fetched = await client.get(f"/api/v1/scenarios/{scenario['id']}", headers=editor.headers)
    etag = fetched.headers["etag"]
    assert etag == '"1"'

    mine, theirs = example(), example()
    mine["description"] = "mine"
    theirs["description"] = "theirs"
    saved = await client.put(url, json=theirs, headers={**editor.headers, "If-Match": etag})
    assert saved.status_code == 200 and saved.headers["etag"] == '"2"'
    stale = await client.put(url, json=mine, headers={**editor.headers, "If-Match": etag})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_revision" and stale.json()["current_revision"] == 2
    now = (await client.get(f"/api/v1/scenarios/{scenario['id']}", headers=editor.headers)).json()
    assert now["document"]["description"] == "theirs" and now["revision"] == 2


async def test_concurrent_saves_from_one_revision_let_exactly_one_win(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    url = f"/api/v1/scenarios/{scenario['id']}/draft"

    async def save(n: int):  # type: ignore[no-untyped-def]
        document = example()
        document["description"] = f"writer {n}"
        return await client.put(url, json=document, headers={**editor.headers, "If-Match": '"1"'})

    results = await asyncio.gather(*(save(n) for n in range(6)))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) == 1 and statuses.count(409) == 5, statuses
    winner = next(r for r in results if r.status_code == 200).json()["document"]["description"]
    stored = (await client.get(f"/api/v1/scenarios/{scenario['id']}", headers=editor.headers)).json()
    assert stored["document"]["description"] == winner and stored["revision"] == 2


async def test_draft_save_needs_if_match(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    scenario = await new_scenario(client, editor, await new_bot(client, editor))
    response = await client.put(f"/api/v1/scenarios/{scenario['id']}/draft", json=example(),
                                headers=editor.headers)
    assert response.status_code == 428 and "If-Match" in response.json()["detail"]


# --- bad input ------------------------------------------------------------------------------

async def test_malformed_json_is_a_400_problem(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    scenario = await new_scenario(client, editor, await new_bot(client, editor))
    for url, method in [(f"/api/v1/scenarios/{scenario['id']}/draft", "PUT"),
                        ("/api/v1/bots", "POST")]:
        response = await client.request(method, url, content=b'{"schema_version": 1,',
                                        headers={**editor.headers, "If-Match": '"1"',
                                                 "Content-Type": "application/json"})
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "malformed_json"
        assert "not valid JSON" in response.json()["detail"]


async def test_unknown_block_type_and_wrong_types_point_at_the_field(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    document = example()
    document["blocks"][1]["type"] = "teleport"
    response = await client.put(f"/api/v1/scenarios/{scenario['id']}/draft", json=document,
                                headers={**editor.headers, "If-Match": '"1"'})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["path"] == "/blocks/1/type" and "teleport" in e["message"] for e in errors), errors
    document = example()
    document["variables"][0]["scope"] = 42
    response = await client.put(f"/api/v1/scenarios/{scenario['id']}/draft", json=document,
                                headers={**editor.headers, "If-Match": '"1"'})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"].startswith("/variables/0/scope")
    stored = (await client.get(f"/api/v1/scenarios/{scenario['id']}", headers=editor.headers)).json()
    assert stored["revision"] == 1 and stored["document"] == example()  # nothing half-stored


async def test_oversize_document_is_413(client, make_actor, settings) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    scenario = await new_scenario(client, editor, await new_bot(client, editor))
    document = example()
    document["description"] = "x" * (settings.max_scenario_bytes + 10)
    response = await client.put(f"/api/v1/scenarios/{scenario['id']}/draft", json=document,
                                headers={**editor.headers, "If-Match": '"1"'})
    assert response.status_code == 413
    assert str(settings.max_scenario_bytes) in response.json()["detail"]
    huge = await client.post("/api/v1/bots", content=b"[" + b"1," * settings.max_request_bytes + b"1]",
                             headers={**editor.headers, "Content-Type": "application/json"})
    assert huge.status_code == 413


# --- validation and publishing ----------------------------------------------------------------

async def test_validate_reports_graph_errors_with_pointers_and_publish_refuses(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    document = example()
    document["edges"].append({"source": document["blocks"][0]["id"], "port": "next",
                              "target": "no-such-block"})
    scenario = await new_scenario(client, editor, bot, document)
    assert scenario["validation"]["valid"] is False  # drafts may hold graph errors
    report = (await client.post(f"/api/v1/scenarios/{scenario['id']}/validate",
                                headers=editor.headers)).json()
    assert report["valid"] is False
    dangling = [e for e in report["errors"] if e["code"] == "edge.dangling_target"]
    assert dangling and dangling[0]["path"] == f"/edges/{len(document['edges']) - 1}/target"
    publish = await client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                headers=editor.headers)
    assert publish.status_code == 422
    assert any(e["code"] == "edge.dangling_target" for e in publish.json()["errors"])
    assert (await client.get(f"/api/v1/scenarios/{scenario['id']}/versions",
                             headers=editor.headers)).json()["total"] == 0


async def test_validate_checks_translations_for_the_bot_languages(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    document = example()
    message = next(b for b in document["blocks"] if b["type"] == "message")
    index = document["blocks"].index(message)
    del message["settings"]["text"]["uk"]
    report = (await client.post(f"/api/v1/scenarios/{scenario['id']}/validate", json=document,
                                headers=editor.headers)).json()
    missing = [e for e in report["errors"] if e["code"] == "text.missing_default_language"]
    assert missing and missing[0]["path"] == f"/blocks/{index}/settings/text/uk"


async def test_publish_versions_are_immutable_and_numbered(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    sid = scenario["id"]
    v1 = await client.post(f"/api/v1/scenarios/{sid}/publish", json={"changelog": "first"},
                           headers=editor.headers)
    assert v1.status_code == 201, v1.text
    assert v1.json()["number"] == 1 and v1.json()["live"] is True
    assert v1.json()["author"] == f"user:{editor.user_id}"

    changed = example()
    changed["blocks"][0]["name"] = "Renamed"
    saved = await client.put(f"/api/v1/scenarios/{sid}/draft", json=changed,
                             headers={**editor.headers, "If-Match": '"1"'})
    assert saved.status_code == 200
    v2 = await client.post(f"/api/v1/scenarios/{sid}/publish", json={"changelog": "second",
                                                                     "revision": 2},
                           headers=editor.headers)
    assert v2.json()["number"] == 2
    # Version 1 still holds exactly what was published then.
    first = (await client.get(f"/api/v1/scenarios/{sid}/versions/1", headers=editor.headers)).json()
    assert first["document"] == example() and first["live"] is False
    listed = (await client.get(f"/api/v1/scenarios/{sid}/versions", headers=editor.headers)).json()
    assert [v["number"] for v in listed["items"]] == [2, 1] and listed["total"] == 2
    assert (await client.put(f"/api/v1/scenarios/{sid}/versions/1", json={},
                             headers=editor.headers)).status_code == 405
    stale = await client.post(f"/api/v1/scenarios/{sid}/publish", json={"revision": 1},
                              headers=editor.headers)
    assert stale.status_code == 409


async def test_version_rows_refuse_updates(runtime) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from core.db import transaction
    from gateway.orgs.models import Organization
    from scenarios.bot.models import Bot
    from scenarios.scenario.models import Scenario, ScenarioVersion

    async with transaction(runtime.sessionmaker) as session:
        org = Organization(name="o", slug=f"o-{uuid.uuid4().hex[:8]}")
        session.add(org)
        await session.flush()
        bot = Bot(org_id=org.id, name="b", default_language="uk", languages=["uk"], settings={})
        session.add(bot)
        await session.flush()
        scenario = Scenario(org_id=org.id, bot_id=bot.id, name="s", draft={})
        session.add(scenario)
        await session.flush()
        version = ScenarioVersion(org_id=org.id, bot_id=bot.id, scenario_id=scenario.id,
                                  number=1, document={}, document_hash="x", author="t")
        session.add(version)
    with pytest.raises(RuntimeError, match="immutable"):
        async with transaction(runtime.sessionmaker) as session:
            stored = await session.get(ScenarioVersion, version.id)
            stored.changelog = "rewritten history"


async def test_concurrent_publishes_get_distinct_numbers(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    scenario = await new_scenario(client, editor, await new_bot(client, editor), example())
    results = await asyncio.gather(*(
        client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={"changelog": str(n)},
                    headers=editor.headers) for n in range(4)))
    numbers = sorted(r.json()["number"] for r in results if r.status_code == 201)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 1
    assert all(r.status_code in (201, 409, 503) for r in results)


async def test_diff_and_rollback(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    scenario = await new_scenario(client, editor, await new_bot(client, editor), example())
    sid = scenario["id"]
    await client.post(f"/api/v1/scenarios/{sid}/publish", json={}, headers=editor.headers)
    changed = example()
    removed = changed["blocks"].pop()  # the last block goes, with its edges
    changed["edges"] = [e for e in changed["edges"]
                        if removed["id"] not in (e["source"], e["target"])]
    changed["blocks"][0]["layout"] = {"x": 999, "y": 999}
    await client.put(f"/api/v1/scenarios/{sid}/draft", json=changed,
                     headers={**editor.headers, "If-Match": '"1"'})
    v2 = await client.post(f"/api/v1/scenarios/{sid}/publish", json={}, headers=editor.headers)
    assert v2.status_code == 201, v2.text

    diff = (await client.get(f"/api/v1/scenarios/{sid}/diff", params={"from": 1, "to": 2},
                             headers=editor.headers)).json()
    assert diff["blocks"]["removed"] == [removed["id"]]
    assert diff["blocks"]["added"] == []
    layout_change = [c for c in diff["blocks"]["changed"] if c["id"] == changed["blocks"][0]["id"]]
    assert layout_change and layout_change[0]["layout_only"] is True
    assert diff["edges"]["removed"]

    rolled = await client.post(f"/api/v1/scenarios/{sid}/versions/1/rollback", json={},
                               headers=editor.headers)
    assert rolled.status_code == 201
    assert rolled.json()["number"] == 3 and rolled.json()["rolled_back_from"] == 1
    assert rolled.json()["live"] is True
    v3 = (await client.get(f"/api/v1/scenarios/{sid}/versions/3", headers=editor.headers)).json()
    assert v3["document"] == example()
    same = (await client.get(f"/api/v1/scenarios/{sid}/diff", params={"from": 1, "to": 3},
                             headers=editor.headers)).json()
    assert same["blocks"] == {"added": [], "removed": [], "changed": []}
    info = (await client.get(f"/api/v1/scenarios/{sid}", headers=editor.headers)).json()
    assert info["live_version"] == 3 and info["document"] == changed  # the draft is kept
    missing = await client.post(f"/api/v1/scenarios/{sid}/versions/9/rollback", json={},
                                headers=editor.headers)
    assert missing.status_code == 404


# --- import and export --------------------------------------------------------------------------

async def test_export_import_round_trips_exactly(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    scenario = await new_scenario(client, editor, bot, example())
    exported = await client.get(f"/api/v1/scenarios/{scenario['id']}/export", headers=editor.headers)
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    file = exported.json()
    assert file["format"] == "rozmova.scenario" and file["document"] == example()

    other_bot = await new_bot(client, editor, "Copy")
    imported = await client.post(f"/api/v1/bots/{other_bot['id']}/scenarios/import", json=file,
                                 headers=editor.headers)
    assert imported.status_code == 201, imported.text
    again = await client.get(f"/api/v1/scenarios/{imported.json()['id']}/export",
                             headers=editor.headers)
    assert again.content == exported.content  # byte for byte


async def test_import_validates(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    broken = example()
    broken["entry"]["start"] = "nowhere"
    file = {"format": "rozmova.scenario", "name": "broken", "document": broken}
    refused = await client.post(f"/api/v1/bots/{bot['id']}/scenarios/import", json=file,
                                headers=editor.headers)
    assert refused.status_code == 422
    assert any(e["path"] == "/entry/start" for e in refused.json()["errors"])
    kept = await client.post(f"/api/v1/bots/{bot['id']}/scenarios/import",
                             params={"allow_invalid": "true"}, json=file, headers=editor.headers)
    assert kept.status_code == 201 and kept.json()["validation"]["valid"] is False
    not_a_file = await client.post(f"/api/v1/bots/{bot['id']}/scenarios/import",
                                   json={"hello": 1}, headers=editor.headers)
    assert not_a_file.status_code == 422 and "export file" in not_a_file.json()["detail"]


async def test_import_upgrades_an_older_format(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    legacy = {"schema_version": 0, "entry": {"start": "hi"}, "variables": [],
              "blocks": [{"id": "hi", "type": "message", "settings": {"text": "Привіт"},
                          "next": "bye"},
                         {"id": "bye", "type": "end", "settings": {}}]}
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios/import",
                                json={"format": "rozmova.scenario", "name": "legacy",
                                      "document": legacy},
                                params={"allow_invalid": "true"}, headers=editor.headers)
    assert created.status_code == 201, created.text
    document = created.json()["document"]
    assert document["schema_version"] == CURRENT_SCHEMA_VERSION
    # The author is told: the stored draft is the upgraded document.
    assert "schema.upgraded" in [w["code"] for w in created.json()["validation"]["warnings"]]
    assert document["blocks"][0]["settings"]["text"] == {"uk": "Привіт"}
    assert document["edges"] == [{"source": "hi", "port": "next", "target": "bye"}]


async def test_newer_format_is_refused_with_a_clear_message(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot = await new_bot(client, editor)
    document = example()
    document["schema_version"] = 99
    response = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                 json={"name": "future", "document": document},
                                 headers=editor.headers)
    assert response.status_code == 422
    assert "99" in response.json()["detail"]


# --- the published format ------------------------------------------------------------------------

async def test_schema_endpoint_serves_the_checked_in_schema(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/schemas/scenario")
    assert response.status_code == 200
    checked_in = json.loads((Path(__file__).resolve().parents[2] / "scenarios" / "format" /
                             "scenario.schema.json").read_text())
    assert response.json() == checked_in
    types = (await client.get("/api/v1/block-types")).json()
    assert {"message", "input", "condition", "set_variable", "jump", "wait", "handoff",
            "end"} <= {t["name"] for t in types}
    # Every type is named and described in both interface languages (a type registered
    # without titles is called by its name in English).
    for block_type in types:
        assert block_type["titles"]["en"] and block_type["descriptions"]["en"]
        assert block_type["descriptions"]["en"] == block_type["description"]
    by_name = {t["name"]: t for t in types}
    assert by_name["message"]["titles"] == {"en": "Message", "uk": "Повідомлення"}
    assert by_name["set_variable"]["titles"]["en"] == "Set variable"
    assert by_name["module"]["descriptions"]["uk"].startswith("Виконати опублікований модуль")
    builtin = {"message", "input", "condition", "set_variable", "jump", "wait", "handoff",
               "end", "set_language", "script", "http", "module"}
    assert all("uk" in by_name[name]["titles"] for name in builtin)


async def test_the_builder_draws_the_ports_of_every_block_type_whose_ports_vary(client) -> None:  # type: ignore[no-untyped-def]
    """A type whose ports depend on its settings (`dynamic_ports`) is drawn on the builder's
    canvas with the ports builder-ui/builder/src/editor/ports.ts derives; a type that file does
    not know is drawn with `next` alone, and its real ports as broken (an intent block's
    intents were, until it knew them)."""
    types = (await client.get("/api/v1/block-types")).json()
    dynamic = sorted(t["name"] for t in types if t["dynamic_ports"])
    assert {"message", "input", "jump", "intent", "llm"} <= set(dynamic)
    ports_ts = (Path(__file__).resolve().parents[2] / "builder-ui" / "builder" / "src" /
                "editor" / "ports.ts").read_text()
    unknown = [name for name in dynamic if f'case "{name}":' not in ports_ts]
    assert not unknown, f"the builder cannot draw the ports of: {', '.join(unknown)}"
