"""The dispatcher: every way a service call ends becomes an outcome for the block's ports
(never an exception in the turn), under the call's time limit, the service's bulkhead and a
circuit breaker per operation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from orchestrator.contract import ServiceCall, TurnContext
from orchestrator.dispatch import Dispatcher, ServiceCallError, ServiceLimits, ServiceResult

CONTEXT = TurnContext(conversation_id=uuid.uuid4(), bot_id=uuid.uuid4(), org_id=uuid.uuid4(),
                      now=datetime.now(UTC), default_language="en", languages=["en"])


class Fake:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.gate = asyncio.Event()

    async def call(self, operation: str, request: Any, context: TurnContext, *,
                   timeout: float) -> ServiceResult:
        self.calls.append((operation, dict(request)))
        if operation == "echo":
            return ServiceResult(value={"got": request, "org": str(context.org_id)},
                                 logs=["echoed"])
        if operation == "refuse":
            raise ServiceCallError("the API answered 404", logs=["GET /x"])
        if operation == "hang":
            await asyncio.sleep(30)
        if operation == "hold":
            await self.gate.wait()
            return ServiceResult(value="held")
        raise RuntimeError("the service is broken")


def call(operation: str, timeout: float = 1.0, **request: Any) -> ServiceCall:
    return ServiceCall(service="fake", operation=operation, request=request,
                       timeout_seconds=timeout)


async def test_ok_error_and_timeout_outcomes() -> None:
    dispatcher = Dispatcher()
    dispatcher.register("fake", Fake())
    ok = await dispatcher.call(call("echo", a=1), CONTEXT)
    assert ok.status == "ok" and ok.value == {"got": {"a": 1}, "org": str(CONTEXT.org_id)}
    assert ok.logs == ["echoed"] and ok.milliseconds >= 0
    refused = await dispatcher.call(call("refuse"), CONTEXT)
    assert (refused.status, refused.error, refused.logs) == (
        "error", "the API answered 404", ["GET /x"])
    slow = await asyncio.wait_for(dispatcher.call(call("hang", timeout=0.05), CONTEXT), 2)
    assert slow.status == "timeout" and "did not answer within 0.05 s" in slow.error
    broken = await dispatcher.call(call("broken"), CONTEXT)
    assert broken.status == "error" and "RuntimeError" in broken.error
    unknown = await dispatcher.call(ServiceCall(service="nlu", operation="x"), CONTEXT)
    assert unknown.status == "error" and "no service 'nlu'" in unknown.error


async def test_a_failing_operation_opens_its_circuit_and_leaves_the_others_alone() -> None:
    fake = Fake()
    dispatcher = Dispatcher()
    dispatcher.register("fake", fake, ServiceLimits(failure_threshold=3, reset_seconds=60))
    for _ in range(3):
        assert (await dispatcher.call(call("broken"), CONTEXT)).status == "error"
    tried = len(fake.calls)
    paused = await dispatcher.call(call("broken"), CONTEXT)
    assert paused.status == "error" and "paused" in paused.error
    assert len(fake.calls) == tried  # not even tried
    # Errors of the work itself (a 404) do not count against the service.
    for _ in range(5):
        assert (await dispatcher.call(call("refuse"), CONTEXT)).error == "the API answered 404"
    assert (await dispatcher.call(call("echo"), CONTEXT)).status == "ok"


async def test_a_full_bulkhead_answers_at_once() -> None:
    fake = Fake()
    dispatcher = Dispatcher()
    dispatcher.register("fake", fake, ServiceLimits(concurrency=2, queue=0))
    held = [asyncio.create_task(dispatcher.call(call("hold"), CONTEXT)) for _ in range(2)]
    await asyncio.sleep(0.01)
    refused = await asyncio.wait_for(dispatcher.call(call("echo"), CONTEXT), 1)
    assert refused.status == "error" and "at capacity" in refused.error
    fake.gate.set()
    assert [o.value for o in await asyncio.gather(*held)] == ["held", "held"]
    assert (await dispatcher.call(call("echo"), CONTEXT)).status == "ok"
