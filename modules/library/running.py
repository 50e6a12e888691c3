"""Running one module: its input checked against the input schema, its code run in the
sandbox as a function of `input`, its output checked against the output schema. Shared by
the `module` block (through the modules service) and by publishing (the test cases)."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from functools import lru_cache

import jsonschema._keywords
import jsonschema._utils
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable

from scenarios.format.limits import PatternError, compile_pattern

PARAMS = ("input",)
MAX_PROBLEM = 300
"""Characters of a schema problem kept for the trace and the author."""


# --- regular expressions in schemas -------------------------------------------------------------
# `pattern`, `patternProperties` (and `additionalProperties`/`unevaluatedProperties`, which
# consult them) are the author's regular expressions applied to what a person sent. With
# Python's backtracking `re`, `^(a+)+$` against forty a's and a b holds the event loop for
# minutes. jsonschema calls `re.search(pattern, text)` in exactly two modules; while a module
# value is checked (`instance_problem`) those calls go to RE2 (linear time, the engine the
# scenarios' own patterns use), and any other use of jsonschema in the process keeps `re`. A
# pattern RE2 cannot run (a backreference, a lookaround) is refused when the schema is saved
# and fails the check if an older version has one. tests/modules/test_module_schemas.py
# holds jsonschema to it.

_linear = ContextVar("rozmova_linear_regex", default=False)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Any:
    return compile_pattern(pattern)


class _LinearRegex:
    """The part of `re` jsonschema uses: RE2 while a module value is checked."""

    @staticmethod
    def search(pattern: str, text: str) -> Any:
        if _linear.get():
            return _compiled(pattern).search(text)
        return re.search(pattern, text)


jsonschema._keywords.re = _LinearRegex  # type: ignore[attr-defined]
jsonschema._utils.re = _LinearRegex  # type: ignore[attr-defined]


def _patterns(schema: Any, where: str = "") -> Any:
    """(where, pattern) of every regular expression in a schema."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            here = f"{where}/{key}"
            if key == "pattern" and isinstance(value, str):
                yield here, value
            elif key == "patternProperties" and isinstance(value, dict):
                for pattern in value:
                    yield f"{here}/{pattern}", pattern
            if key not in ("const", "enum", "default", "examples"):
                yield from _patterns(value, here)
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _patterns(item, f"{where}/{index}")


def _no_retrieval(uri: str) -> Any:
    # A schema's $ref may point only inside the schema: fetching a URI would let an author
    # make the server send requests (and wait on them) while it validates.
    raise NoSuchResource(ref=uri)


NO_REMOTE_REFS: Registry = Registry(retrieve=_no_retrieval)  # type: ignore[call-arg]


def validator(schema: dict[str, Any]) -> Any:
    return Draft202012Validator(schema, registry=NO_REMOTE_REFS)


class ModuleRunFailed(Exception):
    """Why a run gave no output; ``kind``: input, output, script or timeout."""

    def __init__(self, kind: str, message: str, logs: list[str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.logs = logs or []


@dataclass(frozen=True)
class Runnable:
    """What a run needs of a module (a published version, or a draft at publish)."""

    name: str
    number: int
    code: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    version_id: Any = None      # a published version's id (None for a draft)
    cache_seconds: int = 0
    input_validator: Any = field(init=False, repr=False, compare=False)
    output_validator: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "input_validator", validator(self.input_schema))
        object.__setattr__(self, "output_validator", validator(self.output_schema))


def schema_problem(schema: Any) -> str | None:
    """Why `schema` is not a JSON Schema (draft 2020-12), or None."""
    if not isinstance(schema, dict | bool):
        return "a JSON Schema is an object"
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        return f"not a valid JSON Schema{' at ' + where if where else ''}: {exc.message}"
    for where, pattern in _patterns(schema):
        try:
            _compiled(pattern)
        except PatternError as exc:
            return f"at {where}: {exc}"
    return None


def instance_problem(checker: Any, value: Any) -> str | None:
    """The most relevant way `value` breaks the schema, with where, or None."""
    token = _linear.set(True)
    try:
        error = best_match(checker.iter_errors(value))
    except Unresolvable as exc:
        return (f"the schema's reference {getattr(exc, 'ref', '')!r} cannot be resolved "
                "(a $ref may point only inside the schema, like #/$defs/price)")
    except PatternError as exc:
        return f"the schema has a regular expression that cannot run: {exc}"
    except RecursionError:
        return "the schema or the value is nested too deeply to check"
    finally:
        _linear.reset(token)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    message = error.message  # quotes the value: a person's 10,000 characters, say
    if len(message) > MAX_PROBLEM:
        message = message[:MAX_PROBLEM - 1] + "…"
    return f"{'at ' + where[:200] + ': ' if where else ''}{message}"


async def run(sandbox: Any, module: Runnable, value: Any, *, timeout_ms: int = 1000
              ) -> tuple[Any, list[str]]:
    """The module's output and its console lines; raises ModuleRunFailed."""
    from modules.sandbox import ScriptLimits

    what = f"module '{module.name}'" + (f" version {module.number}" if module.number else "")
    problem = instance_problem(module.input_validator, value)
    if problem is not None:
        raise ModuleRunFailed("input", f"the input does not fit {what}'s input schema: "
                                       f"{problem}")
    outcome = await sandbox.run(module.code, {"input": value}, ScriptLimits(time_ms=timeout_ms))
    logs = list(outcome.logs)
    if outcome.error is not None:
        error = outcome.error
        where = f" at {error.place}" if error.place else ""
        kind = "timeout" if error.kind == "timeout" else "script"
        raise ModuleRunFailed(kind, f"{what} failed ({error.kind}){where}: {error.message}",
                              logs)
    problem = instance_problem(module.output_validator, outcome.value)
    if problem is not None:
        raise ModuleRunFailed("output", f"the output of {what} does not fit its output "
                                        f"schema: {problem}", logs)
    return outcome.value, logs
