"""What an author may make the engine compute, in one place: the size of expressions and of
the values they build, and the dialect of regular expressions (RE2, which matches in time
linear in the text: no backreferences, no lookaround). The validator reports a scenario that
breaks these limits when it is saved; the engine enforces the same numbers when it runs, so a
version published before a limit existed fails one block, never the server.

The numbers are documented for authors in docs/expressions-and-patterns.md."""

from __future__ import annotations

import ast
from typing import Any

import re2

# --- expressions ----------------------------------------------------------------------------

MAX_EXPRESSION = 1024
"""Characters of an expression (also the schema's maxLength)."""
MAX_EXPRESSION_NODES = 256
"""Syntax nodes (names, literals, operators, calls) of an expression. There are no loops in the
grammar, so each node runs at most once per evaluation: this also bounds the operations."""
MAX_EXPRESSION_DEPTH = 64
"""How deeply an expression nests (`a + b + c` nests once per `+`)."""
MAX_INTEGER_DIGITS = 300
"""Integers are below 10**300 in size; floats are finite. Checked before a product or power is
computed (from the operands' sizes), so a huge number is never built."""
MAX_TEXT = 10_000
"""Characters of a text, items of a list (counting the items of nested lists and the
characters of texts in them) that one operation may build."""
MAX_FORMAT_WIDTH = 100
"""Width and precision of a `%` format (`'%05.2f' % price`)."""
MAX_WORK = 100_000
"""Characters and items all the operations of one evaluation may build or walk together."""

INTEGER_LIMIT = 10**MAX_INTEGER_DIGITS

# Every node the evaluator knows. f-strings are not here: a format spec inside one is a width
# nothing bounds (`f'{1:>999999999}'`), and `+` with str() does the same job.
_ALLOWED_NODES: tuple[type, ...] = (
    ast.Expression, ast.Name, ast.Constant, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare,
    ast.IfExp, ast.Call, ast.keyword, ast.Attribute, ast.Subscript, ast.Slice,
    ast.List, ast.Dict,  # literals: the evaluator bounds what they build (format 2)
    ast.expr_context, ast.unaryop, ast.operator, ast.boolop, ast.cmpop,
)
_REFUSED_OPERATORS = (ast.LShift, ast.RShift, ast.MatMult)


class ExpressionProblem(ValueError):
    """The expression breaks the grammar or a limit; the message is for the bot's author."""


def parse_expression(source: str) -> ast.expr:
    """The checked tree of an expression; raises ExpressionProblem."""
    if len(source) > MAX_EXPRESSION:
        raise ExpressionProblem(f"an expression has at most {MAX_EXPRESSION:,} characters "
                                f"(this one has {len(source):,})")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionProblem(f"the expression is not valid: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionProblem(f"the expression is not valid: {exc}") from None
    nodes = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:  # not recursive: the tree may be deeper than Python's stack
        node, depth = stack.pop()
        if not isinstance(node, ast.expr_context | ast.operator | ast.unaryop | ast.boolop
                          | ast.cmpop):
            nodes += 1
        if nodes > MAX_EXPRESSION_NODES:
            raise ExpressionProblem(f"an expression has at most {MAX_EXPRESSION_NODES} parts "
                                    "(names, values, operators, calls); split it over several "
                                    "set_variable blocks")
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionProblem(f"an expression nests at most {MAX_EXPRESSION_DEPTH} "
                                    "levels deep")
        if isinstance(node, ast.JoinedStr | ast.FormattedValue):
            raise ExpressionProblem("f-strings are not available; join texts with + and str()")
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionProblem(f"{_describe(node)} is not available in expressions")
        if isinstance(node, ast.BinOp) and isinstance(node.op, _REFUSED_OPERATORS):
            raise ExpressionProblem("bit shifts are not available")
        if isinstance(node, ast.Constant):
            _check_constant(node.value)
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1))
    return tree.body


def expression_problem(source: str) -> str | None:
    """Why the expression cannot run, or None."""
    try:
        parse_expression(source)
    except ExpressionProblem as exc:
        return str(exc)
    return None


