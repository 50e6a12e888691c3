"""Preview conversations: an author tries the draft (or a version) before publishing, from the
builder's test panel; nothing is published, the conversation is the author's own and is not
the bot's traffic, and a draft that cannot run says why, field by field."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from core.security import Role


def document(greeting: str, *, broken: bool = False) -> dict[str, Any]:
    """Ask a name, greet with it; `broken`: the input writes a variable nobody declared."""
    return {
        "schema_version": 2,
        "entry": {"start": "ask"},
        "variables": [{"name": "name", "type": "string", "scope": "conversation"}],
        "blocks": [
            {"id": "ask", "type": "input", "layout": {"x": 0, "y": 0}, "settings": {
                "kind": "text", "variable": "nobody" if broken else "name",
                "prompt": {"uk": "Як вас звати?", "en": "What is your name?"}}},
            {"id": "greet", "type": "message", "layout": {"x": 0, "y": 120}, "settings": {
                "text": {"uk": f"{greeting}, {{{{name}}}}!", "en": f"{greeting}, {{{{name}}}}!"}}},
        ],
        "edges": [{"source": "ask", "port": "next", "target": "greet"}],
    }


@pytest.fixture
async def authoring(client, make_actor):  # type: ignore[no-untyped-def]
    """(editor, bot id, scenario id) with a draft that was never published."""
    editor = await make_actor(Role.editor)
    bot = await client.post("/api/v1/bots", json={
        "name": "Preview", "default_language": "uk", "languages": ["uk", "en"]},
        headers=editor.headers)
    assert bot.status_code == 201, bot.text
    scenario = await client.post(f"/api/v1/bots/{bot.json()['id']}/scenarios", json={
        "name": "main", "document": document("Привіт")}, headers=editor.headers)
    assert scenario.status_code == 201, scenario.text
    return editor, bot.json()["id"], scenario.json()["id"]


async def say(client, headers, conversation_id: str, text: str) -> dict:  # type: ignore[no-untyped-def]
    answer = await client.post(f"/api/v1/conversations/{conversation_id}/messages",
                               json={"text": text, "client_message_id": text},
                               headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_the_draft_runs_unpublished_and_keeps_the_revision_it_started_on(
        client, authoring) -> None:  # type: ignore[no-untyped-def]
    editor, bot_id, scenario_id = authoring
    started = await client.post(f"/api/v1/scenarios/{scenario_id}/preview", json={},
                                headers=editor.headers)
    assert started.status_code == 201, started.text
    preview = started.json()
    assert preview["version"] is None and preview["revision"] == 1
    assert [m["text"] for m in preview["answer"]["messages"]] == ["Як вас звати?"]
    assert preview["resume_token"]
    scenario = (await client.get(f"/api/v1/scenarios/{scenario_id}",
                                 headers=editor.headers)).json()
    assert scenario["live_version"] is None  # nothing was published

    # The author edits the draft meanwhile: the running preview keeps revision 1.
    edited = await client.put(f"/api/v1/scenarios/{scenario_id}/draft",
                              json=document("Вітаю"), headers={**editor.headers,
                                                               "If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    answer = await say(client, editor.headers, preview["conversation_id"], "Олена")
    assert [m["text"] for m in answer["messages"]] == ["Привіт, Олена!"]
    # A new preview runs the new revision; the same revision twice is one frozen copy.
    second = (await client.post(f"/api/v1/scenarios/{scenario_id}/preview", json={
        "language": "en"}, headers=editor.headers)).json()
    third = (await client.post(f"/api/v1/scenarios/{scenario_id}/preview",
                               headers=editor.headers)).json()
    assert second["revision"] == third["revision"] == 2
    assert second["version_id"] == third["version_id"] != preview["version_id"]
    assert [m["text"] for m in second["answer"]["messages"]] == ["What is your name?"]
    answer = await say(client, editor.headers, second["conversation_id"], "Olena")
    assert [m["text"] for m in answer["messages"]] == ["Вітаю, Olena!"]

    # Traces are there for the test panel; the previews are not the bot's traffic.
    trace = (await client.get(f"/api/v1/conversations/{second['conversation_id']}/trace",
                              headers=editor.headers)).json()
    assert trace["items"] and trace["items"][0]["version_id"] == second["version_id"]
    listed = (await client.get(f"/api/v1/bots/{bot_id}/conversations",
                               headers=editor.headers)).json()["items"]
    assert listed == []
    previews = (await client.get(f"/api/v1/bots/{bot_id}/conversations",
                                 params={"preview": "true"}, headers=editor.headers)).json()
    assert {c["id"] for c in previews["items"]} == {
        preview["conversation_id"], second["conversation_id"], third["conversation_id"]}
    assert {c["end_user_id"] for c in previews["items"]} == {f"preview:{editor.user_id}"}
    assert {c["channel"] for c in previews["items"]} == {"preview"}


async def test_a_published_version_can_be_previewed_too(client, authoring) -> None:  # type: ignore[no-untyped-def]
    editor, _, scenario_id = authoring
    published = await client.post(f"/api/v1/scenarios/{scenario_id}/publish",
                                  json={"changelog": "first"}, headers=editor.headers)
    assert published.status_code == 201, published.text
    await client.put(f"/api/v1/scenarios/{scenario_id}/draft", json=document("Добридень"),
                     headers={**editor.headers, "If-Match": '"1"'})
    started = await client.post(f"/api/v1/scenarios/{scenario_id}/preview",
                                json={"version": 1}, headers=editor.headers)
    assert started.status_code == 201, started.text
    assert started.json()["version"] == 1 and started.json()["revision"] is None
    answer = await say(client, editor.headers, started.json()["conversation_id"], "Олена")
    assert [m["text"] for m in answer["messages"]] == ["Привіт, Олена!"]
    missing = await client.post(f"/api/v1/scenarios/{scenario_id}/preview",
                                json={"version": 7}, headers=editor.headers)
    assert missing.status_code == 404 and "no version 7" in missing.json()["detail"]


async def test_a_draft_that_cannot_run_says_why_field_by_field(client, authoring) -> None:  # type: ignore[no-untyped-def]
    editor, _, scenario_id = authoring
    await client.put(f"/api/v1/scenarios/{scenario_id}/draft",
                     json=document("Привіт", broken=True),
                     headers={**editor.headers, "If-Match": '"1"'})
    refused = await client.post(f"/api/v1/scenarios/{scenario_id}/preview",
                                headers=editor.headers)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert any(e["path"].startswith("/blocks/0/settings/variable") for e in problem["errors"]), \
        json.dumps(problem, ensure_ascii=False)


async def test_who_may_preview(client, authoring, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor, bot_id, scenario_id = authoring
    viewer = await make_actor(Role.viewer, org_id=editor.org_id)
    stranger = await make_actor(Role.owner)
    url = f"/api/v1/scenarios/{scenario_id}/preview"
    assert (await client.post(url)).status_code == 401
    assert (await client.post(url, headers=viewer.headers)).status_code == 403
    assert (await client.post(url, headers=stranger.headers)).status_code == 404
    # The preview channel is the builder's: a public start cannot hide a conversation there.
    hidden = await client.post(f"/api/v1/bots/{bot_id}/conversations", json={
        "channel": "preview"}, headers=editor.headers)
    assert hidden.status_code == 422 and "reserved" in hidden.text
    # Nor can a person take an author's preview id (and with it the preview's variables).
    for taken in (f"preview:{editor.user_id}", f"preview-bot:preview:{editor.user_id}"):
        borrowed = await client.post(f"/api/v1/bots/{bot_id}/conversations", json={
            "end_user_id": taken}, headers=editor.headers)
        assert borrowed.status_code == 422, borrowed.text
        assert "builder's previews' own" in borrowed.json()["detail"]


async def test_the_test_panel_chats_over_the_widget_socket(client, server, authoring,
                                                           runtime) -> None:  # type: ignore[no-untyped-def]
    """The builder joins the preview with the bot's chat key and the resume token, as the
    widget rejoins a conversation, and goes on chatting with the draft there."""
    from chat.contract import ensure_chat_key
    from core.db import transaction
    from tests.realtime.test_websocket_protocol import open_chat, texts

    editor, bot_id, scenario_id = authoring
    async with transaction(runtime.sessionmaker) as session:
        await ensure_chat_key(session=session, bot_id=uuid.UUID(bot_id),
                              org_id=editor.org_id, key="rzc_preview_panel")
    preview = (await client.post(f"/api/v1/scenarios/{scenario_id}/preview",
                                 headers=editor.headers)).json()
    panel, frames = await open_chat(server, "rzc_preview_panel", batch=False, resume={
        "token": preview["resume_token"], "last_seq": 0})
    assert frames[0]["type"] == "welcome" and frames[0]["resumed"] is True
    assert frames[0]["conversation_id"] == preview["conversation_id"]
    assert texts(frames) == ["Як вас звати?"]
    assert texts(await panel.say(text="Олена")) == ["Привіт, Олена!"]
    await panel.ws.close()


def counting(label: str) -> dict[str, Any]:
    """Counts visits in a bot-scope variable, says the count, then waits for a word."""
    return {
        "schema_version": 2,
        "entry": {"start": "count"},
        "variables": [{"name": "visits", "type": "number", "scope": "bot", "default": 0},
                      {"name": "word", "type": "string"}],
        "blocks": [
            {"id": "count", "type": "set_variable", "settings": {
                "variable": "visits", "expression": "visits + 1"}},
            {"id": "say", "type": "message", "settings": {
                "text": {"uk": f"{label} {{{{visits}}}}", "en": f"{label} {{{{visits}}}}"}}},
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "word", "prompt": {"uk": "?", "en": "?"}}},
        ],
        "edges": [{"source": "count", "target": "say"}, {"source": "say", "target": "ask"}],
    }


async def test_a_preview_never_changes_the_bots_shared_values(client, authoring) -> None:  # type: ignore[no-untyped-def]
    editor, bot_id, scenario_id = authoring
    saved = await client.put(f"/api/v1/scenarios/{scenario_id}/draft", json=counting("live"),
                             headers={**editor.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    published = await client.post(f"/api/v1/scenarios/{scenario_id}/publish", json={},
                                  headers=editor.headers)
    assert published.status_code == 201, published.text

    async def visit(path: str, **body: Any) -> list[str]:
        answer = await client.post(path, json=body, headers=editor.headers)
        assert answer.status_code == 201, answer.text
        data = answer.json()
        return [m["text"] for m in data.get("answer", data)["messages"]]

    people = f"/api/v1/bots/{bot_id}/conversations"
    preview = f"/api/v1/scenarios/{scenario_id}/preview"
    assert await visit(people) == ["live 1", "?"]
    # The author's previews count on their own copy, over the bot's value...
    assert await visit(preview) == ["live 2", "?"]
    assert await visit(preview) == ["live 3", "?"]
    # ...while people's conversations never see the previews' counting.
    assert await visit(people) == ["live 2", "?"]
    assert await visit(people) == ["live 3", "?"]
    assert await visit(preview) == ["live 4", "?"]


async def test_an_expired_preview_restarts_on_what_it_previews(client, authoring) -> None:  # type: ignore[no-untyped-def]
    editor, bot_id, scenario_id = authoring
    saved = await client.put(f"/api/v1/scenarios/{scenario_id}/draft", json=counting("live"),
                             headers={**editor.headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.text
    assert (await client.post(f"/api/v1/scenarios/{scenario_id}/publish", json={},
                              headers=editor.headers)).status_code == 201
    saved = await client.put(f"/api/v1/scenarios/{scenario_id}/draft",
                             json=counting("draft"),
                             headers={**editor.headers, "If-Match": '"2"'})
    assert saved.status_code == 200, saved.text
    started = await client.post(f"/api/v1/scenarios/{scenario_id}/preview", json={},
                                headers=editor.headers)
    assert started.status_code == 201, started.text
    conversation_id = started.json()["conversation_id"]
    assert [m["text"] for m in started.json()["answer"]["messages"]] == ["draft 1", "?"]
    settings = await client.patch(f"/api/v1/bots/{bot_id}", json={
        "settings": {"expiry_seconds": 1, "on_expiry": "restart"}}, headers=editor.headers)
    assert settings.status_code == 200, settings.text
    import asyncio
    await asyncio.sleep(1.2)
    answer = await say(client, editor.headers, conversation_id, "again")
    assert [m["text"] for m in answer["messages"]] == ["draft 2", "?"]
