"""The condition block: evaluates its `when` rules (combined by `mode`, nested all/any/not)
and follows `true` or `false`.

Comparison rules, chosen for what authors expect of texts people type:
* both sides numbers (or numeric texts such as "12,5") compare as numbers;
* `equals`/`not_equals` are otherwise exact and case-sensitive on the values as they read
  (null reads as "", booleans as true/false), since they mostly compare ids and codes;
* `contains`, `not_contains`, `starts_with`, `ends_with` ignore case; `contains` on a list
  asks whether an item equals the right side, on an object whether it has that key;
* `greater`/`less`… compare numbers as numbers and texts as texts (ISO dates order
  correctly); a number and a word, booleans, lists, maps and null have no order: false;
* `matches` is a regular-expression search in RE2's syntax, linear in the text (compiled once
  when the pattern is literal; see `scenarios.format.limits`);
* `is_set`: not null; `is_not_set`: null; `is_empty`: null, blank text, empty list/object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.format import VarOperand, limits

from orchestrator.contract import ServiceOutcome
from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import (
    FOLLOW,
    BlockContext,
    BlockFailure,
    Executor,
    Step,
    call_service,
    javascript_call,
)
from orchestrator.engine.values import format_value, number_of

Predicate = Callable[[BlockContext], bool]
_TRUE = Step(FOLLOW, "true")
_FALSE = Step(FOLLOW, "false")
MAX_MATCHED = limits.MAX_MATCHED
# Patterns read from variables, compiled once each; small, since each holds RE2's memory.
_PATTERNS: dict[str, Any] = {}
_PATTERNS_LIMIT = 256


def _same(a: Any, b: Any) -> bool:
    na, nb = number_of(a), number_of(b)
    if na is not None and nb is not None:
        return na == nb
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return a == b
    return format_value(a) == format_value(b)


def _contains(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return any(_same(item, b) for item in a)
    if isinstance(a, dict):
        return format_value(b) in a
    return format_value(b).casefold() in format_value(a).casefold()


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def run(a: Any, b: Any) -> bool:
        na, nb = number_of(a), number_of(b)
        if na is not None and nb is not None:
            return compare(na, nb)
        # Two texts order as texts (ISO dates too); anything else has no order (a number and
        # a word, booleans, lists, maps, null), so the rule is false, as in expressions
        # (where it is an error).
        if type(a) is str and type(b) is str and na is None and nb is None:
            return compare(a, b)
        return False
    return run


def _pattern(source: Any) -> Any:
    text = format_value(source)
    pattern = _PATTERNS.get(text)
    if pattern is None:
        try:
            pattern = limits.compile_pattern(text)
        except limits.PatternError as exc:
            raise BlockFailure(f"the regular expression of 'matches' cannot run: {exc}") \
                from None
        if len(_PATTERNS) >= _PATTERNS_LIMIT:
            _PATTERNS.clear()
        _PATTERNS[text] = pattern
    return pattern


def _search(pattern: Any, a: Any) -> bool:
    return a is not None and pattern.search(format_value(a)[:MAX_MATCHED]) is not None


def _matches(a: Any, b: Any) -> bool:
    if a is None:
        return False
    return _search(_pattern(b), a)


def _is_empty(a: Any, _: Any = None) -> bool:
    if a is None:
        return True
    if isinstance(a, str):
        return not a.strip()
    if isinstance(a, list | dict):
        return not a
    return False


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": _same,
    "not_equals": lambda a, b: not _same(a, b),
    "contains": _contains,
    "not_contains": lambda a, b: not _contains(a, b),
    "starts_with": lambda a, b: format_value(a).casefold().startswith(
        format_value(b).casefold()),
    "ends_with": lambda a, b: format_value(a).casefold().endswith(format_value(b).casefold()),
    "greater": _ordered(lambda a, b: a > b),
    "greater_or_equal": _ordered(lambda a, b: a >= b),
    "less": _ordered(lambda a, b: a < b),
    "less_or_equal": _ordered(lambda a, b: a <= b),
    "matches": _matches,
    "is_set": lambda a, _: a is not None,
    "is_not_set": lambda a, _: a is None,
    "is_empty": _is_empty,
}


def _operand(operand: Any) -> Callable[[BlockContext], Any]:
    if operand is None:
        return lambda ctx: None
    if isinstance(operand, VarOperand):
        ref = operand.var
        return lambda ctx: ctx.get(ref)
    value = operand.value
    return lambda ctx: value


def compile_condition(condition: Any) -> Predicate:
    """A predicate over the context; the settings' tree is walked once, here."""
    if hasattr(condition, "all") and isinstance(condition.all, list):
        parts = tuple(compile_condition(c) for c in condition.all)
        return lambda ctx: all(part(ctx) for part in parts)
    if hasattr(condition, "any") and isinstance(condition.any, list):
        parts = tuple(compile_condition(c) for c in condition.any)
        return lambda ctx: any(part(ctx) for part in parts)
    if hasattr(condition, "not_"):
        inner = compile_condition(condition.not_)
        return lambda ctx: not inner(ctx)
    compare = OPERATORS[condition.op]
    left = _operand(condition.left)
    right_operand = condition.right
    if condition.op == "matches" and right_operand is not None \
            and not isinstance(right_operand, VarOperand):
        try:
            literal = _pattern(right_operand.value)
        except BlockFailure as exc:
            # A version published before patterns were checked for RE2: the block fails when
            # it runs (into the error handler), the rest of the scenario still works.
            problem = str(exc)

            def refuse(ctx: BlockContext) -> bool:
                raise BlockFailure(problem)
            return refuse
        return lambda ctx: _search(literal, left(ctx))
    right = _operand(right_operand)
    return lambda ctx: compare(left(ctx), right(ctx))


class ConditionExecutor(Executor):
    type_name = "condition"

    def prepare(self, settings: Any, block_id: str) -> Predicate | str:
        if getattr(settings, "javascript", None) is not None:
            return settings.javascript  # asked of the sandbox when the block runs
        rules = tuple(compile_condition(rule) for rule in settings.when)
        if len(rules) == 1:
            return rules[0]
        if settings.mode == "any":
            return lambda ctx: any(rule(ctx) for rule in rules)
        return lambda ctx: all(rule(ctx) for rule in rules)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        plan = block.plan
        if plan.__class__ is str:
            return call_service(javascript_call(plan, ctx))
        return _TRUE if plan(ctx) else _FALSE

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        """JavaScript's own truth: false, 0, "", null and NaN are false, anything else true
        (an empty list or object too)."""
        if outcome.status != "ok":
            raise BlockFailure(f"the JavaScript condition {block.plan!r} failed: "
                               f"{outcome.error}")
        value = outcome.value
        truthy = value is not None and value is not False and value != 0 and value != ""
        return _TRUE if truthy else _FALSE
