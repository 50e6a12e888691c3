"""Validation through the API knows the bot: a jump names one of its scenarios, and one that
is not published yet is a warning, not a refusal."""

from __future__ import annotations

from core.security import Role


def calling(target: str) -> dict:
    """A scenario whose start block calls scenario `target` and then says goodbye."""
    return {
        "schema_version": 2,
        "entry": {"start": "call"},
        "variables": [],
        "blocks": [
            {"id": "call", "type": "jump", "settings": {"scenario": target}},
            {"id": "bye", "type": "message",
             "settings": {"text": {"uk": "Бувайте", "en": "Bye"}}},
        ],
        "edges": [{"source": "call", "port": "next", "target": "bye"}],
    }


async def setup(client, editor) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    bot = (await client.post("/api/v1/bots", json={"name": "Shop"},
                             headers=editor.headers)).json()
    order = await client.post(f"/api/v1/bots/{bot['id']}/scenarios", json={"name": "order"},
                              headers=editor.headers)
    assert order.status_code == 201, order.text
    return bot, order.json()


async def new_scenario(client, editor, bot, document) -> dict:  # type: ignore[no-untyped-def]
    response = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                 json={"name": "main", "document": document},
                                 headers=editor.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_jump_to_a_misspelt_scenario_is_an_error_naming_the_right_one(  # type: ignore[no-untyped-def]
        client, make_actor) -> None:
    editor = await make_actor(Role.editor)
    bot, _ = await setup(client, editor)
    scenario = await new_scenario(client, editor, bot, calling("ordr"))
    # A draft may hold it (it is work in progress) but says so.
    saved = scenario["validation"]
    assert saved["valid"] is False
    assert [(e["code"], e["path"]) for e in saved["errors"]] == [
        ("jump.unknown_scenario", "/blocks/0/settings/scenario")]
    assert "'order'" in saved["errors"][0]["message"]

    report = (await client.post(f"/api/v1/scenarios/{scenario['id']}/validate",
                                headers=editor.headers)).json()
    assert [e["code"] for e in report["errors"]] == ["jump.unknown_scenario"]

    publish = await client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                headers=editor.headers)
    assert publish.status_code == 422, publish.text
    error = publish.json()["errors"][0]
    assert error["code"] == "jump.unknown_scenario"
    assert error["path"] == "/blocks/0/settings/scenario"
    assert "Did you mean 'order'?" in error["message"]


async def test_a_jump_to_an_unpublished_scenario_warns_and_publishes(  # type: ignore[no-untyped-def]
        client, make_actor) -> None:
    editor = await make_actor(Role.editor)
    bot, order = await setup(client, editor)
    scenario = await new_scenario(client, editor, bot, calling("order"))
    report = (await client.post(f"/api/v1/scenarios/{scenario['id']}/validate",
                                headers=editor.headers)).json()
    assert report["valid"] is True
    warning = next(w for w in report["warnings"] if w["code"] == "jump.unpublished_scenario")
    assert warning["path"] == "/blocks/0/settings/scenario"
    assert "apology until it is published" in warning["message"]

    publish = await client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                headers=editor.headers)
    assert publish.status_code == 201, publish.text
    # The publish answer carries the warning too: the author sees it where they published.
    assert [w["path"] for w in publish.json()["warnings"]
            if w["code"] == "jump.unpublished_scenario"] == [warning["path"]]

    # Once the target is live, the warning is gone.
    live = await client.post(f"/api/v1/scenarios/{order['id']}/publish", json={},
                             headers=editor.headers)
    assert live.status_code == 201, live.text
    report = (await client.post(f"/api/v1/scenarios/{scenario['id']}/validate",
                                headers=editor.headers)).json()
    assert not [w for w in report["warnings"] if w["code"].startswith("jump.")]


async def test_a_scenario_may_call_itself(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    bot, _ = await setup(client, editor)
    scenario = await new_scenario(client, editor, bot, calling("main"))
    codes = [i["code"] for i in scenario["validation"]["errors"]
             + scenario["validation"]["warnings"]]
    assert not [c for c in codes if c.startswith("jump.")]
