"""The allow-list evaluator of set_variable expressions: simpleeval over a parsed tree, names
resolved from the conversation's variables, exactly the functions the format lists
(`templates.EXPRESSION_FUNCTIONS`), attribute access only into maps, items by `[]`, list and
map literals. Python's eval is never used. Operators are typed as
docs/expressions-and-patterns.md ("Types") describes: a mix they cannot read is an
ExpressionError naming the values, never a coercion.

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

from orchestrator.engine.values import format_value, number_of, parse_number

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


# --- types -----------------------------------------------------------------------------------------
# Format 2 types arithmetic: numbers add, texts join, lists join. Text that reads as a number
# ("41", "12,5", "1 000": answers arrive as text) is that number next to a number; any other
# mix is an error the author reads, never a guess (format 1 joined "41" + 1 into "411").

_VERBS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide",
          ast.FloorDiv: "divide", ast.Mod: "take the remainder of", ast.Pow: "raise"}


def _is_plain_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def _why_not_number(value: Any) -> str:
    if value is None:
        return "null is not a number"
    if type(value) is bool:
        return f"{format_value(value)} is not a number (true and false are not numbers)"
    if isinstance(value, list):
        return "a list is not a number"
    if isinstance(value, dict):
        return "a map is not a number"
    return f"{_shown(value)} is not a number"


def _operand_number(value: Any, verb: str, a: Any, b: Any) -> int | float:
    """`value` (one of the operands a, b) as a number, or the author's error."""
    if _is_plain_number(value):
        return value
    if type(value) is str:
        number = parse_number(value)
        if number is not None:
            return number
    message = f"cannot {verb} {_shown(a)} and {_shown(b)}: {_why_not_number(value)}"
    if verb == "add" and (type(a) is str or type(b) is str):
        message += f"; to join text write {_shown(a)} + str({_shown(b)})" if type(a) is str \
            else f"; to join text write str({_shown(a)}) + {_shown(b)}"
    raise ExpressionError(message)


def _numbers(verb: str, a: Any, b: Any) -> tuple[int | float, int | float]:
    return _operand_number(a, verb, a, b), _operand_number(b, verb, a, b)


