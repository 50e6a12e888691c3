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

EXPRESSION_FUNCTIONS: frozenset[str] = frozenset({
    "len", "lower", "upper", "trim", "round", "abs", "min", "max", "int", "float", "str",
    "now", "today",
})
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
