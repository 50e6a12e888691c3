"""The document models, the block registry and what settings models say about themselves."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from scenarios.format import (
    BlockRegistry,
    BlockType,
    LocalizedText,
    Operand,
    ScenarioDocument,
    VariableRef,
    WrittenVariable,
    block_registry,
    expression_variables,
    render_template,
    template_variables,
    text_fields,
    variable_reads,
    variable_writes,
)


def test_round_trip_is_stable(example):
    document = ScenarioDocument.model_validate(example)
    dumped = document.model_dump(mode="json", exclude_none=True)
    again = ScenarioDocument.model_validate(dumped)
    assert again == document
    assert again.model_dump(mode="json", exclude_none=True) == dumped


def test_document_rejects_unknown_fields_and_bool_versions(example):
    with pytest.raises(ValidationError):
        ScenarioDocument.model_validate({**example, "languages": ["uk"]})
    with pytest.raises(ValidationError):
        ScenarioDocument.model_validate({**example, "schema_version": True})


def test_builtin_catalogue():
    names = block_registry.names()
    assert names[:9] == ["message", "input", "condition", "set_variable", "jump", "wait",
                         "handoff", "end", "set_language"]
    entries = {entry["name"]: entry for entry in block_registry.catalogue()}
    # An input has a no_input port only with its own answer time: its ports follow settings.
    assert entries["input"]["ports"] is None and entries["input"]["dynamic_ports"] is True
    assert entries["message"]["dynamic_ports"] is True
    assert entries["end"]["ports"] == []
    assert "properties" in entries["wait"]["settings_schema"]


def test_ports_and_waiting_depend_on_settings():
    message = block_registry.get("message")
    plain = message.parse_settings({"text": {"uk": "Привіт"}})
    assert message.output_ports(plain) == ("next",) and not message.waits(plain)
    with_buttons = message.parse_settings({"buttons": [
        {"id": "a", "label": {"uk": "А"}},
        {"id": "link", "label": {"uk": "Сайт"}, "url": "https://example.com"}],
        "quick_replies": [{"id": "b", "label": {"uk": "Б"}}]})
    assert message.output_ports(with_buttons) == ("a", "b", "next")
    assert message.waits(with_buttons)
    jump = block_registry.get("jump")
    assert jump.output_ports(jump.parse_settings({"scenario": "billing"})) == ("next",)
    assert jump.output_ports(jump.parse_settings({"block": "x"})) == ()


def test_registry_rejects_duplicates():
    registry = BlockRegistry()
    block_type = BlockType("note", BaseModel, (), False, "A note.", "misc")
    registry.register(block_type)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(block_type)
    assert registry.get("note") is block_type and registry.get("other") is None
    assert list(registry) == [block_type]


class _Lookup(BaseModel):
    """A block type from another service, built only from the shared types."""

    model_config = ConfigDict(extra="forbid")
    query: Operand
    store_in: WrittenVariable
    fallback: VariableRef | None = None
    captions: list[LocalizedText] = []
    error_text: LocalizedText | None = None


def test_markers_work_for_block_types_defined_elsewhere():
    settings = _Lookup.model_validate({
        "query": {"var": "order.id"},
        "store_in": "result",
        "fallback": "backup",
        "captions": [{"uk": "Шукаю {{ name }}", "en": "Searching {{name}}"}],
        "error_text": {"uk": "Помилка"},
    })
    assert list(text_fields(settings)) == [
        ("/captions/0", {"uk": "Шукаю {{ name }}", "en": "Searching {{name}}"}),
        ("/error_text", {"uk": "Помилка"}),
    ]
    assert list(variable_reads(settings)) == [
        ("/query/var", "order"), ("/fallback", "backup"),
        ("/captions/0/uk", "name"), ("/captions/0/en", "name")]
    assert list(variable_writes(settings)) == [("/store_in", "result")]


def test_templates_and_expressions():
    assert template_variables("Hi {{ name }}, {{order.total}} {{ bad-name }} {x}") == {
        "name", "order"}
    assert expression_variables('round(price * 1.2) + len(items) + " qty " + \'x\'') == {
        "price", "items"}
    assert expression_variables("a and not b or c in d == null") == {"a", "b", "c", "d"}
    assert render_template("{{ name }} / {{ order.items.1 }} / {{ missing }}",
                           {"name": "Оля", "order": {"items": ["a", "b"]}}) == "Оля / b / "


def test_variable_default_type_checked():
    from scenarios.format import Variable

    assert Variable.model_validate({"name": "d", "type": "date", "default": "2024-05-01"})
    for type_, default in [("number", True), ("date", "tomorrow"), ("list", {}),
                           ("boolean", 0)]:
        with pytest.raises(ValidationError):
            Variable.model_validate({"name": "v", "type": type_, "default": default})
