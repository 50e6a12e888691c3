"""Blocks that call a service: the engine suspends the turn at the block (a `PendingTurn`),
resumes it with the outcome, and the block leaves through `ok` / `error` / `timeout`; the
turn keeps what it said before the call, records the call in its trace, caps the calls, and
a failure after a call leaves the conversation as it was."""

from __future__ import annotations

from typing import Any

from orchestrator.blocks import default_executors
from orchestrator.contract import InboundEvent, ServiceCall, ServiceOutcome, TurnResult
from orchestrator.engine import Engine, compile_document
from orchestrator.engine.executor import Executor, call_service
from orchestrator.engine.interpreter import MAX_CALLS_PER_TURN, PendingTurn
from orchestrator.engine.outbound import text_message
from tests.unit.orchestrator.conftest import block, context, document, say


class Calling(Executor):
    """Asks the fake service for `n` (stands in for a script or HTTP block)."""

    type_name = "end"

    def enter(self, block: Any, ctx: Any) -> Any:
        return call_service(ServiceCall(service="fake", operation="echo",
                                        request={"n": ctx.get("n")}, timeout_seconds=1),
                            [text_message("one moment", block.id)])

    def complete(self, block: Any, outcome: ServiceOutcome, ctx: Any) -> Any:
        if outcome.status == "ok":
            ctx.set("answer", outcome.value)
        return super().complete(block, outcome, ctx)


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def engine_with_calls(clock: Clock | None = None) -> Engine:
    executors = default_executors()
    executors.register(Calling(), replace=True)
    return Engine(executors, clock=clock or Clock())


def compiled(engine: Engine, blocks: list[dict], edges: list[tuple[str, str, str]],  # type: ignore[no-untyped-def]
             *, more_variables: tuple[str, ...] = (), **kw: Any):
    doc = document(blocks, edges, variables=[
        {"name": "n", "type": "number", "default": 2}, {"name": "answer", "type": "any"},
        *({"name": name, "type": "string"} for name in more_variables)], **kw)
    import uuid

    return compile_document(doc, version_id=uuid.uuid4(), name="main", languages=("en", "uk"),
                            default_language="en", validate=False, executors=engine.executors)


def start(engine: Engine, scenario: Any) -> Any:
    state = engine.start_state(scenario, "en")
    return state, engine.run_turn({scenario.version_id: scenario}, state,
                                  InboundEvent(kind="start"), context())


def texts(result: TurnResult) -> list[str | None]:
    return [m.text for m in result.messages]


GRAPH = [say("hello", "Hello"), block("ask", "end"), say("good", "Got {{answer}}"),
         say("bad", "Failed"), say("slow", "Too slow")]
EDGES = [("hello", "next", "ask"), ("ask", "ok", "good"), ("ask", "error", "bad"),
         ("ask", "timeout", "slow")]


def test_a_call_suspends_the_turn_and_the_outcome_resumes_it_through_ok() -> None:
    engine = engine_with_calls()
    scenario = compiled(engine, GRAPH, EDGES)
    _, pending = start(engine, scenario)
    assert isinstance(pending, PendingTurn)
    assert pending.block_id == "ask"
    assert (pending.call.service, pending.call.operation, pending.call.request) == (
        "fake", "echo", {"n": 2})
    result = engine.resume_turn(pending, ServiceOutcome(status="ok", value={"x": 1},
                                                        milliseconds=12.5, logs=["hi"]))
    assert isinstance(result, TurnResult)
    assert texts(result) == ["Hello", "one moment", 'Got {"x": 1}']
    assert result.state.variables["answer"] == {"x": 1}
    assert result.variable_changes["answer"] == [None, {"x": 1}]
    calls = [step for step in result.trace if step.call is not None]
    assert len(calls) == 1 and calls[0].block_id == "ask"
    assert calls[0].call.model_dump() == {"service": "fake", "operation": "echo",
                                          "status": "ok", "milliseconds": 12.5,
                                          "error": None, "logs": ["hi"]}
    assert [s.port for s in result.trace if s.block_id == "ask" and s.call is None] == ["ok"]


def test_error_and_timeout_take_their_ports() -> None:
    engine = engine_with_calls()
    scenario = compiled(engine, GRAPH, EDGES)
    _, pending = start(engine, scenario)
    failed = engine.resume_turn(pending, ServiceOutcome(status="error", error="boom"))
    assert texts(failed) == ["Hello", "one moment", "Failed"]
    assert [s.call.error for s in failed.trace if s.call] == ["boom"]
    _, pending = start(engine, scenario)
    slow = engine.resume_turn(pending, ServiceOutcome(status="timeout", error="late"))
    assert texts(slow) == ["Hello", "one moment", "Too slow"]

    # With no timeout edge, a timeout leaves through `error`.
    scenario = compiled(engine, GRAPH, EDGES[:3])
    _, pending = start(engine, scenario)
    assert texts(engine.resume_turn(pending, ServiceOutcome(status="timeout"))) == [
        "Hello", "one moment", "Failed"]


