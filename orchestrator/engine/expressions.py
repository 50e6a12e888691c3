"""The allow-list evaluator of set_variable expressions: simpleeval over a parsed tree, names
resolved from the conversation's variables, exactly the functions the format lists
(`templates.EXPRESSION_FUNCTIONS`), attribute access only into object variables, and limits
on powers and string sizes. Python's eval is never used."""

from __future__ import annotations

import ast
import math
import operator
import threading
from decimal import ROUND_HALF_UP, Decimal
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import simpleeval

from orchestrator.engine.values import format_value, number_of

MAX_STRING = 10_000
MAX_EXPONENT = 100
MAX_BASE = 10**12
MAX_ITEMS = 10_000
KEYWORD_NAMES: dict[str, Any] = {"true": True, "false": False, "null": None}


class ExpressionError(Exception):
    """The expression cannot run; the message is for the bot's author."""


def parse(expression: str) -> ast.AST:
    """Parse once, at compile time; the tree is reused for every evaluation."""
    try:
        return simpleeval.SimpleEval.parse(expression)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"the expression is not valid: {exc}") from None
    except simpleeval.InvalidExpression as exc:
        raise ExpressionError(f"the expression is not valid: {exc}") from None


# --- operators with limits ----------------------------------------------------------------------

def _sized(value: Any) -> int:
    return len(value) if isinstance(value, str | list | dict) else 0


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, str) != isinstance(b, str) and (isinstance(a, str) or isinstance(b, str)):
        # Text + number reads as concatenation to authors ("Order " + id).
        return _check_size(format_value(a) + format_value(b))
    return _check_size(operator.add(a, b))


def _mul(a: Any, b: Any) -> Any:
    if isinstance(a, str | list) or isinstance(b, str | list):
        count = b if isinstance(a, str | list) else a
        base = a if isinstance(a, str | list) else b
        if not isinstance(count, int) or isinstance(count, bool):
            raise ExpressionError("text can only be repeated a whole number of times")
        if count * _sized(base) > MAX_STRING:
            raise ExpressionError(f"the result would be longer than {MAX_STRING} characters")
    return operator.mul(a, b)


def _pow(a: Any, b: Any) -> Any:
    if isinstance(a, int | float) and isinstance(b, int | float):
        if abs(b) > MAX_EXPONENT or abs(a) > MAX_BASE:
            raise ExpressionError(f"powers are limited to exponents up to {MAX_EXPONENT}")
    return operator.pow(a, b)


def _check_size(value: Any) -> Any:
    if _sized(value) > MAX_STRING:
        raise ExpressionError(f"the result would be longer than {MAX_STRING} characters")
    return value


def _no_shift(a: Any, b: Any) -> Any:
    raise ExpressionError("bit shifts are not available")


OPERATORS: dict[type, Callable[..., Any]] = dict(simpleeval.DEFAULT_OPERATORS)
OPERATORS.update({ast.Add: _add, ast.Mult: _mul, ast.Pow: _pow,
                  ast.LShift: _no_shift, ast.RShift: _no_shift})


# --- the function allow-list --------------------------------------------------------------------

def _text(value: Any) -> str:
    return format_value(value)


def _len(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str | list | dict):
        return len(value)
    return len(format_value(value))


def _number(value: Any) -> int | float:
    number = number_of(value)
    if number is None:
        raise ExpressionError(f"{format_value(value)!r} is not a number")
    return number


def _round(value: Any, digits: Any = 0) -> int | float:
    number = _number(value)
    if not isinstance(digits, int) or isinstance(digits, bool) or abs(digits) > 15:
        raise ExpressionError("round() takes a number of digits from -15 to 15")
    # Half away from zero, as prices and people round (Python's round() goes half to even:
    # 202.5 would become 202).
    if not math.isfinite(number):
        return number
    quantum = Decimal(1).scaleb(-digits)
    rounded = float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))
    return int(rounded) if digits <= 0 and math.isfinite(rounded) else rounded


def _int(value: Any) -> int:
    number = _number(value)
    if isinstance(number, float) and not math.isfinite(number):
        raise ExpressionError("the number is not finite")
    return int(number)


def _float(value: Any) -> float:
    return float(_number(value))


def _extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        items = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
        if not items:
            raise ExpressionError(f"{pick.__name__}() needs at least one value")
        if len(items) > MAX_ITEMS:
            raise ExpressionError(f"{pick.__name__}() takes at most {MAX_ITEMS} values")
        numbers = [number_of(item) for item in items]
        if all(n is not None for n in numbers):
            return pick(numbers)
        return pick(format_value(item) for item in items)
    return run


class _Clock:
    """now()/today() read the turn's time, never the machine's: turns stay deterministic."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now: datetime | None = None

    def iso_now(self) -> str:
        return self.now.isoformat() if self.now else ""

    def iso_today(self) -> str:
        return self.now.date().isoformat() if self.now else ""


def _functions(clock: _Clock) -> dict[str, Callable[..., Any]]:
    return {
        "len": _len,
        "lower": lambda value: _text(value).lower(),
        "upper": lambda value: _text(value).upper(),
        "trim": lambda value: _text(value).strip(),
        "round": _round,
        "abs": lambda value: abs(_number(value)),
        "min": _extreme(min),
        "max": _extreme(max),
        "int": _int,
        "float": _float,
        "str": _text,
        "now": clock.iso_now,
        "today": clock.iso_today,
    }


class _Evaluator(simpleeval.SimpleEval):
    """simpleeval with attribute access narrowed to reading keys of object variables."""

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        if node.attr.startswith("_"):
            raise ExpressionError(f"'{node.attr}' cannot be read")
        value = self._eval(node.value)
        if isinstance(value, Mapping):
            return value.get(node.attr)
        if isinstance(value, list) and node.attr.isdigit():
            index = int(node.attr)
            return value[index] if index < len(value) else None
        raise ExpressionError(f"'.{node.attr}' can only read a field of an object variable")


class ExpressionEvaluator:
    """One configured evaluator per thread (simpleeval keeps the current names on the
    instance); building one per evaluation would cost more than evaluating."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _instance(self) -> tuple[_Evaluator, _Clock]:
        local = self._local
        evaluator = getattr(local, "evaluator", None)
        if evaluator is None:
            clock = _Clock()
            evaluator = _Evaluator(operators=OPERATORS, functions=_functions(clock), names={})
            local.evaluator, local.clock = evaluator, clock
        return evaluator, local.clock

    def evaluate(self, tree: ast.AST, source: str, lookup: Callable[[str], Any],
                 now: datetime) -> Any:
        evaluator, clock = self._instance()

        def names(node: ast.Name) -> Any:
            if node.id in KEYWORD_NAMES:
                return KEYWORD_NAMES[node.id]
            return lookup(node.id)

        evaluator.names = names
        clock.now = now
        try:
            return evaluator.eval(source, previously_parsed=tree)
        except ExpressionError:
            raise
        except simpleeval.InvalidExpression as exc:
            raise ExpressionError(str(exc)) from None
        except (ArithmeticError, TypeError, ValueError, KeyError, IndexError, AttributeError,
                RecursionError, MemoryError) as exc:
            raise ExpressionError(f"{type(exc).__name__}: {exc}") from None
        finally:
            evaluator.names = {}
            clock.now = None
