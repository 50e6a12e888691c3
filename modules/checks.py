"""The modules service's checks of other block types' settings: the `javascript` expressions
of conditions and set_variable blocks must parse (reported at publish with their line and
column), since the sandbox runs them. Registered through the `rozmova.block_types` entry
point, like the service's own block types."""

from __future__ import annotations

from typing import Any

from scenarios.format.registry import block_registry

_PREFIX = "return ("  # what `orchestrator.engine.executor.javascript_call` wraps around


def _check_javascript(settings: Any) -> list[tuple[tuple[str | int, ...], str]]:
    expression = getattr(settings, "javascript", None)
    if expression is None:
        return []
    from modules.sandbox import ScriptLimits
    from modules.sandbox.syntax import check

    error = check(f"{_PREFIX}{expression}\n);", ("vars",), ScriptLimits())
    if error is None:
        return []
    where = ""
    if error.line:
        column = error.column or 0
        if error.line == 1 and column > len(_PREFIX):
            column -= len(_PREFIX)
        where = f" (line {error.line}, column {column})" if error.line <= \
            expression.count("\n") + 1 else ""
    return [(("javascript",), f"the JavaScript does not parse{where}: {error.message}")]


def register_checks() -> None:
    for type_name in ("condition", "set_variable"):
        block_registry.add_check(type_name, _check_javascript)
