"""The end block: says its last message, if any, and ends the conversation."""

from __future__ import annotations

from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import END, BlockContext, Executor, Step
from orchestrator.engine.outbound import text_message

_END = Step(END)


class EndExecutor(Executor):
    type_name = "end"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        text = block.settings.message  # type: ignore[attr-defined]
        if text is None:
            return _END
        return Step(END, None, (text_message(ctx.render(text), block.id),))
