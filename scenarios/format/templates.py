"""Placeholders in texts (`{{ name }}`, `{{ order.total }}`, `{{ questions[i].text }}`), the
system variables every conversation has, and the identifier scan of set_variable expressions:
what the validator needs to know which variables a text or an expression reads, and how a
placeholder's path reads a value (the engine renders with the same rules)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

SYSTEM_VARIABLES: frozenset[str] = frozenset({
    "language", "channel", "conversation_id", "user_id", "bot_id",
    "last_input", "last_choice", "now", "today",
})

# A placeholder is a path and nothing else: a variable, then `.field` / `.0` segments and
# `[...]` indexes, each an integer (negative counts from the end), a quoted key, or a (dotted)
# variable whose value is the index. No operators or calls: a text is not an expression.
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = _NAME + r"(?:\.[A-Za-z0-9_]+)*"
_INDEX = (r"\[\s*(?:-?\d{1,18}|\"[^\"\\\n]{0,200}\"|'[^'\\\n]{0,200}'|" + _DOTTED
          + r")\s*\]")
_PATH = _NAME + r"(?:\.[A-Za-z0-9_]+|" + _INDEX + r")*"
TEMPLATE_RE = re.compile(r"\{\{\s*(" + _PATH + r")\s*\}\}")
_STEP_RE = re.compile(r"\.([A-Za-z0-9_]+)|\[\s*(?:(-?\d{1,18})|\"([^\"\\\n]*)\"|'([^'\\\n]*)'|("
                      + _DOTTED + r"))\s*\]")
_NAME_RE = re.compile(_NAME)

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


# A step of a path: ("field", "total") for `.total` and `["total"]`, ("position", -1) for
# `[-1]`, ("variable", "i") for `[i]` (the index is the variable's value).
Step = tuple[str, Any]


def root_name(reference: str) -> str:
    """The variable a (possibly dotted or indexed) reference belongs to."""
    match = _NAME_RE.match(reference)
    return match.group() if match else reference


@lru_cache(maxsize=4096)
def parse_reference(reference: str) -> tuple[str, tuple[Step, ...]] | None:
    """(variable, steps) of a placeholder path such as `questions[i].text`; None if the
    text is not such a path. Cached: texts come from published versions, so few differ."""
    match = _NAME_RE.match(reference)
    if match is None:
        return None
    steps: list[Step] = []
    at, size = match.end(), len(reference)
    while at < size:
        step = _STEP_RE.match(reference, at)
        if step is None:
            return None
        field, position, double, single, variable = step.groups()
        if field is not None:
            steps.append(("field", field))
        elif position is not None:
            steps.append(("position", int(position)))
        elif variable is not None:
            steps.append(("variable", variable))
        else:
            steps.append(("field", double if double is not None else single))
        at = step.end()
    return match.group(), tuple(steps)


def reference_variables(reference: str) -> list[str]:
    """The variables a placeholder path reads: its own and those of its indexes, in order."""
    parsed = parse_reference(reference)
    if parsed is None:
        return [root_name(reference)]
    root, steps = parsed
    return [root, *(root_name(key) for kind, key in steps if kind == "variable")]


def template_references(text: str) -> list[str]:
    """Every reference the placeholders of `text` read, in order: each placeholder's path as
    written (dotted paths kept), followed by the variables of its `[...]` indexes."""
    references: list[str] = []
    for reference in TEMPLATE_RE.findall(text):
        references.append(reference)
        if "[" in reference:
            parsed = parse_reference(reference)
            if parsed is not None:
                references.extend(key for kind, key in parsed[1] if kind == "variable")
    return references


def template_variables(text: str) -> set[str]:
    """The variables `text` reads through its placeholders, index variables included
    (`{{ questions[i].text }}` reads `questions` and `i`)."""
    return {name for ref in TEMPLATE_RE.findall(text) for name in reference_variables(ref)}


def item_of(container: Any, key: Any) -> Any:
    """One step into a value: a list's item or a text's character by a whole number
    (negative from the end), a map's value by its key; None when there is none. Never raises:
    a text shows nothing where data is missing."""
    if isinstance(container, Mapping):
        if type(key) is not str:
            if type(key) is bool or not isinstance(key, int | float):
                return None
            key = str(int(key)) if isinstance(key, float) and key.is_integer() else str(key)
        return container.get(key)
    if isinstance(container, list | str):
        kind = type(key)
        if kind is str:
            key = key.strip()
            if not key.lstrip("-").isdigit() or len(key) > 18:
                return None
            key = int(key)
        elif kind is float and key.is_integer():
            key = int(key)
        elif kind is not int:
            return None
        if -len(container) <= key < len(container):
            return container[key]
    return None


def resolve_reference(reference: str, lookup: Callable[[str], Any]) -> Any:
    """The value a placeholder path reads, through `lookup(name_or_dotted_reference)` for its
    variable and its index variables; None when any step finds nothing."""
    parsed = parse_reference(reference)
    if parsed is None:
        return None
    root, steps = parsed
    value = lookup(root)
    for kind, key in steps:
        if value is None:
            return None
        if kind == "field":
            # `.0` reads a list's first item, as dotted paths always have; never from the end.
            if isinstance(value, list) and not key.isdigit():
                return None
            value = item_of(value, key) if not isinstance(value, str) else None
        elif kind == "position":
            value = item_of(value, key)
        else:
            value = item_of(value, lookup(key))
    return value


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
    """Fill placeholders from `values` (paths walk maps and lists); unknown ones become
    empty, since a half-rendered `{{ x }}` reads worse to a person than nothing."""

    def lookup(reference: str) -> Any:
        current: Any = values
        for part in reference.split("."):
            current = item_of(current, part) if isinstance(current, Mapping) or (
                isinstance(current, list) and part.isdigit()) else None
        return current

    def resolve(match: re.Match[str]) -> str:
        current = resolve_reference(match.group(1), lookup)
        if current is None:
            return ""
        if isinstance(current, bool):
            return "true" if current else "false"
        return str(current)

    return TEMPLATE_RE.sub(resolve, text)
