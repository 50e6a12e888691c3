"""Format migrations: upgrading format 0 and refusing what cannot be upgraded."""

from __future__ import annotations

import copy

import pytest

from scenarios.format import (
    CURRENT_SCHEMA_VERSION,
    FormatVersionError,
    ScenarioDocument,
    upgrade,
    validate_document,
)

V0 = {
    "schema_version": 0,
    "entry": {"start": "hello"},
    "variables": [{"name": "name", "type": "string"}],
    "blocks": [
        {"id": "hello", "type": "message",
         "settings": {"text": "Привіт!", "buttons": [{"id": "go", "label": "Далі"}],
                      "media": {"kind": "image", "url": "https://example.com/a.png",
                                "caption": "Фото"}},
         "next": "ask"},
        {"id": "ask", "type": "input",
         "settings": {"kind": "choice", "prompt": "Як вас звати?", "variable": "name",
                      "choices": [{"id": "a", "label": "Оля"}], "reprompt": "Ще раз"},
         "next": "bye"},
        {"id": "bye", "type": "end", "settings": {"message": "Бувай, {{ name }}"}},
    ],
    "edges": [{"source": "hello", "port": "go", "target": "ask"}],
}


def test_v0_texts_become_language_maps_and_next_becomes_edges():
    original = copy.deepcopy(V0)
    upgraded, passed = upgrade(V0, default_language="en")
    assert V0 == original, "the input must not be changed"
    assert passed == list(range(CURRENT_SCHEMA_VERSION)) \
        and upgraded["schema_version"] == CURRENT_SCHEMA_VERSION
    hello, ask, bye = upgraded["blocks"]
    assert hello["settings"]["text"] == {"en": "Привіт!"}
    assert hello["settings"]["buttons"][0]["label"] == {"en": "Далі"}
    assert hello["settings"]["media"]["caption"] == {"en": "Фото"}
    assert ask["settings"]["prompt"] == {"en": "Як вас звати?"}
    assert ask["settings"]["choices"][0]["label"] == {"en": "Оля"}
    assert ask["settings"]["reprompt"] == {"en": "Ще раз"}
    assert ask["settings"]["variable"] == "name"
    assert bye["settings"]["message"] == {"en": "Бувай, {{ name }}"}
    assert "next" not in hello and "next" not in ask
    assert upgraded["edges"] == [
        {"source": "hello", "port": "go", "target": "ask"},
        {"source": "hello", "port": "next", "target": "ask"},
        {"source": "ask", "port": "next", "target": "bye"},
    ]
    ScenarioDocument.model_validate(upgraded)


def test_default_language_defaults_to_uk():
    upgraded, _ = upgrade(V0)
    assert upgraded["blocks"][0]["settings"]["text"] == {"uk": "Привіт!"}


def test_current_document_is_copied_untouched(example):
    upgraded, passed = upgrade(example)
    assert passed == [] and upgraded == example and upgraded is not example


def test_v0_through_validation_uses_the_bots_default_language():
    report = validate_document(V0, ["en"], "en")
    assert report.valid, report.errors
    assert report.upgraded_from == 0
    assert report.document.blocks[0].settings["text"] == {"en": "Привіт!"}


@pytest.mark.parametrize("version", [CURRENT_SCHEMA_VERSION + 1, 99])
def test_newer_than_current_is_rejected(version):
    with pytest.raises(FormatVersionError, match="newer"):
        upgrade({**V0, "schema_version": version})


@pytest.mark.parametrize("data", [{"entry": {}}, {"schema_version": "1"},
                                  {"schema_version": True}])
def test_missing_or_non_integer_version_is_rejected(data):
    with pytest.raises(FormatVersionError):
        upgrade(data)


def test_no_migration_path():
    with pytest.raises(FormatVersionError, match="no migration from format -1"):
        upgrade({**V0, "schema_version": -1})
    assert issubclass(FormatVersionError, ValueError)


def test_v0_migration_tolerates_junk():
    upgraded, _ = upgrade({"schema_version": 0, "blocks": [1, {"type": 5}, {"next": None}],
                           "edges": "x"})
    assert upgraded["blocks"] == [1, {"type": 5}, {}]
    report = validate_document({"schema_version": 0, "blocks": "x"}, ["uk"], "uk")
    assert not report.valid
