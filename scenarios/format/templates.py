"""Placeholders in texts (`{{ name }}`, `{{ order.total }}`), the system variables every
conversation has, and the identifier scan of set_variable expressions: what the validator
needs to know which variables a text or an expression reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SYSTEM_VARIABLES: frozenset[str] = frozenset({
    "language", "channel", "conversation_id", "user_id", "bot_id",
    "last_input", "last_choice", "now", "today",
})

TEMPLATE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}")

# name -> (fewest, most) arguments; None: any number. The evaluator implements exactly these
# (a test holds the two together), and the validator checks calls against them.
FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "len": (1, 1), "lower": (1, 1), "upper": (1, 1), "trim": (1, 1), "round": (1, 2),
    "abs": (1, 1), "min": (1, None), "max": (1, None), "int": (1, 1), "float": (1, 1),
    "str": (1, 1), "now": (0, 0), "today": (0, 0),
    # Lists and maps (format 2).
    "number": (1, 1), "is_number": (1, 1), "append": (2, 2), "keys": (1, 1),
    "values": (1, 1), "sum": (1, 1), "join": (1, 2), "split": (1, 2), "get": (2, 3),
    "slice": (2, 3),
}
EXPRESSION_FUNCTIONS: frozenset[str] = frozenset(FUNCTION_ARITY)
EXPRESSION_KEYWORDS: frozenset[str] = frozenset({"true", "false", "null", "and", "or", "not", "in"})

# String literals first so that words inside quotes are skipped, then dotted identifiers.
_EXPRESSION_TOKEN_RE = re.compile(
    r"""'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?"""
    r"""|(?<![\w.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)""")


def root_name(reference: str) -> str:
    """The variable a (possibly dotted) reference belongs to."""
    return reference.split(".", 1)[0]


def template_references(text: str) -> list[str]:
    """Every placeholder in `text`, as written (dotted paths kept), in order."""
    return TEMPLATE_RE.findall(text)


def template_variables(text: str) -> set[str]:
    """The variables `text` reads through its placeholders."""
    return {root_name(ref) for ref in TEMPLATE_RE.findall(text)}


def expression_variables(expression: str) -> set[str]:
    """The variables an expression reads: identifiers outside string literals, less the known
    functions and keywords. A scan, not a parse: the engine's evaluator owns the grammar."""
    names: set[str] = set()
    for match in _EXPRESSION_TOKEN_RE.finditer(expression):
        identifier = match.group(1)
        if identifier is None:
            continue
        name = root_name(identifier)
        if name in EXPRESSION_KEYWORDS:
            continue
        if name in EXPRESSION_FUNCTIONS and "." not in identifier:
            # `len(x)` is a call; a variable called `len` could not be told apart anyway.
            continue
        names.add(name)
    return names


def render_template(text: str, values: Mapping[str, Any]) -> str:
    """Fill placeholders from `values` (dotted paths walk dicts and lists); unknown ones become
    empty, since a half-rendered `{{ x }}` reads worse to a person than nothing."""

    def resolve(match: re.Match[str]) -> str:
        current: Any = values
        for part in match.group(1).split("."):
            if isinstance(current, Mapping) and part in current:
                current = current[part]
            elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
                current = current[int(part)]
            else:
                return ""
        if current is None:
            return ""
        if isinstance(current, bool):
            return "true" if current else "false"
        return str(current)

    return TEMPLATE_RE.sub(resolve, text)