def _comparable(a: Any, b: Any) -> tuple[Any, Any] | None:
    """The operands as numbers when one is a number and the other a number or numeric text;
    None when they are not both numbers that way."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return None
    if _is_plain_number(a):
        if _is_plain_number(b):
            return a, b
        if tb is str:
            number = parse_number(b)
            return (a, number) if number is not None else None
        return None
    if ta is str and _is_plain_number(b):
        number = parse_number(a)
        return (number, b) if number is not None else None
    return None


def _operators(budget: _Budget) -> dict[type, Callable[..., Any]]:
    def add(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is tb and (ta is str or ta is list):  # texts join, lists join
            size = _weight(a) + _weight(b)  # a text weighs its length
            if size > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(size)
            return a + b
        if ta is list or tb is list:
            raise ExpressionError(f"cannot add {_shown(a)} and {_shown(b)}: a list joins only "
                                  "another list; to add an item write append(list, item)")
        x, y = _numbers("add", a, b)
        return _number(x + y)

    def mul(a: Any, b: Any) -> Any:
        numbers = _comparable(a, b)
        if numbers is not None:  # "12,5" * 2 is a product
            return multiply_numbers(*numbers)
        ta, tb = type(a), type(b)
        if (ta is str or ta is list) and _is_count(b) or (tb is str or tb is list) \
                and _is_count(a):
            # Text that is not a number, or a list, repeats: 'ab' * 3, [0] * 5.
            sequence, count = (a, b) if ta is str or ta is list else (b, a)
            size = _weight(sequence) * max(count, 0)
            if size > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(size)
            return a * b
        return multiply_numbers(*_numbers("multiply", a, b))

    def multiply_numbers(a: Any, b: Any) -> Any:
        if isinstance(a, int) and isinstance(b, int) \
                and a.bit_length() + b.bit_length() > _INTEGER_BITS + 1:
            raise _too_big()
        return _number(a * b)

    def power(a: Any, b: Any) -> Any:
        a, b = _numbers("raise", a, b)
        if isinstance(a, int) and isinstance(b, int) and b > 0:
            if -1 <= a <= 1:
                return 1 if a == -1 and b % 2 == 0 else a  # without multiplying b times
            if (a.bit_length() - 1) * b >= _INTEGER_BITS:
                # |a| >= 2**(bits - 1), so a**b has at least (bits - 1) * b bits.
                raise _too_big()
        return _number(a ** b)

    def member(a: Any, b: Any) -> bool:
        # `x in y`: an item of a list, a key of a map, a part of a text; nothing else holds.
        kind = type(b)
        if kind is list:
            budget.spend(len(b))
            return any(equal(a, item) for item in b)
        if kind is dict:
            return isinstance(a, str) and a in b
        if kind is str:
            budget.spend(len(b))
            return (a if type(a) is str else format_value(a)) in b
        raise ExpressionError(f"'in' looks in a text, a list or a map, not in {_shown(b)}")

    def modulo(a: Any, b: Any) -> Any:
        if type(a) is str and (parse_number(a) is None or not _is_plain_number(b)):
            # Text on the left formats, printf-style ('%.2f' % price).
            _check_format(a)
            try:
                result = a % b
            except (TypeError, ValueError, KeyError) as exc:
                raise ExpressionError(f"the format {_shown(a)} does not fit {_shown(b)}: "
                                      f"{exc}") from None
            if len(result) > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(len(result))
            return result
        a, b = _numbers("take the remainder of", a, b)
        if b == 0:
            raise ExpressionError(f"cannot divide {_shown(a)} by zero")
        return _number(a % b)

    def arithmetic(kind: type, operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        verb = _VERBS[kind]

        def run(a: Any, b: Any) -> Any:
            x, y = _numbers(verb, a, b)
            if y == 0 and kind is not ast.Sub:
                raise ExpressionError(f"cannot divide {_shown(a)} by zero")
            return _number(operation(x, y))
        return run

    def unary(sign: str) -> Callable[[Any], Any]:
        def run(value: Any) -> Any:
            if _is_plain_number(value):
                return _number(-value) if sign == "-" else value
            number = parse_number(value) if type(value) is str else None
            if number is None:
                raise ExpressionError(f"cannot use {sign} on {_shown(value)}: "
                                      f"{_why_not_number(value)}")
            return _number(-number) if sign == "-" else number
        return run

    def ordering(name: str, compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        def run(a: Any, b: Any) -> bool:
            numbers = _comparable(a, b)
            if numbers is not None:
                return compare(*numbers)
            ta, tb = type(a), type(b)
            if ta is str and tb is str or ta is list and tb is list:
                return compare(a, b)
            if ta is str or tb is str:
                text, other = (a, b) if ta is str else (b, a)
                if _is_plain_number(other):  # text that is not a number
                    raise ExpressionError(f"cannot compare {_shown(a)} {name} {_shown(b)}: "
                                          f"{_why_not_number(text)}")
            for value in (a, b):
                if not _is_plain_number(value) and type(value) is not str:
                    raise ExpressionError(f"cannot compare {_shown(a)} {name} {_shown(b)}: "
                                          f"{_why_not_number(value)}")
            raise ExpressionError(f"cannot compare {_shown(a)} {name} {_shown(b)}")
        return run

    def equal(a: Any, b: Any) -> bool:
        numbers = _comparable(a, b)
        if numbers is not None:
            return numbers[0] == numbers[1]
        if (type(a) is bool) is not (type(b) is bool):
            return False  # true is not 1
        return a == b

    def no_shift(a: Any, b: Any) -> Any:
        raise ExpressionError("bit shifts are not available")

    def no_bits(*values: Any) -> Any:
        raise ExpressionError("bitwise operators (& | ^ ~) are not available")

    table: dict[type, Callable[..., Any]] = dict(simpleeval.DEFAULT_OPERATORS)
    table.update({
        ast.Add: add, ast.Sub: arithmetic(ast.Sub, operator.sub), ast.Mult: mul,
        ast.Div: arithmetic(ast.Div, operator.truediv),
        ast.FloorDiv: arithmetic(ast.FloorDiv, operator.floordiv),
        ast.Mod: modulo, ast.Pow: power, ast.LShift: no_shift, ast.RShift: no_shift,
        ast.BitAnd: no_bits, ast.BitOr: no_bits, ast.BitXor: no_bits, ast.Invert: no_bits,
        ast.USub: unary("-"), ast.UAdd: unary("+"),
        ast.Lt: ordering("<", operator.lt), ast.LtE: ordering("<=", operator.le),
        ast.Gt: ordering(">", operator.gt), ast.GtE: ordering(">=", operator.ge),
        ast.Eq: equal, ast.NotEq: lambda a, b: not equal(a, b),
        ast.In: member, ast.NotIn: lambda a, b: not member(a, b),
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
        raise ExpressionError(_why_not_number(value))
    return number


def _shown(value: Any) -> str:
    """A value as an author would write it in an expression: texts quoted, null, true."""
    if value is None:
        return "null"
    text = format_value(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text) if type(value) is str else text


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


# --- lists, maps and text as data ----------------------------------------------------------------
# Reading an item never fails for want of it: a position past the end or a key a map lacks is
# null, as a missing variable is. Reading an item of something that has none is an error.

def _position(value: Any, what: str) -> int:
    """A position in a list or text: a whole number (numeric text counts, true does not)."""
    if type(value) is int:
        return value
    number = number_of(value)
    if type(number) is float and number.is_integer():
        number = int(number)
    if type(number) is int:
        return number
    raise ExpressionError(f"{what} is a whole number, not {_shown(value)}")


def _map_key(value: Any) -> str:
    """Maps come from JSON: their keys are text, and a number stands for its text."""
    if type(value) is str:
        return value
    if _is_plain_number(value):
        return format_value(value)
    raise ExpressionError(f"a map key is text, not {_shown(value)}")


def _item(container: Any, key: Any) -> Any:
    """container[key]: an item of a list (negative positions count from the end), a
    character of a text, a value of a map; null when there is none."""
    kind = type(container)
    if kind is list or kind is str:
        index = _position(key, "a position")
        if -len(container) <= index < len(container):
            return container[index]
        return None
    if kind is dict:
        return container.get(_map_key(key))
    if container is None:
        return None
    raise ExpressionError(f"{_shown(container)} has no items: only lists, maps and text do")


def _slice(value: Any, start: Any, end: Any, step: Any, budget: _Budget) -> Any:
    """Part of a list or text, as Python slices (negative positions count from the end)."""
    if value is None:
        return None
    if type(value) is not list and type(value) is not str:
        raise ExpressionError(f"only lists and text have parts, not {_shown(value)}")
    span = slice(None if start is None else _position(start, "the start of a part"),
                 None if end is None else _position(end, "the end of a part"),
                 None if step is None else _position(step, "the step of a part"))
    if span.step == 0:
        raise ExpressionError("the step of a part cannot be zero")
    budget.spend(len(range(len(value))[span]))  # counted before the copy is made
    return value[span]


def _checked_size(value: Any) -> int:
    size = _weight(value)
    if size > limits.MAX_TEXT:
        raise _too_long()
    return size


def _list_argument(value: Any, function: str) -> list[Any]:
    if value is None:
        return []
    if type(value) is not list:
        raise ExpressionError(f"{function}() takes a list, not {_shown(value)}")
    return value


def _map_argument(value: Any, function: str) -> dict[str, Any]:
    if value is None:
        return {}
    if type(value) is not dict:
        raise ExpressionError(f"{function}() takes a map, not {_shown(value)}")
    return value


def _data_functions(budget: _Budget) -> dict[str, Callable[..., Any]]:
    def append(items: Any, value: Any) -> list[Any]:
        items = _list_argument(items, "append")
        size = _weight(items) + 1 + _weight(value)
        if size > limits.MAX_TEXT:
            raise _too_long()
        budget.spend(size)
        return [*items, value]

    def keys(value: Any) -> list[str]:
        mapping = _map_argument(value, "keys")
        budget.spend(len(mapping))
        return list(mapping)

    def values(value: Any) -> list[Any]:
        mapping = _map_argument(value, "values")
        budget.spend(len(mapping))
        return list(mapping.values())

    def total(items: Any) -> int | float:
        items = _list_argument(items, "sum")
        budget.spend(10 * len(items))  # each item is read as a number in Python
        result: int | float = 0
        for item in items:
            number = number_of(item)
            if number is None:
                raise ExpressionError(f"sum() adds numbers: {_why_not_number(item)}")
            result = _number(result + number)
        return result

    def join(items: Any, separator: Any = "") -> str:
        items = _list_argument(items, "join")
        if separator is None:
            separator = ""
        if type(separator) is not str:
            raise ExpressionError(f"join() takes a text separator, not {_shown(separator)}")
        texts: list[str] = []
        size = -len(separator)
        for item in items:
            text = format_value(item)
            size += len(text) + len(separator)
            if size > limits.MAX_TEXT:
                raise _too_long()
            budget.spend(len(text) + 1)
            texts.append(text)
        return separator.join(texts)

    def split(text: Any, separator: Any = None) -> list[str]:
        if text is None:
            return []
        if type(text) is not str:
            raise ExpressionError(f"split() takes a text, not {_shown(text)}")
        if separator is not None and type(separator) is not str:
            raise ExpressionError(f"split() takes a text separator, not {_shown(separator)}")
        if separator == "":
            raise ExpressionError("split() needs a separator that is not empty")
        budget.spend(len(text))  # before splitting: a long text stops here
        parts = text.split(separator)
        if len(parts) + len(text) > limits.MAX_TEXT:
            raise _too_long()
        return parts

    def get(container: Any, key: Any, default: Any = None) -> Any:
        value = _item(container, key)
        return default if value is None else value

    def part(value: Any, start: Any, end: Any = None) -> Any:
        return _slice(value, start, end, None, budget)

    def number(value: Any) -> int | float:
        return _as_number(value)

    def is_number(value: Any) -> bool:
        return number_of(value) is not None

    return {"append": append, "keys": keys, "values": values, "sum": total, "join": join,
            "split": split, "get": get, "slice": part, "number": number,
            "is_number": is_number}


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
        **_data_functions(budget),
    }


class _Evaluator(simpleeval.SimpleEval):
    """simpleeval with attribute access narrowed to reading keys of maps, items read by
    `[]` as the format says (null when absent), list and map literals counted against the
    budget, and without f-strings (refused at parse time too)."""

    def __init__(self, budget: _Budget, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.budget = budget
        self.nodes.pop(ast.JoinedStr, None)
        self.nodes.pop(ast.FormattedValue, None)
        self.nodes[ast.List] = self._eval_list
        self.nodes[ast.Dict] = self._eval_dict

    def _check_disallowed_items(self, item: Any) -> None:
        # simpleeval walks every result for modules and functions it must not hand out: each
        # value here is JSON (names resolve to variables, functions return JSON), and the walk
        # would cost a pass over a whole list at every node that reads one.
        return

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        if node.attr.startswith("_"):
            raise ExpressionError(f"'{node.attr}' cannot be read")
        value = self._eval(node.value)
        if isinstance(value, Mapping):
            return value.get(node.attr)
        if isinstance(value, list) and node.attr.isdigit():
            index = int(node.attr)
            return value[index] if index < len(value) else None
        if value is None:
            return None  # a field of something missing is missing, as in texts
        raise ExpressionError(f"'.{node.attr}' can only read a field of a map")

    def _eval_subscript(self, node: ast.Subscript) -> Any:
        container = self._eval(node.value)
        index = node.slice
        if isinstance(index, ast.Slice):
            return _slice(container, *(None if part is None else self._eval(part)
                                       for part in (index.lower, index.upper, index.step)),
                          self.budget)
        return _item(container, self._eval(index))

    def _eval_list(self, node: ast.List) -> list[Any]:
        items = [self._eval(item) for item in node.elts]
        self.budget.spend(_checked_size(items))
        return items

    def _eval_dict(self, node: ast.Dict) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                raise ExpressionError("'**' unpacking is not available")
            result[_map_key(self._eval(key))] = self._eval(value)
        self.budget.spend(_checked_size(result))
        return result


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
            evaluator = _Evaluator(budget, operators=_operators(budget),
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
        except OverflowError:
            raise ExpressionError("the result is too large for a number") from None
        except (ArithmeticError, TypeError, ValueError, KeyError, IndexError, AttributeError,
                RecursionError, MemoryError) as exc:
            raise ExpressionError(f"{type(exc).__name__}: {exc}") from None
        finally:
            evaluator.names = {}
            clock.now = None
