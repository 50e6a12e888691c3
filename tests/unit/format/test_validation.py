"""validate_document: each check's code, severity and pointer, and that it never raises."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.format import CURRENT_SCHEMA_VERSION, ValidationReport, validate_document

LANGUAGES = ["uk", "en"]
_EXAMPLE = json.loads((Path(__file__).resolve().parents[3] / "examples" / "support-bot.json")
                      .read_text(encoding="utf-8"))


def check(data: Any, languages: list[str] | None = None,
          default: str = "uk") -> ValidationReport:
    return validate_document(data, languages or LANGUAGES, default)


def doc(*blocks: dict[str, Any], edges: list[dict[str, Any]] | None = None,
        variables: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"schema_version": 2, "entry": {"start": blocks[0]["id"]},
            "variables": variables or [], "blocks": list(blocks), "edges": edges or []}


def say(block_id: str, **extra: Any) -> dict[str, Any]:
    settings = {"text": {"uk": "Привіт", "en": "Hi"}, **extra}
    return {"id": block_id, "type": "message", "settings": settings}


def ask(block_id: str, variable: str) -> dict[str, Any]:
    return {"id": block_id, "type": "input",
            "settings": {"kind": "text", "prompt": {"uk": "Як?", "en": "How?"},
                         "variable": variable}}


def link(source: str, target: str, port: str = "next") -> dict[str, str]:
    return {"source": source, "port": port, "target": target}


def var(name: str, type_: str = "string") -> dict[str, str]:
    return {"name": name, "type": type_}


def codes(report: ValidationReport) -> list[tuple[str, str]]:
    return [(i.code, i.path) for i in report.errors + report.warnings]


def only(report: ValidationReport, code: str):
    found = [i for i in report.errors + report.warnings if i.code == code]
    assert len(found) == 1, codes(report)
    return found[0]


def test_example_is_valid_without_warnings(example):
    report = check(example)
    assert report.valid
    assert report.errors == [] and report.warnings == []
    assert report.document is not None and len(report.document.blocks) == 10


def test_not_an_object():
    report = check(["blocks"])
    assert not report.valid and codes(report) == [("schema.type", "")]


def test_missing_schema_version_is_an_error_not_version_zero(example):
    del example["schema_version"]
    assert codes(check(example)) == [("schema.missing_version", "/schema_version")]


def test_newer_version_rejected(example):
    example["schema_version"] = CURRENT_SCHEMA_VERSION + 1
    assert codes(check(example)) == [("schema.unsupported_version", "/schema_version")]


def test_schema_errors_become_pointers(example):
    example["blocks"][3]["id"] = "bad id!"
    example["edges"][0]["extra"] = 1
    del example["entry"]["start"]
    report = check(example)
    assert report.document is None
    assert sorted(codes(report)) == [
        ("schema.missing", "/entry/start"),
        ("schema.pattern", "/blocks/3/id"),
        ("schema.unknown_field", "/edges/0/extra"),
    ]


def test_pointer_escapes_tilde_and_slash(example):
    example["entry"]["commands"]["a/b~c"] = "help"
    issue = only(check(example), "schema.pattern")
    assert issue.path == "/entry/commands/a~1b~0c"


def test_variable_default_must_fit_type(example):
    example["variables"][2]["default"] = "soon"
    issue = only(check(example), "schema.value")
    assert issue.path == "/variables/2/default"


def test_unknown_block_type_lists_known_types(example):
    example["blocks"][1]["type"] = "carousel"
    issue = only(check(example), "block.unknown_type")
    assert issue.path == "/blocks/1/type" and issue.block_id == "help"
    assert "message" in issue.message and "handoff" in issue.message


def test_settings_error_points_inside_settings(example):
    example["blocks"][3]["settings"]["prompt"]["en"] = ""
    example["blocks"][3]["settings"]["max_attempts"] = 0
    report = check(example)
    assert sorted(codes(report)) == [("settings.length", "/blocks/3/settings/prompt/en"),
                                     ("settings.range", "/blocks/3/settings/max_attempts")]
    assert all(i.block_id == "ask_email" for i in report.errors)
    assert "Ask email" in report.errors[0].message


def test_settings_error_in_nested_condition_skips_union_tags():
    block = {"id": "c", "type": "condition", "settings": {"when": [
        {"not": {"all": [{"left": {"var": "x"}, "op": "bogus", "right": {"value": 1}}]}}]}}
    issue = only(check(doc(block, variables=[var("x")])), "settings.choice")
    assert issue.path == "/blocks/0/settings/when/0/not/all/0/op"


def test_cross_field_settings_rules():
    choice = {"id": "q", "type": "input", "settings": {
        "kind": "choice", "prompt": {"uk": "?", "en": "?"}, "variable": "x"}}
    bad_regex = {"id": "r", "type": "input", "settings": {
        "kind": "text", "prompt": {"uk": "?", "en": "?"}, "variable": "x", "pattern": "("}}
    two = {"id": "s", "type": "set_variable",
           "settings": {"variable": "x", "value": 1, "template": "{{x}}"}}
    jump = {"id": "j", "type": "jump", "settings": {}}
    report = check(doc(choice, bad_regex, two, jump, variables=[var("x")]))
    paths = {i.path for i in report.errors}
    assert {"/blocks/0/settings/choices", "/blocks/1/settings/pattern",
            "/blocks/2/settings", "/blocks/3/settings"} <= paths


def test_duplicates():
    report = check(doc(say("a"), say("a"), ask("b", "x"),
                       variables=[var("x"), var("x")],
                       edges=[{"id": "e", **link("a", "b")}, {"id": "e", **link("b", "a")}]))
    assert ("block.duplicate_id", "/blocks/1/id") in codes(report)
    assert ("variable.duplicate_name", "/variables/1/name") in codes(report)
    assert ("edge.duplicate_id", "/edges/1/id") in codes(report)


def test_dangling_edges_and_unknown_port():
    report = check(doc(say("a"), say("b"), edges=[
        link("a", "nowhere"), link("ghost", "b"), link("a", "b", port="yes")]))
    assert ("edge.dangling_target", "/edges/0/target") in codes(report)
    assert ("edge.dangling_source", "/edges/1/source") in codes(report)
    assert ("edge.unknown_port", "/edges/2/port") in codes(report)


def test_ports_follow_buttons():
    buttons = [{"id": "yes", "label": {"uk": "Так", "en": "Yes"}},
               {"id": "site", "label": {"uk": "Сайт", "en": "Site"}, "url": "https://a.example"}]
    report = check(doc(say("a", buttons=buttons), say("b"), say("c"), say("d"), edges=[
        link("a", "b", "yes"), link("a", "c", "next"), link("a", "d", "site")]))
    # The bad edge still counts for reachability, so one mistake gives one error.
    assert codes(report) == [("edge.unknown_port", "/edges/2/port")]


def test_two_edges_from_one_port_are_ambiguous():
    report = check(doc(say("a"), say("b"), say("c"),
                       edges=[link("a", "b"), link("a", "c")]))
    assert codes(report) == [("edge.ambiguous", "/edges/1/port")]


def test_entry_points_must_exist(example):
    example["entry"]["start"] = "nope"
    example["entry"]["commands"]["faq"] = "missing"
    example["entry"]["events"]["timeout"] = "gone"
    report = check(example)
    assert {("entry.unknown_block", "/entry/start"),
            ("entry.unknown_block", "/entry/commands/faq"),
            ("entry.unknown_block", "/entry/events/timeout")} <= set(codes(report))


def test_unreachable_block_is_a_warning():
    report = check(doc(say("a"), say("island")))
    assert report.valid
    issue = only(report, "graph.unreachable")
    assert (issue.severity, issue.path, issue.block_id) == ("warning", "/blocks/1", "island")


def test_jump_counts_as_an_edge():
    jump = {"id": "j", "type": "jump", "settings": {"block": "target"}}
    report = check(doc(say("a"), jump, say("target"), edges=[link("a", "j")]))
    assert codes(report) == []
    broken = check(doc(say("a"), {"id": "j", "type": "jump", "settings": {"block": "zz"}},
                       edges=[link("a", "j")]))
    assert codes(broken) == [("jump.unknown_target", "/blocks/1/settings/block")]


def test_jump_to_block_has_no_return_port():
    jump = {"id": "j", "type": "jump", "settings": {"block": "a"}}
    report = check(doc(say("a", buttons=[{"id": "go", "label": {"uk": "Ну", "en": "Go"}}]),
                       jump, say("b"), edges=[link("a", "j", "go"), link("j", "b")]))
    assert ("edge.unknown_port", "/edges/1/port") in codes(report)


def _loop(waiting_block: dict[str, Any]) -> dict[str, Any]:
    check_block = {"id": "check", "type": "condition", "settings": {"when": [
        {"left": {"var": "n"}, "op": "less", "right": {"value": 3}}]}}
    bump = {"id": "bump", "type": "set_variable",
            "settings": {"variable": "n", "expression": "n + 1"}}
    return doc(say("start"), check_block, bump, waiting_block, say("done"),
               variables=[var("n", "number"), var("answer")],
               edges=[link("start", "check"), link("check", "bump", "true"),
                      link("check", "done", "false"), link("bump", waiting_block["id"]),
                      link(waiting_block["id"], "check")])


def test_loop_without_input_is_flagged():
    looping = _loop({"id": "note", "type": "set_variable",
                     "settings": {"variable": "answer", "template": "{{ n }}"}})
    report = check(looping)
    issue = only(report, "graph.loop_without_input")
    assert issue.severity == "error" and issue.path == "/blocks/1" and issue.block_id == "check"
    assert all(f"'{b}'" in issue.message for b in ("check", "bump", "note"))


def test_loop_through_input_is_fine():
    report = check(_loop(ask("ask", "answer")))
    assert report.valid, codes(report)
    assert codes(report) == []


def test_self_loop_and_inner_cycle_inside_a_waiting_component():
    spin = {"id": "spin", "type": "set_variable", "settings": {"variable": "n", "value": 1}}
    report = check(doc(spin, variables=[var("n")], edges=[link("spin", "spin")]))
    assert only(report, "graph.loop_without_input").block_id == "spin"
    # a→b→a never waits even though b→w→b does.
    a = {"id": "a", "type": "set_variable", "settings": {"variable": "n", "value": 1}}
    b = {"id": "b", "type": "condition", "settings": {"when": [
        {"left": {"var": "n"}, "op": "is_set"}]}}
    report = check(doc(a, b, ask("w", "n"), variables=[var("n")],
                       edges=[link("a", "b"), link("b", "a", "true"), link("b", "w", "false"),
                              link("w", "b")]))
    assert only(report, "graph.loop_without_input").path == "/blocks/0"


def test_long_chain_does_not_recurse():
    blocks = [{"id": f"b{i}", "type": "set_variable", "settings": {"variable": "n", "value": i}}
              for i in range(2000)]
    edges = [link(f"b{i}", f"b{i + 1}") for i in range(1999)] + [link("b1999", "b0")]
    report = check(doc(*blocks, variables=[var("n")], edges=edges))
    assert codes(report) == [("graph.loop_without_input", "/blocks/0")]


def test_undefined_and_unused_variables():
    set_block = {"id": "s", "type": "set_variable",
                 "settings": {"variable": "total", "expression": "len(items) + price * 2"}}
    message = say("m", text={"uk": "Вітаю, {{ who }} ({{ language }})", "en": "Hi {{who}}"})
    report = check(doc(set_block, message, variables=[var("items", "list"), var("spare")],
                       edges=[link("s", "m")]))
    assert sorted(codes(report)) == [
        ("variable.undefined", "/blocks/0/settings/expression"),
        ("variable.undefined", "/blocks/0/settings/variable"),
        ("variable.undefined", "/blocks/1/settings/text/uk"),
        ("variable.unused", "/variables/1"),
    ]
    assert only(report, "variable.unused").severity == "warning"


def test_expression_ignores_strings_and_functions():
    block = {"id": "s", "type": "set_variable", "settings": {
        "variable": "x", "expression": "upper(trim(x)) + \" and y \" + 'z' + suffix"}}
    report = check(doc(block, variables=[var("x")]))
    assert codes(report) == [("variable.undefined", "/blocks/0/settings/expression")]
    assert "'suffix'" in report.errors[0].message


def test_condition_operands_are_reads():
    block = {"id": "c", "type": "condition", "settings": {"when": [
        {"left": {"var": "order.total"}, "op": "greater", "right": {"var": "limit"}}]}}
    report = check(doc(block, say("t"), say("f"), variables=[var("order", "object")],
                       edges=[link("c", "t", "true"), link("c", "f", "false")]))
    assert codes(report) == [("variable.undefined", "/blocks/0/settings/when/0/right/var")]


def test_missing_translations():
    block = {"id": "a", "type": "message", "name": "Hello",
             "settings": {"text": {"en": "Hi", "de": "Hallo"}}}
    report = check(doc(block), languages=["uk", "en", "pl"])
    assert codes(report) == [
        ("text.missing_default_language", "/blocks/0/settings/text/uk"),
        ("text.missing_translation", "/blocks/0/settings/text/pl"),
        ("text.unknown_language", "/blocks/0/settings/text/de"),
    ]
    assert report.errors[0].severity == "error" and "Hello" in report.errors[0].message


def test_nested_texts_are_checked():
    buttons = [{"id": "ok", "label": {"uk": "Гаразд"}}]
    report = check(doc(say("a", buttons=buttons)))
    assert codes(report) == [("text.missing_translation", "/blocks/0/settings/buttons/0/label/en")]


def test_unconnected_condition_port_is_a_warning():
    block = {"id": "c", "type": "condition", "settings": {"when": [
        {"left": {"var": "language"}, "op": "equals", "right": {"value": "uk"}}]}}
    report = check(doc(block, say("t"), edges=[link("c", "t", "true")]))
    assert report.valid
    issue = only(report, "graph.unconnected_port")
    assert issue.path == "/blocks/0" and "'false'" in issue.message


def test_v0_document_is_upgraded_then_checked():
    legacy = {"schema_version": 0, "entry": {"start": "a"},
              "blocks": [{"id": "a", "type": "message", "settings": {"text": "Привіт"},
                          "next": "b"},
                         {"id": "b", "type": "end", "settings": {"message": "Бувай"}}]}
    report = check(legacy, languages=["uk"])
    assert report.valid and report.upgraded_from == 0
    assert codes(report) == [("schema.upgraded", "/schema_version")]
    assert report.document.edges[0].target == "b"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_never_raises_on_arbitrary_json(data):
    assert isinstance(check(data), ValidationReport)


_KEYS = ["schema_version", "entry", "start", "blocks", "edges", "variables", "settings",
         "type", "text", "uk", "en", "buttons", "id", "port", "source", "target", "when",
         "left", "var", "value", "op", "not", "all", "block", "next", "variable"]


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


_EXAMPLE_PATHS = _paths(_EXAMPLE)
replacement = st.one_of(json_values, st.sampled_from(_KEYS),
                        st.sampled_from(["greet", "ask_name", "goodbye", "name", "message",
                                         "jump", "condition", "input", "true", "invalid"]),
                        st.sampled_from([0, 1, 2, -1]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_EXAMPLE_PATHS), st.booleans(), replacement),
                min_size=1, max_size=4))
def test_never_raises_on_mutated_example(mutations):
    data = copy.deepcopy(_EXAMPLE)
    for path, delete, value in mutations:
        if not path:
            continue
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            if delete:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    assert isinstance(check(data), ValidationReport)


def test_messages_keep_block_id_and_name_as_written():
    block = {"id": "askEmail", "type": "message", "name": "Ask Email",
             "settings": {"text": {"uk": "Привіт", "en": "Hi"}}}
    issue = only(check(doc(say("a"), block)), "graph.unreachable")
    assert issue.message.startswith("Block 'askEmail' (Ask Email) cannot be reached")
