"""Module schemas are the author's, the values checked against them a person's: neither may
hold the event loop. jsonschema's regular expressions run on RE2 (linear time); what RE2
cannot run is refused when the schema is saved."""

from __future__ import annotations

import time

import jsonschema._keywords
import jsonschema._utils
import pytest

from modules.library.running import (
    MAX_PROBLEM,
    _LinearRegex,
    instance_problem,
    schema_problem,
    validator,
)

EVIL = "^(a+)+$"  # exponential for a backtracking engine on "aaaa…b"
ATTACK = "a" * 5000 + "b"


def test_jsonschema_still_asks_re2_for_its_regular_expressions() -> None:
    """If a jsonschema release moves its `re.search` calls, this fails before a schema can
    stall the server."""
    assert jsonschema._keywords.re is _LinearRegex
    assert jsonschema._utils.re is _LinearRegex


def test_other_uses_of_jsonschema_keep_pythons_regular_expressions() -> None:
    """Only module values are checked on RE2: a schema elsewhere in the process (the
    scenario format's, say) may use what RE2 refuses."""
    from jsonschema import Draft202012Validator

    schema = {"type": "string", "pattern": r"^(?:[a-z]{0,128}){0,8}$|(?=x)x"}
    assert Draft202012Validator(schema).is_valid("abc")
    assert schema_problem(schema) is not None  # but a module may not have it


@pytest.mark.parametrize(("schema", "value"), [
    ({"type": "string", "pattern": EVIL}, ATTACK),
    ({"type": "object", "patternProperties": {EVIL: {"type": "integer"}}}, {ATTACK: 1}),
    ({"type": "object", "patternProperties": {EVIL: {}}, "additionalProperties": False},
     {ATTACK: 1}),
    ({"type": "object", "patternProperties": {EVIL: {}}, "unevaluatedProperties": False},
     {ATTACK: 1}),
    ({"type": "array", "items": {"type": "string", "pattern": EVIL}}, [ATTACK] * 50),
])
def test_catastrophic_patterns_are_checked_in_linear_time(schema, value) -> None:  # type: ignore[no-untyped-def]
    assert schema_problem(schema) is None
    started = time.perf_counter()
    problem = instance_problem(validator(schema), value)
    # Python's re needs longer than the age of the universe for these; RE2 a millisecond.
    assert time.perf_counter() - started < 2
    assert problem is None or len(problem) <= MAX_PROBLEM + 210


def test_patterns_still_mean_what_they_say() -> None:
    checker = validator({"type": "object", "properties": {
        "code": {"type": "string", "pattern": r"^[A-Z]{2}\d{3}$"},
        "name": {"type": "string", "pattern": r"^\w+$"}},
        "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False})
    assert instance_problem(checker, {"code": "UA123", "name": "Олена", "x-a": "b"}) is None
    assert "does not match" in instance_problem(checker, {"code": "ua123"})
    assert "is not of type 'string'" in instance_problem(checker, {"x-a": 1})
    assert "does not match any of the regexes" in instance_problem(checker, {"other": 1})


@pytest.mark.parametrize(("schema", "where"), [
    ({"type": "string", "pattern": "(?=a)b"}, "/pattern"),
    ({"properties": {"p": {"pattern": r"(a)\1"}}}, "/properties/p/pattern"),
    ({"patternProperties": {"(?<!x)y": {}}}, "/patternProperties/(?<!x)y"),
    ({"$defs": {"d": {"pattern": "x" * 1001}}}, "/$defs/d/pattern"),
])
def test_a_pattern_re2_cannot_run_is_refused_with_where_it_is(schema, where) -> None:  # type: ignore[no-untyped-def]
    problem = schema_problem(schema)
    assert problem is not None and problem.startswith(f"at {where}:")


def test_a_pattern_inside_a_constant_is_data_not_a_pattern() -> None:
    assert schema_problem({"const": {"pattern": "(?=a)"}, "enum": [{"pattern": "(?=b)"}]}) \
        is None
