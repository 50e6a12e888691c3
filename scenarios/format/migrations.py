"""Upgrades of stored documents between format versions: a registry of one-step migrations
and `upgrade`, which walks a document from its `schema_version` to the current one."""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scenarios.format.models import CURRENT_SCHEMA_VERSION


class FormatVersionError(ValueError):
    """The document's format version cannot be brought to the current one."""


@dataclass(frozen=True)
class MigrationContext:
    """What a migration may need that the document itself does not hold."""

    default_language: str = "uk"


Migration = Callable[[dict[str, Any], MigrationContext], dict[str, Any]]

_MIGRATIONS: dict[int, Migration] = {}


def register_migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register `fn(document, context) -> document` upgrading `from_version` to the next one.
    It receives a private copy and may change it in place; `upgrade` sets the new version."""

    def decorate(fn: Migration) -> Migration:
        if from_version in _MIGRATIONS:
            raise ValueError(f"a migration from format {from_version} is already registered")
        _MIGRATIONS[from_version] = fn
        return fn

    return decorate


def document_version(data: Any) -> int:
    """The document's `schema_version`; raises FormatVersionError when absent or not an int."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise FormatVersionError("the document has no schema_version")
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise FormatVersionError("schema_version must be an integer")
    return version


def upgrade(data: dict[str, Any], *, default_language: str = "uk"
            ) -> tuple[dict[str, Any], list[int]]:
    """An upgraded copy of `data` (never the input itself) and the versions it was migrated
    from, oldest first (empty when it already was current)."""
    version = document_version(data)
    if version > CURRENT_SCHEMA_VERSION:
        raise FormatVersionError(
            f"format {version} is newer than this server understands "
            f"(up to {CURRENT_SCHEMA_VERSION}); upgrade the server or save in format "
            f"{CURRENT_SCHEMA_VERSION}")
    document = copy.deepcopy(data)
    context = MigrationContext(default_language=default_language)
    passed: list[int] = []
    while version < CURRENT_SCHEMA_VERSION:
        step = _MIGRATIONS.get(version)
        if step is None:
            raise FormatVersionError(f"format {version} cannot be upgraded: no migration "
                                     f"from format {version} exists")
        document = step(document, context)
        passed.append(version)
        version += 1
        document["schema_version"] = version
    return document, passed


# --- format 0 → 1 -------------------------------------------------------------------------------

# Frozen here on purpose: format 0 had exactly these texts, whatever later block types add.
_V0_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "message": ("text", "media.caption", "buttons[].label", "quick_replies[].label"),
    "input": ("prompt", "reprompt", "choices[].label"),
    "handoff": ("message",),
    "end": ("message",),
}


def _localize(container: Any, path: list[str], language: str) -> None:
    if not path or not isinstance(container, dict):
        return
    head, rest = path[0], path[1:]
    if head.endswith("[]"):
        items = container.get(head[:-2])
        if isinstance(items, list):
            for item in items:
                _localize(item, rest, language)
        return
    if not rest:
        if isinstance(container.get(head), str):
            container[head] = {language: container[head]}
        return
    _localize(container.get(head), rest, language)


@register_migration(0)
def _from_v0(document: dict[str, Any], context: MigrationContext) -> dict[str, Any]:
    """Format 0 wrote texts as plain strings and each block's follower as `"next": id`."""
    blocks = document.get("blocks")
    if not isinstance(blocks, list):
        return document
    moved: list[dict[str, Any]] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        fields = _V0_TEXT_FIELDS.get(block.get("type"), ()) if isinstance(
            block.get("type"), str) else ()
        for field in fields:
            _localize(block.get("settings"), field.split("."), context.default_language)
        if "next" in block:
            target = block.pop("next")
            if target is not None:
                moved.append({"source": block.get("id"), "port": "next", "target": target})
    edges = document.get("edges")
    if moved and (edges is None or isinstance(edges, list)):
        document["edges"] = (edges or []) + moved
    return document


# --- format 1 -> 2 -------------------------------------------------------------------------------

# Calls whose result format 1 always gave as text (frozen here: later functions do not count).
_V1_TEXT_FUNCTIONS = frozenset({"str", "lower", "upper", "trim", "join", "now", "today"})
# System variables that always held text in format 1.
_V1_TEXT_SYSTEM = frozenset({"language", "channel", "conversation_id", "user_id", "bot_id",
                             "last_input", "last_choice", "now", "today"})


@register_migration(1)
def _from_v1(document: dict[str, Any], context: MigrationContext) -> dict[str, Any]:
    """Format 2 types expressions (`"41" + 1` is 42, `"Order " + 5` is an error): every `+`
    that joined text in format 1, as far as the document shows, is rewritten with `str()` so
    that it joins the same text in format 2."""
    blocks = document.get("blocks")
    if not isinstance(blocks, list):
        return document
    declared: dict[str, Any] = {}
    variables = document.get("variables")
    for variable in variables if isinstance(variables, list) else ():
        if isinstance(variable, dict) and isinstance(variable.get("name"), str):
            declared[variable["name"]] = variable.get("type")
    text_names = {name for name in _V1_TEXT_SYSTEM if name not in declared}
    text_names.update(name for name, type_ in declared.items() if type_ in ("string", "date"))
    for block in blocks:
        if not isinstance(block, dict) or block.get("type") != "set_variable":
            continue
        settings = block.get("settings")
        if isinstance(settings, dict) and isinstance(settings.get("expression"), str):
            settings["expression"] = _joined_as_text(settings["expression"], text_names)
    return document


def _is_text(node: ast.AST, text_names: set[str]) -> bool:
    """Whether format 1 surely gave text here, read from the expression alone."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id in text_names
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id in _V1_TEXT_FUNCTIONS
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add):  # format 1 joined when either side was text
            return _is_text(node.left, text_names) or _is_text(node.right, text_names)
        if isinstance(node.op, ast.Mod):  # '%.2f' % price
            return _is_text(node.left, text_names)
        return False
    if isinstance(node, ast.IfExp):
        return _is_text(node.body, text_names) and _is_text(node.orelse, text_names)
    return False


def _joined_as_text(source: str, text_names: set[str]) -> str:
    """`source` with `str(...)` around the side of each `+` that format 1 turned into text
    because the other side was text. Edits in place, so the author's spelling stays; what does
    not parse is left as it is (the validator reports it)."""
    if "+" not in source:
        return source
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source
    wrapped: list[ast.expr] = []
    try:
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                left, right = _is_text(node.left, text_names), _is_text(node.right, text_names)
                if left and not right:
                    wrapped.append(node.right)
                elif right and not left:
                    wrapped.append(node.left)
    except RecursionError:
        return source
    if not wrapped:
        return source
    # Positions are UTF-8 byte offsets within lines.
    code = source.strip().encode("utf-8")
    line_starts = [0]
    for line in code.split(b"\n")[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    inserts: list[tuple[int, int, bytes]] = []
    for node in wrapped:
        if node.end_lineno is None or node.end_col_offset is None:
            return source
        start = line_starts[node.lineno - 1] + node.col_offset
        end = line_starts[node.end_lineno - 1] + node.end_col_offset
        # Closing brackets before opening ones at one offset; both orders are valid Python.
        inserts.append((start, 1, b"str("))
        inserts.append((end, 0, b")"))
    for offset, _, text in sorted(inserts, reverse=True):
        code = code[:offset] + text + code[offset:]
    return code.decode("utf-8")