def _check_constant(value: Any) -> None:
    if type(value) is int and not -INTEGER_LIMIT < value < INTEGER_LIMIT:
        raise ExpressionProblem(f"numbers have at most {MAX_INTEGER_DIGITS} digits")
    if isinstance(value, bytes | complex):
        raise ExpressionProblem(f"a {type(value).__name__} value is not available in "
                                "expressions")


def _describe(node: ast.AST) -> str:
    names = {ast.List: "a list literal", ast.Tuple: "a tuple", ast.Dict: "a dict literal",
             ast.Set: "a set literal", ast.Lambda: "lambda", ast.NamedExpr: "':='",
             ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
             ast.DictComp: "a comprehension", ast.GeneratorExp: "a comprehension",
             ast.Starred: "'*' unpacking"}
    return names.get(type(node), type(node).__name__)


# --- regular expressions ----------------------------------------------------------------------

MAX_PATTERN = 1000
"""Characters of a regular expression (`pattern` of an input, the right side of `matches`)."""
MAX_MATCHED = 10_000
"""Characters of text a regular expression is tried on (the rest is not looked at)."""
PATTERN_MEMORY = 1 << 20
"""Bytes RE2 may use for one compiled pattern: a pattern that needs more is refused."""

_OPTIONS = re2.Options()
_OPTIONS.max_mem = PATTERN_MEMORY
_OPTIONS.log_errors = False

# Python's `\w` is a letter or digit of any script; RE2's is ASCII only, which would turn
# `^\w+$` against every Ukrainian name. Spell Python's meaning out in RE2's classes.
_WORD = r"\p{L}\p{N}_"


class PatternError(ValueError):
    """RE2 cannot run the pattern; the message is for the bot's author."""


def translate_pattern(pattern: str) -> str:
    """The pattern in RE2's syntax with Python's meaning kept where RE2 differs: `\\w`/`\\W`
    match letters of any script, `\\Z` is the end of the text."""
    out: list[str] = []
    in_class = False
    class_start = -1
    index = 0
    size = len(pattern)
    while index < size:
        char = pattern[index]
        if char == "\\" and index + 1 < size:
            escaped = pattern[index + 1]
            if escaped == "w":
                out.append(_WORD if in_class else f"[{_WORD}]")
            elif escaped == "W" and not in_class:
                out.append(f"[^{_WORD}]")
            elif escaped == "Z" and not in_class:
                out.append(r"\z")
            else:
                out.append(pattern[index:index + 2])
            index += 2
            continue
        if in_class:
            # A `]` right after `[` or `[^` is a literal, as in Python.
            if char == "]" and index > class_start:
                in_class = False
        elif char == "[":
            in_class = True
            class_start = index + 1
            if index + 1 < size and pattern[index + 1] == "^":
                class_start += 1
        out.append(char)
        index += 1
    return "".join(out)


def compile_pattern(pattern: str) -> Any:
    """An RE2 regular expression (with `search`/`fullmatch` like Python's); PatternError if
    it is too long or uses what RE2 does not have (backreferences, lookaround)."""
    if not isinstance(pattern, str):
        raise PatternError("a regular expression must be a text")
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"a regular expression has at most {MAX_PATTERN:,} characters "
                           f"(this one has {len(pattern):,})")
    try:
        return re2.compile(translate_pattern(pattern), _OPTIONS)
    except re2.error as exc:
        raise PatternError(f"{pattern!r} cannot be used as a regular expression: "
                           f"{_re2_reason(exc)}") from None
    except (TypeError, ValueError, MemoryError, OverflowError) as exc:
        raise PatternError(f"{pattern!r} cannot be used as a regular expression: "
                           f"{exc}") from None


def pattern_problem(pattern: str) -> str | None:
    """Why the pattern cannot run, or None."""
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def _re2_reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else ""
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    reason = str(reason)
    if "pattern too large" in reason:
        return "it would take too much memory; make repetitions smaller"
    if "invalid perl operator" in reason or "invalid escape sequence" in reason \
            or "invalid named capture group" in reason:
        return (f"{reason} (RE2 syntax: backreferences like \\1 and lookaround like (?=...) "
                "or (?<!...) are not available)")
    return reason
