"""The set_variable block: assigns a literal `value`, a rendered `template` or the result of an
`expression` (the allow-list evaluator) or of a `javascript` expression (run in the modules
service's sandbox: the turn waits for it), coerced to the variable's declared type; a value that
does not fit the type fails the block."""

from __future__ import annotations

from typing import Any, NamedTuple

from orchestrator.engine import expressions
from orchestrator.engine.compile import CompiledBlock
from orchestrator.contract import ServiceOutcome
from orchestrator.engine.executor import (
    NEXT,
    BlockContext,
    BlockFailure,
    Executor,
    Step,
    call_service,
    javascript_call,
)


class _Plan(NamedTuple):
    variable: str
    source: str  # "value" | "template" | "expression" | "javascript"
    value: Any
    tree: Any = None
    problem: str | None = None


class SetVariableExecutor(Executor):
    type_name = "set_variable"

    def prepare(self, settings: Any, block_id: str) -> _Plan:
        if getattr(settings, "javascript", None) is not None:
            return _Plan(settings.variable, "javascript", settings.javascript)
        if settings.expression is not None:
            try:
                tree = expressions.parse(settings.expression)
            except expressions.ExpressionError as exc:
                # Reported when the block runs: the rest of the scenario still works.
                return _Plan(settings.variable, "expression", settings.expression,
                             problem=str(exc))
            return _Plan(settings.variable, "expression", settings.expression, tree)
        if settings.template is not None:
            return _Plan(settings.variable, "template", settings.template)
        return _Plan(settings.variable, "value", settings.value)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        plan: _Plan = block.plan
        source = plan.source
        if source == "javascript":  # the sandbox computes it: see complete
            return call_service(javascript_call(plan.value, ctx))
        if source == "value":
            value = plan.value
        elif source == "template":
            value = ctx.render_template(plan.value)
        else:
            if plan.problem is not None:
                raise BlockFailure(f"the expression {plan.value!r} failed: {plan.problem}")
            value = ctx.evaluate(plan.tree, plan.value)  # type: ignore[attr-defined]
        ctx.set(plan.variable, value)
        return NEXT

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            raise BlockFailure(f"the JavaScript {block.plan.value!r} failed: {outcome.error}")
        ctx.set(block.plan.variable, outcome.value)
        return NEXT