def test_a_failed_call_with_no_error_edge_runs_the_error_handler_from_the_old_state() -> None:
    engine = engine_with_calls()
    scenario = compiled(engine, [*GRAPH, say("sorry", "Sorry: {{error_message}}")],
                        EDGES[:2], events={"error": "sorry"}, more_variables=("error_message",))
    _, pending = start(engine, scenario)
    result = engine.resume_turn(pending, ServiceOutcome(status="error", error="API said 500"))
    # What was said before the call is not delivered: the handler speaks for the turn.
    assert texts(result) == ["Sorry: block 'ask' (end) failed: API said 500"]
    assert "API said 500" in result.errors[0].message
    assert "answer" not in result.variable_changes


def test_the_engine_caps_the_calls_of_one_turn() -> None:
    engine = engine_with_calls()
    # ok loops back to the calling block: every outcome asks again.
    scenario = compiled(engine, [block("ask", "end")], [("ask", "ok", "ask")])
    state = engine.start_state(scenario, "en")
    result = engine.run_turn({scenario.version_id: scenario}, state,
                             InboundEvent(kind="start"), context())
    calls = 0
    while isinstance(result, PendingTurn):
        calls += 1
        result = engine.resume_turn(result, ServiceOutcome(status="ok", value=calls))
    assert calls == MAX_CALLS_PER_TURN
    assert result.errors and f"more than {MAX_CALLS_PER_TURN} service calls" in \
        result.errors[0].message
    assert result.state.variables == state.variables  # nothing of the turn was kept
    assert "answer" not in result.variable_changes


def test_waiting_for_a_call_does_not_count_against_the_turn_time() -> None:
    clock = Clock()
    engine = engine_with_calls(clock)
    scenario = compiled(engine, GRAPH, EDGES)
    _, pending = start(engine, scenario)
    clock.now += 10 * 10**9  # ten seconds in the service
    result = engine.resume_turn(pending, ServiceOutcome(status="ok", value=1))
    assert not result.errors and texts(result)[-1] == "Got 1"


def test_a_waiting_block_may_call_a_service_with_the_persons_answer() -> None:
    class AskThenCall(Calling):
        type_name = "end"

        def enter(self, block: Any, ctx: Any) -> Any:
            from orchestrator.engine.executor import wait
            from orchestrator.engine.outbound import input_request

            return wait(input_request("text", block.id), [text_message("Say it", block.id)])

        def resume(self, block: Any, event: InboundEvent, ctx: Any) -> Any:
            return call_service(ServiceCall(service="fake", operation="classify",
                                            request={"text": event.text}))

    executors = default_executors()
    executors.register(AskThenCall(), replace=True)
    engine = Engine(executors, clock=Clock())
    scenario = compiled(engine, GRAPH, EDGES)
    state, first = start(engine, scenario)
    assert texts(first) == ["Hello", "Say it"] and first.state.status == "waiting"
    pending = engine.run_turn({scenario.version_id: scenario}, first.state,
                              InboundEvent(kind="text", text="refund please"), context())
    assert isinstance(pending, PendingTurn) and pending.call.request == {"text": "refund please"}
    done = engine.resume_turn(pending, ServiceOutcome(status="ok", value="refund"))
    assert texts(done) == ["Got refund"] and done.state.status == "ended"


class Deferring(Calling):
    type_name = "end"

    def enter(self, block: Any, ctx: Any) -> Any:
        return call_service(ServiceCall(service="slow", operation="job", deferred=True,
                                        timeout_seconds=60),
                            [text_message("one moment", block.id)])


def test_a_deferred_call_ends_the_turn_and_its_result_comes_back_as_an_event() -> None:
    executors = default_executors()
    executors.register(Deferring(), replace=True)
    engine = Engine(executors, clock=Clock())
    scenario = compiled(engine, [*GRAPH, say("helping", "Here is help")], EDGES,
                        commands={"assist": "helping"})
    scenarios = {scenario.version_id: scenario}
    _, first = start(engine, scenario)
    assert isinstance(first, TurnResult)
    assert texts(first) == ["Hello", "one moment"]
    assert first.state.status == "waiting" and first.state.waiting_block == "ask"
    assert first.state.pending_job == "ask:1" and first.input is None
    assert [(j.job, j.block_id, j.call.operation) for j in first.jobs] == [("ask:1", "ask", "job")]

    # The person writes meanwhile: told to wait, the state as it was, no second job.
    meanwhile = engine.run_turn(scenarios, first.state, InboundEvent(kind="text", text="hi?"),
                                context())
    assert texts(meanwhile)[0].startswith("Still working") and meanwhile.jobs == []
    assert meanwhile.state == first.state
    # A command's path ends: back to waiting for the job, not a second job.
    helped = engine.run_turn(scenarios, first.state,
                             InboundEvent(kind="command", command="assist"), context())
    assert texts(helped) == ["Here is help"] and helped.jobs == []
    assert helped.state.pending_job == "ask:1" and helped.state.waiting_block == "ask"

    stale = engine.run_turn(scenarios, helped.state, InboundEvent(
        kind="service_result", payload={"job": "ask:0", "outcome": {"status": "ok"}}), context())
    assert texts(stale) == [] and stale.state == helped.state
    done = engine.run_turn(scenarios, helped.state, InboundEvent(
        kind="service_result", payload={"job": "ask:1", "service": "slow", "operation": "job",
                                        "outcome": {"status": "ok", "value": 7}}), context())
    assert texts(done) == ["Got 7"] and done.state.pending_job is None
    assert done.state.status == "ended"
    assert [s.call.service for s in done.trace if s.call] == ["slow"]
