"""Saving a scenario reports expressions and regular expressions past the format's limits,
with a pointer to the offending field; the engine guards the same limits when it runs."""

from __future__ import annotations

import pytest

from scenarios.format import limits, validate_document


def scenario(*blocks: dict, variables: list[dict] | None = None) -> dict:
    return {"schema_version": 2, "entry": {"start": blocks[0]["id"]},
            "variables": variables or [{"name": "a", "type": "string"},
                                       {"name": "x", "type": "any"}],
            "blocks": list(blocks),
            "edges": [{"source": b["id"], "port": "next", "target": c["id"]}
                      for b, c in zip(blocks, blocks[1:], strict=False)]}


def asking(pattern: str) -> dict:
    return {"id": "q", "type": "input", "settings": {
        "kind": "text", "prompt": {"en": "?"}, "variable": "a", "pattern": pattern}}


def setting(expression: str, id: str = "s") -> dict:
    return {"id": id, "type": "set_variable",
            "settings": {"variable": "x", "expression": expression}}


def issues(doc: dict) -> list[tuple[str, str]]:
    report = validate_document(doc, ["en"], "en")
    return [(e.code, e.path) for e in report.errors]


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)a", r"(?<!x)y", r"(?P<n>a)(?P=n)",
                                     "a" * (limits.MAX_PATTERN + 1)])
def test_input_patterns_re2_cannot_run(pattern):
    assert issues(scenario(asking(pattern), setting("a"))) == [
        ("pattern.unsupported", "/blocks/0/settings/pattern")]


def test_matches_patterns_are_found_however_deeply_nested():
    condition = {"id": "c", "type": "condition", "settings": {"when": [
        {"left": {"var": "a"}, "op": "matches", "right": {"value": "^[0-9]+$"}},
        {"any": [{"left": {"var": "a"}, "op": "equals", "right": {"value": "1"}},
                 {"not": {"left": {"var": "a"}, "op": "matches",
                          "right": {"value": r"(\w)\1"}}}]}]}}
    doc = scenario(asking("[a-z]+"), condition)
    doc["edges"] = [{"source": "q", "port": "next", "target": "c"}]
    assert issues(doc) == [("pattern.unsupported", "/blocks/1/settings/when/1/any/1/not/right/value")]


def test_a_pattern_from_a_variable_is_checked_when_it_runs_only():
    condition = {"id": "c", "type": "condition", "settings": {"when": [
        {"left": {"var": "a"}, "op": "matches", "right": {"var": "x"}}]}}
    doc = scenario(asking("[a-z]+"), condition)
    doc["edges"] = [{"source": "q", "port": "next", "target": "c"}]
    assert issues(doc) == []


@pytest.mark.parametrize("expression", [
    "'a' + " * 100 + "'a'",               # nests too deeply
    "+".join(["a"] * 300),                # too many parts
    "-" * 500 + "1",
    "9" * 400,                            # a number past the integer limit
    "f'{a:>999999999}'",                  # f-strings
    "1 << 4",
    "{1, 2}",                             # set literals (lists and maps are values)
    "(",                                  # not an expression at all
])
def test_expressions_past_the_limits(expression):
    # `f` declared: the variable scan reads the f of an f-string as a name.
    assert issues(scenario(setting(expression), variables=[
        {"name": "a", "type": "string"}, {"name": "x", "type": "any"},
        {"name": "f", "type": "any"}])) == [
        ("expression.invalid", "/blocks/0/settings/expression")]


def test_ordinary_expressions_and_patterns_pass():
    doc = scenario(asking(r"^[\w.-]+\d{2,4}$"),
                   setting("round(len(a) * 1.5, 2) + max(1, len(a))"),
                   setting("'%05.2f' % len(a)", "t"))
    assert issues(doc) == []
