"""The evaluator offers exactly the functions the format documents, and nothing of Python."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from orchestrator.engine import expressions
from scenarios.format.templates import EXPRESSION_FUNCTIONS


def evaluate(source: str, **names):
    evaluator = expressions.ExpressionEvaluator()
    return evaluator.evaluate(expressions.parse(source), source, names.get,
                              datetime(2025, 1, 2, 3, 4, tzinfo=UTC))


def test_function_table_matches_the_format():
    assert set(expressions._functions(expressions._Clock())) == set(EXPRESSION_FUNCTIONS)


@pytest.mark.parametrize(("source", "expected"), [
    ("len(s)", 3), ("lower(s)", "abc"), ("upper('x')", "X"), ("trim('  a ')", "a"),
    ("round(2.345, 2)", 2.35), ("round(2.5)", 3), ("abs(-3)", 3), ("min(3, 1, 2)", 1),
    ("max(items)", 9), ("int('12')", 12), ("float('1,5')", 1.5), ("str(12.0)", "12"),
    ("now()", "2025-01-02T03:04:00+00:00"), ("today()", "2025-01-02"),
    ("null", None), ("true or false", True), ("'Order ' + str(n)", "Order 7"),
    ("o.a.b", 1), ("o.missing", None), ("items[0]", 4),
])
def test_allowed(source, expected):
    assert evaluate(source, s="AbC", n=7, items=[4, 9], o={"a": {"b": 1}}) == expected


@pytest.mark.parametrize("source", [
    "__import__('os')", "s.__class__", "s.upper()", "getattr(s, 'x')", "type(s)",
    "2 ** 1000", "'x' * 20000", "min()", "round(1, 100)",
])
def test_refused(source):
    with pytest.raises(expressions.ExpressionError):
        evaluate(source, s="abc")
