"""diff_documents: added, removed and changed blocks, edges and variables."""

from __future__ import annotations

import copy

from scenarios.format import ScenarioDocument, diff_documents


def test_identical_documents(example):
    diff = diff_documents(example, ScenarioDocument.model_validate(example))
    assert diff.summary == "no changes" and diff.empty
    assert not diff.entry_changed and diff.blocks.changed == []


def test_added_removed_changed_and_moved(example):
    new = copy.deepcopy(example)
    new["blocks"][3]["settings"]["prompt"]["en"] = "Your email, please."
    new["blocks"][3]["settings"]["max_attempts"] = 5
    new["blocks"][0]["layout"] = {"x": 10, "y": 20}
    removed = new["blocks"].pop(1)  # help
    new["blocks"].append({"id": "extra", "type": "wait", "settings": {"seconds": 5}})
    new["blocks"].append({"id": "extra2", "type": "end"})
    new["edges"] = [e for e in new["edges"] if e["source"] != removed["id"]]
    new["edges"][0]["id"] = "renamed"  # ids do not matter, only (source, port, target)
    new["edges"].append({"source": "confirm", "port": "next", "target": "extra"})
    new["variables"][2]["default"] = 48
    new["variables"].append({"name": "phone", "type": "string"})
    new["entry"]["commands"] = {}

    diff = diff_documents(example, new)
    assert diff.blocks.added == ["extra", "extra2"]
    assert diff.blocks.removed == ["help"]
    changed = {c.id: c for c in diff.blocks.changed}
    assert list(changed) == ["greet", "ask_email"]
    assert changed["greet"].fields == ["layout"] and changed["greet"].layout_only
    assert changed["ask_email"].fields == ["settings.max_attempts", "settings.prompt.en"]
    assert not changed["ask_email"].layout_only
    assert [(e.source, e.port, e.target) for e in diff.edges.added] == [
        ("confirm", "next", "extra")]
    assert [(e.source, e.target) for e in diff.edges.removed] == [("help", "greet")]
    assert diff.variables.added == ["phone"] and diff.variables.changed == ["response_hours"]
    assert diff.variables.removed == []
    assert diff.entry_changed
    assert diff.summary == ("2 blocks added, 1 removed, 1 changed, 1 moved, 1 edge added, "
                            "1 removed, 1 variable added, 1 changed, entry points changed")


def test_diff_is_deterministic(example):
    new = copy.deepcopy(example)
    new["blocks"].reverse()
    first = diff_documents(example, new).model_dump()
    assert first == diff_documents(example, new).model_dump()
    assert first["summary"] == "no changes"


def test_type_change_and_list_growth(example):
    new = copy.deepcopy(example)
    new["blocks"][0]["settings"]["buttons"].append(
        {"id": "more", "label": {"uk": "Ще", "en": "More"}})
    new["blocks"][7]["type"] = "end"
    new["blocks"][7]["settings"] = {}
    new["name"] = "Support"
    diff = diff_documents(example, new)
    changed = {c.id: c.fields for c in diff.blocks.changed}
    assert changed == {"greet": ["settings.buttons"],
                       "back_to_menu": ["settings.block", "type"]}
    assert diff.details_changed and diff.summary.endswith("name or description changed")
