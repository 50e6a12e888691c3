"""Executors of the built-in block types (one module per type) and the default registry.
Services that add block types register their executors in a registry of their own copy:
`registry = default_executors(); registry.register(MyExecutor())`."""

from __future__ import annotations

from orchestrator.blocks.condition import ConditionExecutor
from orchestrator.blocks.end import EndExecutor
from orchestrator.blocks.handoff import HandoffExecutor
from orchestrator.blocks.input import InputExecutor
from orchestrator.blocks.jump import JumpExecutor
from orchestrator.blocks.language import SetLanguageExecutor
from orchestrator.blocks.message import MessageExecutor
from orchestrator.blocks.set_variable import SetVariableExecutor
from orchestrator.blocks.wait import WaitExecutor
from orchestrator.engine.executor import ExecutorRegistry

BUILTIN_EXECUTORS = (
    MessageExecutor(), InputExecutor(), ConditionExecutor(), SetVariableExecutor(),
    JumpExecutor(), WaitExecutor(), HandoffExecutor(), EndExecutor(), SetLanguageExecutor(),
)


def default_executors() -> ExecutorRegistry:
    """A new registry holding the built-in executors (a copy each call, so that registering
    more in one place never changes another's)."""
    registry = ExecutorRegistry()
    for executor in BUILTIN_EXECUTORS:
        registry.register(executor)
    return registry


__all__ = [
    "BUILTIN_EXECUTORS", "ConditionExecutor", "EndExecutor", "HandoffExecutor",
    "InputExecutor", "JumpExecutor", "MessageExecutor", "SetLanguageExecutor",
    "SetVariableExecutor", "WaitExecutor",
    "default_executors",
]
