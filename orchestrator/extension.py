"""What a service needs to add block types the engine runs (see "Blocks that call a
service" in the architecture): the executor base class and the steps it returns, including
`call_service`, which suspends the turn until the service's outcome comes back, and the
dispatcher's client protocol. Services import this module, never the engine's internals."""

from __future__ import annotations

from orchestrator.contract import (
    InboundEvent,
    InputRequest,
    ServiceCall,
    ServiceOutcome,
    TurnContext,
)
from orchestrator.dispatch import (
    Dispatcher,
    ServiceCallError,
    ServiceClient,
    ServiceLimits,
    ServiceResult,
)
from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import (
    NEXT,
    BlockContext,
    BlockFailure,
    Executor,
    ExecutorRegistry,
    Step,
    call_service,
    follow,
    outcome_port,
    readable_variables,
    reprompt,
    wait,
)
from orchestrator.engine.outbound import streamed_message, text_message

__all__ = [
    "NEXT", "BlockContext", "BlockFailure", "CompiledBlock", "Dispatcher", "Executor",
    "ExecutorRegistry", "InboundEvent", "InputRequest", "ServiceCall", "ServiceCallError", "ServiceClient", "ServiceLimits",
    "ServiceOutcome", "ServiceResult", "Step", "TurnContext", "call_service", "follow",
    "outcome_port", "readable_variables", "reprompt", "streamed_message", "text_message",
    "wait",
]
