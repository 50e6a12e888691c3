"""Validation catches what the engine would refuse at run time when the document alone shows
it: each mistake below is reported with its code, severity and JSON pointer, and the same
document fixed validates clean."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from orchestrator.engine import compile_document
from orchestrator.engine.values import coerce
from scenarios.format import validate_document
from scenarios.format.expression_check import expression_variables, storable
from scenarios.format.validation import COMPUTATION_CODES

LANGUAGES = ["uk", "en"]
TEXT = {"uk": "Так", "en": "Yes"}
TYPES = {"n": "number", "flag": "boolean", "day": "date", "items": "list", "order": "object",
         "age": "string", "name": "string", "x": "any"}


def doc(*blocks: dict[str, Any], variables: tuple[str, ...] = ()) -> dict[str, Any]:
    """A chain of blocks (each block's `next` leads to the following one) with the named
    variables declared with their types from TYPES."""
    return {"schema_version": 2, "entry": {"start": blocks[0]["id"]},
            "variables": [{"name": v, "type": TYPES[v]} for v in variables],
            "blocks": list(blocks),
            "edges": [{"source": a["id"], "port": "next", "target": b["id"]}
                      for a, b in zip(blocks, blocks[1:], strict=False)]}


def set_(variable: str, block_id: str = "s", **source: Any) -> dict[str, Any]:
    return {"id": block_id, "type": "set_variable", "settings": {"variable": variable, **source}}


def ask(variable: str, kind: str = "text", **extra: Any) -> dict[str, Any]:
    return {"id": "q", "type": "input",
            "settings": {"kind": kind, "prompt": TEXT, "variable": variable, **extra}}


def choose(variable: str, *options: dict[str, Any], field: str = "buttons") -> dict[str, Any]:
    return {"id": "m", "type": "message",
            "settings": {"text": TEXT, field: list(options), "store_choice_in": variable}}


def option(option_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": option_id, "label": {"uk": option_id, "en": option_id}, **extra}


def jump(scenario: str) -> dict[str, Any]:
    return {"id": "j", "type": "jump", "settings": {"scenario": scenario, "return_after": False}}


def say() -> dict[str, Any]:
    return {"id": "say", "type": "message", "settings": {"text": TEXT}}


SCENARIOS = {"order": True, "delivery": False, "main": True}

# (id, the mistake, the same document fixed, code, pointer, severity)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str, str]] = [
    ("set_variable writes language",
     doc(set_("language", value="en"), say()),
     doc({"id": "s", "type": "set_language", "settings": {"language": "en"}}, say()),
     "variable.read_only", "/blocks/0/settings/variable", "error"),
    ("input writes channel",
     doc(ask("channel")), doc(ask("name"), variables=("name",)),
     "variable.read_only", "/blocks/0/settings/variable", "error"),
    ("buttons store into last_choice",
     doc(choose("last_choice", option("a"))), doc(choose("name", option("a")), variables=("name",)),
     "variable.read_only", "/blocks/0/settings/store_choice_in", "error"),
    ("a dotted write into a system variable",
     doc(set_("language.code", value="en"), say()),
     doc(set_("order.code", value="en"), say(), variables=("order",)),
     "variable.read_only", "/blocks/0/settings/variable", "error"),
    ("jump to a scenario the bot does not have",
     doc(jump("ordr")), doc(jump("order")),
     "jump.unknown_scenario", "/blocks/0/settings/scenario", "error"),
    ("jump to a scenario without a live version",
     doc(jump("delivery")), doc(jump("main")),
     "jump.unpublished_scenario", "/blocks/0/settings/scenario", "warning"),
    ("text literal into a number",
     doc(set_("n", value="abc")), doc(set_("n", value="12,5")),
     "variable.type_mismatch", "/blocks/0/settings/value", "error"),
    ("boolean literal into a number",
     doc(set_("n", value=True)), doc(set_("n", value=1)),
     "variable.type_mismatch", "/blocks/0/settings/value", "error"),
    ("impossible date",
     doc(set_("day", value="2025-13-01")), doc(set_("day", value="31.01.2025")),
     "variable.type_mismatch", "/blocks/0/settings/value", "error"),
    ("list literal into a map",
     doc(set_("order", value=[1])), doc(set_("order", value={"total": 1})),
     "variable.type_mismatch", "/blocks/0/settings/value", "error"),
    ("a word that is not yes or no into a boolean",
     doc(set_("flag", value="maybe")), doc(set_("flag", value="так")),
     "variable.type_mismatch", "/blocks/0/settings/value", "error"),
    ("a template without placeholders into a number",
     doc(set_("n", template="many")), doc(set_("n", template="42")),
     "variable.type_mismatch", "/blocks/0/settings/template", "error"),
    ("a template into a list",
     doc(set_("items", template="{{ name }}"), variables=("name",)),
     doc(set_("name", template="{{ n }}"), variables=("n",)),
     "variable.type_mismatch", "/blocks/0/settings/template", "error"),
    ("an expression's text into a number",
     doc(set_("n", expression="'abc'")), doc(set_("n", expression="'41'")),
     "variable.type_mismatch", "/blocks/0/settings/expression", "error"),
    ("a list built by an expression into a number",
     doc(set_("n", expression="append(items, 1)"), variables=("items",)),
     doc(set_("n", expression="len(append(items, 1))"), variables=("items",)),
     "variable.type_mismatch", "/blocks/0/settings/expression", "error"),
    ("a number into a date",
     doc(set_("day", expression="len(name)"), variables=("name",)),
     doc(set_("day", expression="today()")),
     "variable.type_mismatch", "/blocks/0/settings/expression", "error"),
    ("an email answer into a number",
     doc(ask("n", "email")), doc(ask("n", "number")),
     "variable.type_mismatch", "/blocks/0/settings/kind", "error"),
    ("a phone answer into a number",
     doc(ask("n", "phone")), doc(ask("name", "phone"), variables=("name",)),
     "variable.type_mismatch", "/blocks/0/settings/kind", "error"),
    ("a number answer into a date",
     doc(ask("day", "number")), doc(ask("day", "date")),
     "variable.type_mismatch", "/blocks/0/settings/kind", "error"),
    ("a text answer into a list",
     doc(ask("items")), doc(ask("n")),  # text into a number: converted, or asked again
     "variable.type_mismatch", "/blocks/0/settings/kind", "error"),
    ("a choice id into a number",
     doc(ask("n", "choice", choices=[option("small"), option("2")])),
     doc(ask("n", "choice", choices=[option("small", value=1), option("big", value=2)])),
     "variable.type_mismatch", "/blocks/0/settings/choices/0/id", "error"),
    ("a choice value into a number",
     doc(ask("n", "choice", choices=[option("s", value=1), option("b", value="big")])),
     doc(ask("n", "choice", choices=[option("s", value=1), option("b", value="2")])),
     "variable.type_mismatch", "/blocks/0/settings/choices/1/value", "error"),
    ("a button id into a number",
     doc(choose("n", option("one"))), doc(choose("n", option("1"))),
     "variable.type_mismatch", "/blocks/0/settings/buttons/0/id", "error"),
    ("a quick reply value into a boolean",
     doc(choose("flag", option("y", value="sure"), field="quick_replies")),
     doc(choose("flag", option("y", value=True), field="quick_replies")),
     "variable.type_mismatch", "/blocks/0/settings/quick_replies/0/value", "error"),
    ("an unknown function",
     doc(set_("n", expression="lenn(name)"), variables=("name",)),
     doc(set_("n", expression="len(name)"), variables=("name",)),
     "expression.unknown_function", "/blocks/0/settings/expression", "error"),
    ("too many arguments",
     doc(set_("n", expression="round(n, 1, 2)")), doc(set_("n", expression="round(n, 1)")),
     "expression.arity", "/blocks/0/settings/expression", "error"),
    ("too few arguments",
     doc(set_("items", expression="append(items)")),
     doc(set_("items", expression="append(items, 1)")),
     "expression.arity", "/blocks/0/settings/expression", "error"),
    ("a method call",
     doc(set_("name", expression="name.strip()")), doc(set_("name", expression="trim(name)")),
     "expression.call", "/blocks/0/settings/expression", "error"),
    ("text that is not a number added to a number",
     doc(set_("name", expression="'Order ' + n"), variables=("n",)),
     doc(set_("name", expression="'Order ' + str(n)"), variables=("n",)),
     "expression.type", "/blocks/0/settings/expression", "error"),
    ("true in arithmetic",
     doc(set_("n", expression="n + true")), doc(set_("n", expression="n + 1")),
     "expression.type", "/blocks/0/settings/expression", "error"),
    ("a number compared with a word",
     doc(set_("flag", expression="n > 'ten'"), variables=("n",)),
     doc(set_("flag", expression="n > '10'"), variables=("n",)),
     "expression.type", "/blocks/0/settings/expression", "error"),
    ("a text variable in arithmetic",
     doc(set_("n", expression="age + 1"), variables=("age",)),
     doc(set_("n", expression="number(age) + 1"), variables=("age",)),
     "expression.type_mix", "/blocks/0/settings/expression", "warning"),
    ("a language the bot does not have",
     doc({"id": "l", "type": "set_language", "settings": {"language": "de"}}, say()),
     doc({"id": "l", "type": "set_language", "settings": {"language": "uk"}}, say()),
     "language.unknown", "/blocks/0/settings/language", "error"),
]


def check(document: dict[str, Any]):  # type: ignore[no-untyped-def]
    variables = {v["name"] for v in document["variables"]}
    # Declare what the blocks write, so the mistake under test is the only issue.
    for block in document["blocks"]:
        settings = block["settings"]
        for key in ("variable", "store_choice_in"):
            name = str(settings.get(key, "")).split(".")[0]
            if name in TYPES and name not in variables:
                document["variables"].append({"name": name, "type": TYPES[name]})
                variables.add(name)
    return validate_document(document, LANGUAGES, "uk", scenarios=SCENARIOS)


@pytest.mark.parametrize(("wrong", "code", "pointer", "severity"),
                         [pytest.param(c[1], *c[3:], id=c[0]) for c in CASES])
def test_mistake_is_reported_with_a_pointer(wrong, code, pointer, severity) -> None:
    report = check(wrong)
    issues = [(i.code, i.path, i.severity) for i in report.errors + report.warnings]
    assert issues == [(code, pointer, severity)]
    # Published versions compile with these: only the offending block fails when it runs.
    assert code in COMPUTATION_CODES
    compiled = compile_document(wrong, version_id=uuid.uuid4(), name="main",
                                languages=LANGUAGES, default_language="uk")
    assert compiled.blocks


@pytest.mark.parametrize("fixed", [pytest.param(c[2], id=c[0]) for c in CASES])
def test_the_fixed_document_is_clean(fixed) -> None:
    report = check(fixed)
    assert (report.errors, report.warnings) == ([], [])


# --- messages an author acts on -------------------------------------------------------------

def only(document: dict[str, Any]):  # type: ignore[no-untyped-def]
    report = check(document)
    (issue,) = report.errors + report.warnings
    return issue


def test_changing_the_language_points_to_set_language() -> None:
    issue = only(doc(set_("language", value="en"), say()))
    assert "use a set_language block" in issue.message
    assert "set_language" not in only(doc(ask("channel"))).message


def test_a_misspelt_scenario_gets_the_closest_name() -> None:
    assert "Did you mean 'order'?" in only(doc(jump("ordr"))).message
    assert "Did you mean" not in only(doc(jump("zzz"))).message
    assert "apology until it is published" in only(doc(jump("delivery"))).message


def test_unknown_bot_scenarios_are_not_checked() -> None:
    report = validate_document(doc(jump("ordr")), LANGUAGES, "uk")
    assert (report.errors, report.warnings) == ([], [])


def test_a_function_name_gets_the_closest_one() -> None:
    issue = only(doc(set_("n", expression="lenn(name)"), variables=("name",)))
    assert "did you mean len()?" in issue.message
    assert "takes 1 to 2 arguments, not 3" in only(doc(
        set_("n", expression="round(n, 1, 2)"))).message


def test_a_text_variable_in_arithmetic_says_how_to_fix_it() -> None:
    issue = only(doc(set_("n", expression="age + 1"), variables=("age",)))
    assert issue.message.endswith("'age' is text: it is used as a number when it holds one, "
                                  "otherwise the block fails; declare it a number or use "
                                  "number(age).")


def test_joining_text_and_a_number_suggests_str() -> None:
    issue = only(doc(set_("name", expression="'Order ' + n"), variables=("n",)))
    assert "str(" in issue.message


def test_any_variables_and_repetition_are_not_type_mixes() -> None:
    for expression in ("x + 1", "'-' * n", "'%d items' % n", "x * 'a'", "items * 2"):
        report = check(doc(set_("x", expression=expression), variables=("n", "items")))
        assert report.errors == [], expression
        assert {w.code for w in report.warnings} <= {"variable.unused"}, expression


def test_conditional_expressions_read_their_branches_not_if_and_else() -> None:
    report = check(doc(set_("x", expression="n if flag else 0"), variables=("n", "flag")))
    assert (report.errors, report.warnings) == ([], [])
    assert expression_variables("a if c else b") == {"a", "b", "c"}
    assert expression_variables("len(items[i]) + order['total']") == {"items", "i", "order"}
    assert expression_variables("[a, {'k': b}]") == {"a", "b"}
    # Not an expression: the identifier scan still finds the names.
    assert expression_variables("a +") == {"a"}


def test_calls_inside_lists_and_subscripts_are_checked() -> None:
    issue = only(doc(set_("items", expression="[lenn(name)]"), variables=("name",)))
    assert issue.code == "expression.unknown_function"
    issue = only(doc(set_("x", expression="items[len()]"), variables=("items",)))
    assert issue.code == "expression.arity"


def test_a_wait_block_does_not_satisfy_the_loop_check() -> None:
    looping = doc(set_("n", expression="n + 1"),
                  {"id": "w", "type": "wait", "settings": {"seconds": 1}})
    looping["edges"].append({"source": "w", "port": "next", "target": "s"})
    issue = only(looping)
    assert issue.code == "graph.loop_without_input"
    assert "a message with buttons or quick replies" in issue.message
    assert "a wait block just pauses" in issue.message
    assert "a wait or" not in issue.message


# --- the same conversions as the engine -----------------------------------------------------

VALUES: list[Any] = [
    None, 0, 1, -2.5, True, False, "", " ", "41", " 41 ", "12,5", "1 000", "1e3", "-.5", "abc",
    "12abc", "2025-01-31", "31.01.2025", "31/01/2025", "2025-02-30", "2025-01-31T10:00:00",
    "так", "ні", "yes", "No", "on", "maybe", [], [1], {}, {"a": 1}, "+380501234567",
]


@pytest.mark.parametrize("type_", ["string", "number", "boolean", "date", "list", "object",
                                   "any"])
def test_storable_agrees_with_the_engine(type_) -> None:
    for value in VALUES:
        try:
            coerce(value, type_)
            engine = True
        except ValueError:
            engine = False
        assert storable(value, type_) is engine, (value, type_)


def test_braces_that_are_not_a_placeholder_are_pointed_out():
    from scenarios.format import validate_document

    document = {
        "schema_version": 2, "entry": {"start": "m"},
        "variables": [{"name": "x", "type": "number"}, {"name": "t", "type": "string"}],
        "blocks": [
            {"id": "m", "type": "message", "settings": {"text": {
                "en": "{{ x }} and {{ x + 1 }}", "uk": "{{ x }} і {{ items[ }}"}}},
            {"id": "s", "type": "set_variable", "settings": {"variable": "t",
                                                             "template": "{{ len(x) }}"}},
            {"id": "fine", "type": "message", "settings": {"text": {
                "en": "{{ x }} {{ t[0] }}", "uk": "{{x}}"}}}],
        "edges": [{"source": "m", "target": "s"}, {"source": "s", "target": "fine"}],
    }
    report = validate_document(document, ["en", "uk"], "en")
    assert sorted(w.path for w in report.warnings if w.code == "text.raw_placeholder") == [
        "/blocks/0/settings/text/en", "/blocks/0/settings/text/uk",
        "/blocks/1/settings/template"]


def test_a_scenario_that_calls_itself_without_waiting_is_a_loop():
    from scenarios.format import validate_document

    def calling(*, wait: bool) -> dict:
        first = ({"id": "m", "type": "input", "settings": {
            "kind": "text", "prompt": {"en": "Again?"}, "variable": "a"}} if wait else
            {"id": "m", "type": "message", "settings": {"text": {"en": "Hi"}}})
        return {"schema_version": 2, "entry": {"start": "m"},
                "variables": [{"name": "a", "type": "string"}],
                "blocks": [first, {"id": "j", "type": "jump",
                                   "settings": {"scenario": "main"}}],
                "edges": [{"source": "m", "target": "j"}]}

    looping = validate_document(calling(wait=False), ["en"], "en", scenarios={"main": True},
                                name="main")
    assert [(e.code, e.path) for e in looping.errors] == [("graph.loop_without_input",
                                                          "/blocks/0")]
    waits = validate_document(calling(wait=True), ["en"], "en", scenarios={"main": True},
                              name="main")
    assert waits.errors == []


def test_language_choices_read_by_set_language_must_be_bot_languages():
    from scenarios.format import validate_document

    def document(var_type: str) -> dict:
        return {
            "schema_version": 2, "entry": {"start": "m"},
            "variables": [{"name": "lang", "type": var_type}],
            "blocks": [
                {"id": "m", "type": "message", "settings": {
                    "text": {"en": "Language?"}, "store_choice_in": "lang", "buttons": [
                        {"id": "en", "label": {"en": "English"}},
                        {"id": "fr", "label": {"en": "Français"}},
                        {"id": "five", "label": {"en": "Five"}, "value": 5},
                        {"id": "gb", "label": {"en": "British"}, "value": "en-GB"},
                        {"id": "ua", "label": {"en": "Українська"}, "value": "UK"}]}},
                {"id": "s", "type": "set_language", "settings": {"variable": "lang"}}],
            "edges": [{"source": "m", "port": "en", "target": "s"}],
        }

    report = validate_document(document("string"), ["uk", "en"], "en")
    assert [(w.code, w.path) for w in report.warnings if w.code.startswith("language")] == [
        ("language.unknown_choice", "/blocks/0/settings/buttons/1/id"),
        ("language.unknown_choice", "/blocks/0/settings/buttons/2/value")]
    typed = validate_document(document("number"), ["uk", "en"], "en")
    assert ("variable.type_mismatch", "/blocks/1/settings/variable") in [
        (e.code, e.path) for e in typed.errors]
