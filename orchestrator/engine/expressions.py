"""The allow-list evaluator of set_variable expressions: simpleeval over a parsed tree, names
resolved from the conversation's variables, exactly the functions the format lists
(`templates.EXPRESSION_FUNCTIONS`), attribute access only into object variables. Python's eval
is never used.

Every operation is bounded before its result is built (`scenarios.format.limits` holds the
numbers): texts and lists by size, integers by digits (estimated from the operands' bit
lengths, so `2 ** 10**9` is never computed), floats finite, `%` formats by width, and what one
evaluation builds in all by a budget. The tree itself is bounded when parsed (length, parts,
nesting), and has no loops, so an evaluation cannot run long."""

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
from scenarios.format import limits

from orchestrator.engine.values import format_value, number_of

KEYWORD_NAMES: dict[str, Any] = {"true": True, "false": False, "null": None}
MAX_ITEMS = limits.MAX_TEXT
_INTEGER_LIMIT = limits.INTEGER_LIMIT
# A product of numbers of a and b bits has at least a + b - 1 bits: past this it cannot fit.
_INTEGER_BITS = _INTEGER_LIMIT.bit_length()
_FORMAT_DIGITS = len(str(limits.MAX_FORMAT_WIDTH))


class ExpressionError(Exception):
    """The expression cannot run; the message is for the bot's author."""


def parse(expression: str) -> ast.AST:
    """Parse once, at compile time (with the format's size and nesting limits); the tree is
    reused for every evaluation."""
    try:
        return limits.parse_expression(expression)
    except limits.ExpressionProblem as exc:
        raise ExpressionError(str(exc)) from None


# --- bounds ---------------------------------------------------------------------------------------
# Every operation checks what it would build before building it: the sizes of texts and lists
# from their operands, the bits of an integer product or power from the operands' bit lengths.
# What one evaluation builds or walks in total is counted against a budget.

class _Budget:
    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = limits.MAX_WORK

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise ExpressionError(f"the expression does too much work (more than "
                                  f"{limits.MAX_WORK:,} characters and items in all)")


def _too_long() -> ExpressionError:
    return ExpressionError(f"the result would be longer than {limits.MAX_TEXT:,} characters "
                           "or items")


def _too_big() -> ExpressionError:
    return ExpressionError(f"the result would have more than {limits.MAX_INTEGER_DIGITS} "
                           "digits")


def _number(value: Any) -> Any:
    """A number result within the limits (other values pass through)."""
    kind = type(value)
    if kind is int:
        if -_INTEGER_LIMIT < value < _INTEGER_LIMIT:
            return value
        raise _too_big()
    if kind is float:
        if math.isfinite(value):
            return value
        raise ExpressionError("the result is not a finite number")
    if kind is complex:
        raise ExpressionError("the result is not a real number")
    return value


def _weight(value: Any, depth: int = 0) -> int:
    """What a value costs to build or store: characters of texts, one per number, and items
    of lists and objects with their contents."""
    kind = type(value)
    if kind is str:
        return len(value)
    if kind is list or kind is dict:
        if depth > 32:
            raise ExpressionError("the value is nested too deeply")
        items = value.values() if kind is dict else value
        return len(value) + sum(_weight(item, depth + 1) for item in items)
    return 1


def _is_count(value: Any) -> bool:
    return type(value) is int


