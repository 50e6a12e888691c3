"""The syntax check, in the calling process: compiles the author's function and runs none of
it (see ``worker.wrap``: a text that compiles is a single function expression).

Each call uses its own QuickJS runtime (about 80 µs), so calls from several threads are safe,
and the engine releases the GIL while it parses. Parsing is not interruptible: typical
scripts take well under a millisecond, but some 64 KiB sources hit quadratic paths of the
parser (thousands of ``let`` declarations or private fields: up to ~0.4 s measured).
Validation of large untrusted sources belongs in a thread (``asyncio.to_thread``)."""

from __future__ import annotations

from collections.abc import Sequence

from modules.sandbox.errors import ScriptError
from modules.sandbox.limits import ScriptLimits
from modules.sandbox.source import check_names, check_source, syntax_error
from modules.sandbox.worker import new_label, split_engine_error, wrap


def check(source: str, param_names: Sequence[str], limits: ScriptLimits) -> ScriptError | None:
    problem = check_source(source, limits) or check_names(param_names)
    if problem is not None:
        return problem
    try:
        import _quickjs
    except ImportError:
        return ScriptError("unavailable", "the JavaScript engine is not installed")
    context = _quickjs.Context()
    context.set_memory_limit(limits.memory_bytes)
    context.set_max_stack_size(limits.stack_bytes)
    context.set_time_limit(limits.time_ms / 1000)
    try:
        context.eval(wrap(source, list(param_names), new_label()))
    except _quickjs.JSException as failed:
        name, message, stack = split_engine_error(str(failed))
        return syntax_error(source, name, message, stack)
    return None
