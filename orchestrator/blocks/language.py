"""The set_language block: switches the conversation to one of the bot's languages, fixed in
the block or read from a variable (a language-choice button's stored value). Everything said
after it, built-in phrases and re-prompts included, is in the new language; a code that is not
one of the bot's languages fails the block (the error handler runs)."""

from __future__ import annotations

from typing import Any, NamedTuple

from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import NEXT, BlockContext, BlockFailure, Executor, Step
from orchestrator.engine.values import format_value


class _Plan(NamedTuple):
    language: str | None
    variable: str | None


class SetLanguageExecutor(Executor):
    type_name = "set_language"

    def prepare(self, settings: Any, block_id: str) -> _Plan:
        return _Plan(settings.language, settings.variable)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        plan: _Plan = block.plan
        code = plan.language
        if code is None:
            value = ctx.get(plan.variable)  # type: ignore[arg-type]
            code = value if isinstance(value, str) else format_value(value)
            if not code.strip():
                raise BlockFailure(f"variable '{plan.variable}' holds no language code")
        ctx.set_language(code)
        return NEXT