def _operators(budget: _Budget) -> dict[type, Callable[..., Any]]:
    def add(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is str or tb is str:
            if ta is not tb:
                # Text + number reads as concatenation to authors ("Order " + id).
                a, b = format_value(a), format_value(b)
            size = len(a) + len(b)
            if size > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(size)
            return a + b
        if ta is list and tb is list:
            size = _weight(a) + _weight(b)
            if size > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(size)
            return a + b
        return _number(a + b)

    def mul(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is str or ta is list or tb is str or tb is list:
            sequence, count = (a, b) if ta is str or ta is list else (b, a)
            if not _is_count(count):
                raise ExpressionError("text can only be repeated a whole number of times")
            size = _weight(sequence) * max(count, 0)
            if size > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(size)
            return a * b
        if isinstance(a, int) and isinstance(b, int) \
                and a.bit_length() + b.bit_length() > _INTEGER_BITS + 1:
            raise _too_big()
        return _number(a * b)

    def power(a: Any, b: Any) -> Any:
        if isinstance(a, int) and isinstance(b, int) and b > 0:
            if -1 <= a <= 1:
                return 1 if a == -1 and b % 2 == 0 else a  # without multiplying b times
            if (a.bit_length() - 1) * b >= _INTEGER_BITS:
                # |a| >= 2**(bits - 1), so a**b has at least (bits - 1) * b bits.
                raise _too_big()
        return _number(a ** b)

    def modulo(a: Any, b: Any) -> Any:
        if type(a) is str:
            _check_format(a)
            result = a % b
            if len(result) > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(len(result))
            return result
        return _number(a % b)

    def arithmetic(operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def run(a: Any, b: Any) -> Any:
            return _number(operation(a, b))
        return run

    def no_shift(a: Any, b: Any) -> Any:
        raise ExpressionError("bit shifts are not available")

    table: dict[type, Callable[..., Any]] = dict(simpleeval.DEFAULT_OPERATORS)
    table.update({
        ast.Add: add, ast.Sub: arithmetic(operator.sub), ast.Mult: mul,
        ast.Div: arithmetic(operator.truediv), ast.FloorDiv: arithmetic(operator.floordiv),
        ast.Mod: modulo, ast.Pow: power, ast.LShift: no_shift, ast.RShift: no_shift,
    })
    return table


def _check_format(template: str) -> None:
    """Refuse printf-style widths and precisions past the limit, and `*` (taken from the
    arguments), before formatting: `'%0999999999d' % 1` would build a gigabyte. One pass."""
    size = len(template)
    index = template.find("%")
    while index != -1:
        at = index + 1
        if at < size and template[at] == "(":
            depth = 1
            at += 1
            while at < size and depth:
                depth += {"(": 1, ")": -1}.get(template[at], 0)
                at += 1
            if depth:
                return  # Python refuses an unclosed key itself
        while at < size and template[at] in "#0- +":
            at += 1
        for part in ("width", "precision"):
            if part == "precision":
                if at >= size or template[at] != ".":
                    break
                at += 1
            if at < size and template[at] == "*":
                raise ExpressionError("a % format cannot take its width or precision from "
                                      "the values")
            digits = at
            while at < size and template[at].isdigit():
                at += 1
            if at - digits > _FORMAT_DIGITS or (at > digits and int(
                    template[digits:at]) > limits.MAX_FORMAT_WIDTH):
                raise ExpressionError(f"a % format has a width and precision of at most "
                                      f"{limits.MAX_FORMAT_WIDTH}")
        index = template.find("%", at + 1)


# --- the function allow-list --------------------------------------------------------------------

def _len(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str | list | dict):
        return len(value)
    return len(format_value(value))


def _as_number(value: Any) -> int | float:
    number = number_of(value)
    if number is None:
        raise ExpressionError(f"{_shown(value)} is not a number")
    return number


def _shown(value: Any) -> str:
    text = format_value(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _round(value: Any, digits: Any = 0) -> int | float:
    number = _as_number(value)
    if not isinstance(digits, int) or isinstance(digits, bool) or abs(digits) > 15:
        raise ExpressionError("round() takes a number of digits from -15 to 15")
    # Half away from zero, as prices and people round (Python's round() goes half to even:
    # 202.5 would become 202).
    if not math.isfinite(number):
        return number
    quantum = Decimal(1).scaleb(-digits)
    rounded = float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))
    return _number(int(rounded) if digits <= 0 and math.isfinite(rounded) else rounded)


def _int(value: Any) -> int:
    number = _as_number(value)
    if isinstance(number, float) and not math.isfinite(number):
        raise ExpressionError("the number is not finite")
    return _number(int(number))


def _float(value: Any) -> float:
    return _number(float(_as_number(value)))


def _extreme(pick: Callable[..., Any], budget: _Budget) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        items = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
        if not items:
            raise ExpressionError(f"{pick.__name__}() needs at least one value")
        if len(items) > MAX_ITEMS:
            raise ExpressionError(f"{pick.__name__}() takes at most {MAX_ITEMS} values")
        # Ten per value: each is read as a number in Python, not copied in C.
        budget.spend(10 * len(items))
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


def _functions(clock: _Clock, budget: _Budget | None = None) -> dict[str, Callable[..., Any]]:
    budget = budget or _Budget()

    def text(value: Any) -> str:
        # Lists and objects read as JSON: as long as they are stored, counted once made.
        result = format_value(value)
        budget.spend(len(result))
        return result

    return {
        "len": _len,
        "lower": lambda value: text(value).lower(),
        "upper": lambda value: text(value).upper(),
        "trim": lambda value: text(value).strip(),
        "round": _round,
        "abs": lambda value: _number(abs(_as_number(value))),
        "min": _extreme(min, budget),
        "max": _extreme(max, budget),
        "int": _int,
        "float": _float,
        "str": text,
        "now": clock.iso_now,
        "today": clock.iso_today,
    }


class _Evaluator(simpleeval.SimpleEval):
    """simpleeval with attribute access narrowed to reading keys of object variables, and
    without f-strings (refused at parse time too)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.nodes.pop(ast.JoinedStr, None)
        self.nodes.pop(ast.FormattedValue, None)

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

    def _instance(self) -> tuple[_Evaluator, _Clock, _Budget]:
        local = self._local
        evaluator = getattr(local, "evaluator", None)
        if evaluator is None:
            clock, budget = _Clock(), _Budget()
            evaluator = _Evaluator(operators=_operators(budget),
                                   functions=_functions(clock, budget), names={})
            local.evaluator, local.clock, local.budget = evaluator, clock, budget
        return evaluator, local.clock, local.budget

    def evaluate(self, tree: ast.AST, source: str, lookup: Callable[[str], Any],
                 now: datetime) -> Any:
        evaluator, clock, budget = self._instance()

        def names(node: ast.Name) -> Any:
            if node.id in KEYWORD_NAMES:
                return KEYWORD_NAMES[node.id]
            return lookup(node.id)

        evaluator.names = names
        clock.now = now
        budget.left = limits.MAX_WORK
        try:
            return _number(evaluator.eval(source, previously_parsed=tree))
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
