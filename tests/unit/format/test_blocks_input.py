"""Settings of message and input blocks in format 2: option values, number and date
constraints, per-constraint reprompts and the block's own answer time, as the validator
reports them (with JSON pointers)."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios.format import block_registry
from scenarios.format.validation import validate_document


def doc(settings: dict[str, Any], type_: str = "input",
        edges: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"schema_version": 2, "entry": {"start": "a"},
            "variables": [{"name": "v", "type": "any"}],
            "blocks": [{"id": "a", "type": type_, "settings": settings},
                       {"id": "b", "type": "end", "settings": {}}],
            "edges": edges or []}


def asking(kind: str, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "prompt": {"uk": "Так?", "en": "Yes?"}, "variable": "v", **more}


def errors(document: dict[str, Any]) -> list[tuple[str, str]]:
    report = validate_document(document, ["uk", "en"], "uk")
    return [(e.path, e.message) for e in report.errors]


@pytest.mark.parametrize("settings", [
    asking("number", integer=True, min=1.5, max=10, step=0.5),
    asking("number", step=0.25, reprompts={"step": {"uk": "Крок 0,25", "en": "Steps of 0.25"},
                                           "integer": {"uk": "Ціле", "en": "Whole"}}),
    asking("date", min="today", max="+30d", weekdays=["mon", "fri"]),
    asking("date", min="2025-01-31", max="today+1y"),
    asking("date", min="-1d", max="+2w", reprompts={"weekday": {"uk": "Ні", "en": "No"}}),
    asking("date", min="+1m", max="+31d"),  # some months this holds, some it does not
    asking("text", reprompts={"length": {"uk": "Довжина", "en": "Length"}}, min_length=2),
    asking("choice", choices=[{"id": "09:00", "label": {"uk": "9", "en": "9"}, "value": 9},
                              {"id": "off", "label": {"uk": "Ні", "en": "No"}, "value": None},
                              {"id": "on", "label": {"uk": "Так", "en": "Yes"}, "value": True}],
           timeout_seconds=604800),
])
def test_valid_settings(settings):
    assert errors(doc(settings, edges=[{"source": "a", "port": "next", "target": "b"}])) == []


@pytest.mark.parametrize(("settings", "path", "words"), [
    (asking("number", min=5, max=1), "/settings/max", "below min"),
    (asking("number", step=0), "/settings/step", "greater than 0"),
    (asking("number", step=-1), "/settings/step", "greater than 0"),
    (asking("number", min="today"), "/settings/min", "must be a number"),
    (asking("date", min=3), "/settings/min", "must be a date"),
    (asking("date", max="tomorrow"), "/settings/max", "not a date"),
    (asking("date", max="2025-02-30"), "/settings/max", "not a date"),
    (asking("date", min="+1000y"), "/settings/min", "too far"),
    (asking("date", min="2025-02-01", max="2025-01-31"), "/settings/max", "before min"),
    (asking("date", min="+2w", max="+10d"), "/settings/max", "before min"),
    (asking("date", min="+1m", max="+27d"), "/settings/max", "before min"),
    (asking("text", min=1), "/settings/min", "only to kinds 'number' and 'date'"),
    (asking("date", step=1), "/settings/step", "only to kind 'number'"),
    (asking("text", integer=True), "/settings/integer", "only to kind 'number'"),
    (asking("number", weekdays=["mon"]), "/settings/weekdays", "only to kind 'date'"),
    (asking("date", weekdays=[]), "/settings/weekdays", ""),
    (asking("date", weekdays=["mon", "mon"]), "/settings/weekdays", "once"),
    (asking("date", weekdays=["monday"]), "/settings/weekdays/0", ""),
    (asking("number", reprompts={"weekday": {"uk": "a", "en": "b"}}), "/settings/reprompts",
     "no constraint 'weekday'"),
    (asking("email", reprompts={"min": {"uk": "a", "en": "b"}}), "/settings/reprompts",
     "its reprompts are format"),
    (asking("number", reprompts={"colour": {"uk": "a", "en": "b"}}),
     "/settings/reprompts/colour/[key]", "should be 'integer'"),
    (asking("number", timeout_seconds=0.5), "/settings/timeout_seconds", ""),
    (asking("number", timeout_seconds=604801), "/settings/timeout_seconds", ""),
    (asking("choice", choices=[{"id": "a", "label": {"uk": "a", "en": "a"}, "value": [1]}]),
     "/settings/choices/0/value", "must be a string, a number, true, false or null"),
    (asking("choice", choices=[{"id": "a b", "label": {"uk": "a", "en": "a"}}]),
     "/settings/choices/0/id", ""),
])
def test_impossible_settings_are_refused_where_they_are(settings, path, words):
    found = errors(doc(settings))
    assert any(p == f"/blocks/0{path}" and words in m for p, m in found), found


def test_missing_translation_of_a_constraint_reprompt_is_reported():
    report = validate_document(doc(asking("number", integer=True,
                                          reprompts={"integer": {"uk": "Ціле"}}),
                                   edges=[{"source": "a", "port": "next", "target": "b"}]),
                               ["uk", "en"], "uk")
    assert any("/settings/reprompts/integer" in i.path for i in report.errors + report.warnings)


BUTTONS = [{"id": "09:00", "label": {"uk": "9", "en": "9"}, "value": 9},
           {"id": "site", "label": {"uk": "Сайт", "en": "Site"}, "url": "https://example.com"}]


def test_message_option_ids_values_and_ports():
    message = block_registry.get("message")
    plain = message.parse_settings({"text": {"uk": "Коли?"}, "buttons": BUTTONS})
    assert message.output_ports(plain) == ("09:00", "next")
    timed = message.parse_settings({"text": {"uk": "Коли?"}, "buttons": BUTTONS,
                                    "timeout_seconds": 60})
    assert message.output_ports(timed) == ("09:00", "next", "no_input")
    edges = [{"source": "a", "port": "09:00", "target": "b"}]
    assert errors(doc({"text": {"uk": "Коли?", "en": "When?"}, "buttons": BUTTONS[:1],
                       "store_choice_in": "v"}, "message", edges)) == []


def test_input_ports_depend_on_the_answer_time():
    ask = block_registry.get("input")
    assert ask.output_ports(ask.parse_settings(asking("text"))) == ("next", "invalid")
    assert ask.output_ports(ask.parse_settings(asking("text", timeout_seconds=30))) == \
        ("next", "invalid", "no_input")
    edges = [{"source": "a", "port": "no_input", "target": "b"}]
    assert errors(doc(asking("text", timeout_seconds=30), edges=edges)) == []
    assert any(p.startswith("/edges/0") for p, _ in errors(doc(asking("text"), edges=edges)))


@pytest.mark.parametrize(("settings", "path", "words"), [
    ({"text": {"uk": "a", "en": "a"}, "timeout_seconds": 60}, "/settings",
     "only to a message that waits"),
    ({"text": {"uk": "a", "en": "a"}, "buttons": BUTTONS[1:], "timeout_seconds": 60},
     "/settings", "only to a message that waits"),
    ({"text": {"uk": "a", "en": "a"}, "timeout_seconds": 60, "quick_replies": [
        {"id": "no_input", "label": {"uk": "a", "en": "a"}}]}, "/settings", "'no_input'"),
    ({"text": {"uk": "a", "en": "a"}, "buttons": [
        {"id": "s", "label": {"uk": "a", "en": "a"}, "url": "https://example.com",
         "value": 1}]}, "/settings/buttons/0", "link button"),
    ({"text": {"uk": "a", "en": "a"}, "buttons": [
        {"id": "s", "label": {"uk": "a", "en": "a"}, "value": {"a": 1}}]},
     "/settings/buttons/0/value", "must be a string, a number, true, false or null"),
])
def test_impossible_message_settings(settings, path, words):
    found = errors(doc(settings, "message"))
    assert any(p == f"/blocks/0{path}" and words in m for p, m in found), found
