"""What an expression does, read from its parsed tree without running it: the variables it
reads, whether its calls name functions the evaluator has with the right number of arguments,
and the static type of each part where the document shows it (literals, declared variables,
function results). Also whether a value can be stored in a declared variable type: the
format's conversion (`scenarios.format.values.coerce`), which the engine stores with.

The typing rules are format 2's: text that reads as a number is that number in arithmetic and
ordering comparisons, text that does not fails the block; `%` after a text formats it; `*` of
a text or list by a whole number repeats it."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scenarios.format import limits
from scenarios.format.values import coerce, parse_number
from scenarios.format.templates import FUNCTION_ARITY
from scenarios.format.templates import expression_variables as scanned_variables

KEYWORDS: Mapping[str, Any] = {"true": True, "false": False, "null": None}

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem of one expression; `code` is a validation issue code."""

    code: str
    message: str
    severity: Severity = "error"


# --- storing values in declared types -------------------------------------------------------

def reads_as_number(text: str) -> bool:
    """Whether the engine takes this text for a number."""
    return parse_number(text) is not None


def storable(value: Any, type_: str) -> bool:
    """Whether the engine can store this JSON value in a variable of the declared type: the
    engine's own conversion, asked."""
    try:
        coerce(value, type_)
    except ValueError:
        return False
    return True


# Static types that can never be stored in a declared type, whatever the value at run time
# (null always can, and is not a static type here).
_NEVER: Mapping[str, frozenset[str]] = {
    "number": frozenset({"boolean", "date", "list", "object"}),
    "boolean": frozenset({"date", "list", "object"}),
    "date": frozenset({"number", "boolean", "list", "object"}),
    "list": frozenset({"string", "date", "number", "boolean", "object"}),
    "object": frozenset({"string", "date", "number", "boolean", "list"}),
}


@dataclass(frozen=True, slots=True)
class Static:
    """What the document shows about a value: its type ("any" when unknown) and, for a
    literal, the value itself."""

    type: str
    literal: Any = None
    known: bool = False  # whether `literal` holds the value

    def fits(self, type_: str) -> bool:
        """False when the value can never be stored in a variable of `type_`."""
        if self.known:
            return storable(self.literal, type_)
        return self.type not in _NEVER.get(type_, frozenset())

    def describe(self) -> str:
        if self.known:
            return f"the value {shown_value(self.literal)}"
        return _TYPE_WORDS.get(self.type, "a value")


_TYPE_WORDS: Mapping[str, str] = {
    "string": "a text", "number": "a number", "boolean": "true or false", "date": "a date",
    "list": "a list", "object": "a map", "null": "null"}


