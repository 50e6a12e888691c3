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


# --- format 1 -> 2: `+` that joined text keeps joining text -------------------------------------

def v1_expressions(*expressions: str, variables: list[dict] | None = None) -> dict:
    return {
        "schema_version": 1,
        "entry": {"start": "s0"},
        "variables": variables if variables is not None else [
            {"name": "id", "type": "any"}, {"name": "n", "type": "number"},
            {"name": "name", "type": "string"}, {"name": "day", "type": "date"},
            {"name": "out", "type": "any"}],
        "blocks": [{"id": f"s{index}", "type": "set_variable",
                    "settings": {"variable": "out", "expression": expression}}
                   for index, expression in enumerate(expressions)],
        "edges": [],
    }


def migrated(*expressions: str, **more) -> list[str]:
    upgraded, passed = upgrade(v1_expressions(*expressions, **more))
    assert 1 in passed
    return [block["settings"]["expression"] for block in upgraded["blocks"]]


@pytest.mark.parametrize(("before", "after"), [
    ('"Order " + id', '"Order " + str(id)'),
    ("'Order ' + n", "'Order ' + str(n)"),
    ("n + ' items'", "str(n) + ' items'"),
    ("name + n", "name + str(n)"),                         # a declared string variable
    ("day + 1", "day + str(1)"),                           # dates are text
    ("upper(name) + n", "upper(name) + str(n)"),           # text functions
    ("'Total: ' + n + id", "'Total: ' + str(n) + str(id)"),  # nested: the left is text
    ("n + id + '!'", "str(n + id) + '!'"),                 # the numbers add first, as before
    ("'a' + (n + 'b')", "'a' + (str(n) + 'b')"),
    ("'%.2f' % n + n", "'%.2f' % n + str(n)"),
    ("user_id + n", "user_id + str(n)"),                   # system variables hold text
    ("'Дякуємо, ' + id", "'Дякуємо, ' + str(id)"),         # positions count UTF-8 bytes
    ("  'x' + n  ", "'x' + str(n)"),
])
def test_v1_text_joins_get_str(before, after):
    assert migrated(before) == [after]


@pytest.mark.parametrize("unchanged", [
    "n + 1", "id + n", "n + id * 2", "'a' + 'b'", "name + 'x'", "str(n) + ' items'",
    "round(n * 1.2, 2)", "len(name) > 3", "(", "'a' +", "", "n +\n 1",
])
def test_v1_expressions_without_text_joins_are_untouched(unchanged):
    assert migrated(unchanged) == [unchanged]


def test_v1_a_declared_variable_shadows_a_system_one():
    assert migrated("language + 1", variables=[{"name": "language", "type": "number"}]) == [
        "language + 1"]


def test_v1_migration_tolerates_junk():
    upgraded, _ = upgrade({"schema_version": 1, "variables": "x", "blocks": [
        1, {"type": "set_variable"}, {"type": "set_variable", "settings": {"expression": 5}},
        {"type": "set_variable", "settings": {"expression": "'a' + x"}}]})
    assert upgraded["blocks"][:3] == [1, {"type": "set_variable"},
                                      {"type": "set_variable", "settings": {"expression": 5}}]
    assert upgraded["blocks"][3]["settings"]["expression"] == "'a' + str(x)"
    assert upgrade({"schema_version": 1, "blocks": "x"})[0]["blocks"] == "x"


def test_v1_document_says_the_same_text_after_the_upgrade():
    from tests.unit.orchestrator.conftest import Chat, compile_doc, texts

    doc = {
        "schema_version": 1,
        "entry": {"start": "ask"},
        "variables": [{"name": "total", "type": "number"},
                      {"name": "summary", "type": "string"},
                      {"name": "label", "type": "string"}],
        "blocks": [
            {"id": "ask", "type": "input",
             "settings": {"kind": "number", "variable": "total",
                          "prompt": {"en": "How much?", "uk": "Скільки?"}}},
            {"id": "sum", "type": "set_variable",
             "settings": {"variable": "summary", "expression": '"Total: " + total'}},
            {"id": "label", "type": "set_variable",
             "settings": {"variable": "label", "expression": "total + 1 + ' UAH'"}},
            {"id": "bye", "type": "end",
             "settings": {"message": {"en": "{{ summary }} ({{ label }})",
                                      "uk": "{{ summary }} ({{ label }})"}}},
        ],
        "edges": [{"source": "ask", "port": "next", "target": "sum"},
                  {"source": "sum", "port": "next", "target": "label"},
                  {"source": "label", "port": "next", "target": "bye"}],
    }
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.say("41")
    assert texts(result) == ["Total: 41 (42 UAH)"] and not result.errors
