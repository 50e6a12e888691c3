"""The cost of dispatch itself: a turn whose block asks a no-op service for work (the engine
suspends, the orchestrator's dispatcher calls the service under its time limit, bulkhead and
circuit breaker, the engine resumes at the block), against the same turn with a block that
does no call. The difference is what the mechanism adds to every service block, before the
service does any work. Reproduce with:

    .venv/bin/python bench/dispatch.py [--turns 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orchestrator.blocks import default_executors  # noqa: E402
from orchestrator.contract import InboundEvent, TurnContext  # noqa: E402
from orchestrator.engine import Engine, compile_document  # noqa: E402
from orchestrator.engine.interpreter import PendingTurn  # noqa: E402
from orchestrator.extension import (  # noqa: E402
    Dispatcher,
    Executor,
    ServiceCall,
    ServiceResult,
    call_service,
    follow,
)


class NoOp:
    async def call(self, operation: str, request: Any, context: TurnContext, *,
                   timeout: float) -> ServiceResult:
        return ServiceResult(value=None)


class Calling(Executor):
    type_name = "end"  # stands in for a service block (its settings are empty)

    def enter(self, block: Any, ctx: Any) -> Any:
        return call_service(ServiceCall(service="noop", operation="noop", request={},
                                        timeout_seconds=1))


class Plain(Executor):
    type_name = "end"

    def enter(self, block: Any, ctx: Any) -> Any:
        return follow("ok")


DOCUMENT = {
    "schema_version": 2, "entry": {"start": "hello"},
    "variables": [{"name": "said", "type": "string"}],
    "blocks": [{"id": "hello", "type": "message", "settings": {"text": {"en": "Hi"}}},
               {"id": "work", "type": "end", "settings": {}},
               {"id": "ask", "type": "input", "settings": {
                   "kind": "text", "variable": "said", "prompt": {"en": "More?"}}}],
    "edges": [{"source": "hello", "target": "work"},
              {"source": "work", "port": "ok", "target": "ask"}],
}


async def measure(executor: Executor, turns: int) -> list[float]:
    executors = default_executors()
    executors.register(executor, replace=True)
    engine = Engine(executors)
    scenario = compile_document(DOCUMENT, version_id=uuid.uuid4(), name="main",
                                languages=("en",), default_language="en", validate=False,
                                executors=executors)
    dispatcher = Dispatcher()
    dispatcher.register("noop", NoOp())
    context = TurnContext(conversation_id=uuid.uuid4(), bot_id=uuid.uuid4(),
                          now=datetime.now(UTC), default_language="en", languages=["en"])
    state = engine.start_state(scenario, "en")
    scenarios = {scenario.version_id: scenario}
    event = InboundEvent(kind="start")
    out = []
    for _ in range(turns):
        began = time.perf_counter()
        result = engine.run_turn(scenarios, state, event, context)
        while isinstance(result, PendingTurn):
            outcome = await dispatcher.call(result.call, context)
            result = engine.resume_turn(result, outcome)
        out.append((time.perf_counter() - began) * 1e6)
        assert not result.errors, result.errors
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(measure(Plain(), 1000))  # warm up
    plain = asyncio.run(measure(Plain(), args.turns))
    calling = asyncio.run(measure(Calling(), args.turns))

    def pct(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[q - 1]

    print(f"turns: {args.turns:,} each (start event: message, the block, an input)")
    print("| turn | p50 | p99 |")
    print("|---|---|---|")
    print(f"| block without a call | {pct(plain, 50):.1f} µs | {pct(plain, 99):.1f} µs |")
    print(f"| block calling a no-op service | {pct(calling, 50):.1f} µs | "
          f"{pct(calling, 99):.1f} µs |")
    print(f"dispatch adds {pct(calling, 50) - pct(plain, 50):.1f} µs at p50 "
          f"({pct(calling, 99) - pct(plain, 99):.1f} µs at p99)")


if __name__ == "__main__":
    main()