def shown_value(value: Any) -> str:
    """A JSON value as an author wrote it, shortened."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


ANY = Static("any")


# --- the tree -------------------------------------------------------------------------------

def called_names(tree: ast.AST) -> Iterator[ast.Name]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield node.func


def read_names(tree: ast.AST) -> set[str]:
    """Variables the expression reads: names that are neither keywords nor called."""
    called = {id(name) for name in called_names(tree)}
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and id(node) not in called
            and node.id not in KEYWORDS}


def expression_variables(source: str) -> set[str]:
    """The variables an expression reads; for one that does not parse (reported on its own),
    the identifiers a scan finds."""
    try:
        tree = limits.parse_expression(source)
    except limits.ExpressionProblem:
        return scanned_variables(source)
    return read_names(tree)


@dataclass(frozen=True, slots=True)
class ExpressionCheck:
    reads: frozenset[str]
    findings: tuple[Finding, ...]
    result: Static


def check_expression(source: str, types: Mapping[str, str]) -> ExpressionCheck | None:
    """Reads, problems and result type of an expression, with `types` the declared type of
    each variable; None when it does not parse (the limits check reports why)."""
    try:
        tree = limits.parse_expression(source)
    except limits.ExpressionProblem:
        return None
    checker = _Checker(source.strip(), types)
    result = checker.visit(tree)
    return ExpressionCheck(frozenset(read_names(tree)), tuple(checker.findings), result)


_TEXT_FUNCTIONS = frozenset({"str", "lower", "upper", "trim", "join", "now", "today"})
_NUMBER_FUNCTIONS = frozenset({"len", "round", "abs", "int", "float", "number", "sum"})
_LIST_FUNCTIONS = frozenset({"append", "keys", "values", "split"})
_ARITHMETIC = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply",
               ast.Div: "divide", ast.FloorDiv: "divide", ast.Pow: "raise",
               ast.Mod: "take the remainder of"}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


class _Checker:
    """Infers a Static per node (the tree is at most limits.MAX_EXPRESSION_DEPTH deep, so
    recursion is bounded) and collects findings."""

    def __init__(self, source: str, types: Mapping[str, str]) -> None:
        self.source = source
        self.types = types
        self.findings: list[Finding] = []

    def add(self, code: str, message: str, severity: Severity = "error") -> None:
        finding = Finding(code, message, severity)
        if finding not in self.findings:
            self.findings.append(finding)

    def text(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.source, node) or ast.unparse(node)
        return segment if len(segment) <= 40 else segment[:37] + "..."

    def visit(self, node: ast.AST) -> Static:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is not None:
            return method(node)
        # Nodes this checker does not type (subscripts, slices, new kinds): still check what
        # they contain, so calls and mixes inside them are found.
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.visit(child)
        return ANY

    def _Constant(self, node: ast.Constant) -> Static:
        value = node.value
        if isinstance(value, bool):
            return Static("boolean", value, True)
        if isinstance(value, int | float):
            return Static("number", value, True)
        if isinstance(value, str):
            return Static("string", value, True)
        if value is None:
            return Static("null", None, True)
        return ANY

    def _Name(self, node: ast.Name) -> Static:
        if node.id in KEYWORDS:
            value = KEYWORDS[node.id]
            return Static("null" if value is None else "boolean", value, True)
        return Static(self.types.get(node.id, "any"))

    def _List(self, node: ast.List) -> Static:
        for item in node.elts:
            self.visit(item)
        return Static("list")

    def _Dict(self, node: ast.Dict) -> Static:
        for part in [*node.keys, *node.values]:
            if part is not None:
                self.visit(part)
        return Static("object")

    def _UnaryOp(self, node: ast.UnaryOp) -> Static:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return Static("boolean")
        return Static("number") if operand.type == "number" else ANY

    def _BoolOp(self, node: ast.BoolOp) -> Static:
        # `a or b` is one of its operands, as in Python.
        kinds = {self.visit(value).type for value in node.values}
        return Static(kinds.pop()) if len(kinds) == 1 else ANY

    def _IfExp(self, node: ast.IfExp) -> Static:
        self.visit(node.test)
        kinds = {self.visit(node.body).type, self.visit(node.orelse).type}
        return Static(kinds.pop()) if len(kinds) == 1 else ANY

    def _Compare(self, node: ast.Compare) -> Static:
        sides = [node.left, *node.comparators]
        statics = [self.visit(side) for side in sides]
        for position, op in enumerate(node.ops):
            if isinstance(op, _ORDERING):
                self.mix(sides[position], statics[position], sides[position + 1],
                         statics[position + 1], "compare")
        return Static("boolean")

    def _BinOp(self, node: ast.BinOp) -> Static:
        left, right = self.visit(node.left), self.visit(node.right)
        op = type(node.op)
        if op is ast.Mod and left.type == "string" and not (
                left.known and reads_as_number(left.literal)):
            return Static("string")  # printf-style formatting
        if op is ast.Mult:
            for sequence, count in ((left, right), (right, left)):
                if count.type == "number" and (sequence.type == "list" or (
                        sequence.known and sequence.type == "string"
                        and not reads_as_number(sequence.literal))):
                    return Static(sequence.type)  # repetition
            if "string" in (left.type, right.type) and not (left.known and right.known):
                return ANY  # text that is not a number repeats instead: either may happen
        if op is ast.Add:
            if left.type == right.type and left.type in ("string", "list"):
                return Static(left.type)
        verb = _ARITHMETIC.get(op)
        if verb is None:
            return ANY
        if self.mix(node.left, left, node.right, right, verb):
            return Static("number")
        return ANY

    def mix(self, a: ast.AST, sa: Static, b: ast.AST, sb: Static, verb: str) -> bool:
        """Check a number-like operation of two sides; True when the result is a number."""
        if sa.type == "number" and sb.type == "number":
            return True
        if "number" not in (sa.type, sb.type):
            return False
        node, other = (b, sb) if sa.type == "number" else (a, sa)
        shown = f"'{node.id}'" if isinstance(node, ast.Name) and not other.known \
            else self.text(node)
        if other.type == "string" and other.known:
            if reads_as_number(other.literal):
                return True
            hint = "; to join texts write str(...) around the number" if verb == "add" else ""
            self.add("expression.type",
                     f"cannot {verb} {shown} and a number: {shown} is not a number, so the "
                     f"block would always fail{hint}")
            return False
        if other.type in ("boolean", "null", "date", "list", "object"):
            what = "is not a number" if other.known else \
                f"holds {_TYPE_WORDS[other.type]}, not a number"
            self.add("expression.type",
                     f"cannot {verb} {shown} and a number: {shown} {what}, so the block "
                     "would always fail")
            return False
        if other.type == "string":
            is_variable = isinstance(node, ast.Name)
            subject = f"'{node.id}' is" if is_variable else f"{shown} is"
            fix = (f"declare it a number or use number({node.id})" if is_variable
                   else f"use number({shown})")
            done = "compared as a number" if verb == "compare" else "used as a number"
            self.add("expression.type_mix",
                     f"{subject} text: it is {done} when it holds one, otherwise the block "
                     f"fails; {fix}", "warning")
            return True
        return False

    def _Call(self, node: ast.Call) -> Static:
        arguments = [self.visit(argument) for argument in node.args]
        for keyword in node.keywords:
            self.visit(keyword.value)
        if not isinstance(node.func, ast.Name):
            self.visit(node.func)
            self.add("expression.call",
                     f"{self.text(node.func)} cannot be called: only the expression "
                     "functions can (len(x), lower(x), ...)")
            return ANY
        name = node.func.id
        arity = FUNCTION_ARITY.get(name)
        if arity is None:
            close = difflib.get_close_matches(name, list(FUNCTION_ARITY), n=1)
            hint = f"; did you mean {close[0]}()?" if close else ""
            self.add("expression.unknown_function",
                     f"there is no function {name}(){hint} (functions: "
                     f"{', '.join(sorted(FUNCTION_ARITY))})")
            return ANY
        if node.keywords:
            self.add("expression.arity",
                     f"{name}() takes its arguments by position, without names")
        count = len(node.args) + len(node.keywords)
        fewest, most = arity
        if count < fewest or (most is not None and count > most):
            if most is None:
                wanted = f"at least {fewest}"
            elif fewest == most:
                wanted = str(fewest)
            else:
                wanted = f"{fewest} to {most}"
            noun = "argument" if wanted in ("1", "at least 1") else "arguments"
            self.add("expression.arity",
                     f"{name}() takes {wanted} {noun}, not {count}")
        if name in _TEXT_FUNCTIONS:
            return Static("string")
        if name in _NUMBER_FUNCTIONS:
            return Static("number")
        if name == "is_number":
            return Static("boolean")
        if name in _LIST_FUNCTIONS:
            return Static("list")
        if name == "slice" and arguments and arguments[0].type in ("list", "string"):
            return Static(arguments[0].type)
        return ANY
