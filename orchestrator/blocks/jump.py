"""The jump block: continue at another block of this scenario (compiled into the port
`jump`), or run another scenario from its start — pinned in the conversation's state — and,
with `return_after`, come back to this block's `next` port when it finishes."""

from __future__ import annotations

from typing import Any

from orchestrator.engine.compile import JUMP_PORT, CompiledBlock
from orchestrator.engine.executor import CALL, FOLLOW, BlockContext, Executor, Step

_TO_BLOCK = Step(FOLLOW, JUMP_PORT)


class JumpExecutor(Executor):
    type_name = "jump"

    def prepare(self, settings: Any, block_id: str) -> Step:
        if settings.scenario is None:
            return _TO_BLOCK
        return Step(CALL, scenario=settings.scenario, return_after=settings.return_after)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        step: Step = block.plan
        if step.kind == CALL:
            ctx.require_scenario(step.scenario or "")  # fails here, so the trace names it
        return step
