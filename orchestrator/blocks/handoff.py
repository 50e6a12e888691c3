"""The handoff block: says its message, then a `handoff` message for the chat service (its
`text` carries the operator queue, if any), and puts the conversation in handoff status until
an operator's `handback`, which continues at `next`."""

from __future__ import annotations


from orchestrator.contract import InboundEvent, InputRequest
from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import (
    HANDOFF,
    NOT_MINE,
    BlockContext,
    Executor,
    Step,
    follow,
)
from orchestrator.engine.outbound import input_request, message, text_message


class HandoffExecutor(Executor):
    type_name = "handoff"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings = block.settings
        messages = []
        if settings.message is not None:  # type: ignore[attr-defined]
            messages.append(text_message(ctx.render(settings.message), block.id))  # type: ignore[attr-defined]
        messages.append(message("handoff", text=settings.queue, block_id=block.id))  # type: ignore[attr-defined]
        return Step(HANDOFF, None, messages, self.request(block, ctx))

    def resume(self, block: CompiledBlock, event: InboundEvent, ctx: BlockContext) -> Step:
        return follow("next") if event.kind == "handback" else NOT_MINE

    def request(self, block: CompiledBlock, ctx: BlockContext) -> InputRequest:
        return input_request("handoff", block.id)
