"""The orchestrator's engine: compilation of published versions into a frozen form
(`compile`), the pure step interpreter (`interpreter`), the executor interface block types
implement (`executor`), and what they share: rendering, values, expressions, built-in
phrases."""

from orchestrator.engine.compile import (
    JUMP_PORT,
    CompiledBlock,
    CompiledScenario,
    VariableDeclaration,
    compile_document,
    compile_version,
)
from orchestrator.engine.executor import (
    BlockContext,
    BlockFailure,
    Executor,
    ExecutorRegistry,
    Step,
)
from orchestrator.engine.interpreter import MAX_FRAMES, Engine

__all__ = [
    "JUMP_PORT", "MAX_FRAMES", "BlockContext", "BlockFailure", "CompiledBlock",
    "CompiledScenario", "Engine", "Executor", "ExecutorRegistry", "Step",
    "VariableDeclaration", "compile_document", "compile_version",
]
