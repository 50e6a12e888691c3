"""The wait block: asks the channel to pause (a `delay` message) and continues at `next` in
the same turn; the channel performs the pause, as a typing indicator or a delayed delivery."""

from __future__ import annotations

from typing import Any

from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import FOLLOW, BlockContext, Executor, Step
from orchestrator.engine.outbound import message


class WaitExecutor(Executor):
    type_name = "wait"

    def prepare(self, settings: Any, block_id: str) -> float:
        return float(settings.seconds)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        return Step(FOLLOW, "next", (message("delay", seconds=block.plan, block_id=block.id),))
