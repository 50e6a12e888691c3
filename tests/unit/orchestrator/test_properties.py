"""Random small scenarios never make a turn raise, and a turn that would run past the cap
reports `turn.step_limit`."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator.contract import InboundEvent
from orchestrator.engine import Engine, compile_document
from tests.unit.orchestrator.conftest import context, document, text

KINDS = ("message", "buttons", "condition", "set_variable", "input", "end")
CAP = 40


def settings_for(kind: str, index: int, draw) -> dict:
    if kind == "message":
        return {"text": text(f"m{index} {{{{ n }}}}")}
    if kind == "buttons":
        return {"text": text(f"b{index}"), "buttons": [{"id": "x", "label": text("X")},
                                                       {"id": "y", "label": text("Y")}]}
    if kind == "condition":
        return {"when": [{"left": {"var": "n"}, "op": draw(st.sampled_from(
            ["greater", "equals", "is_set", "contains", "matches"])), "right": {"value": "1"}}]}
    if kind == "set_variable":
        return draw(st.sampled_from([{"variable": "n", "expression": "n + 1"},
                                     {"variable": "n", "value": 0},
                                     {"variable": "s", "template": "{{ n }}{{ s }}"},
                                     {"variable": "n", "expression": "n / (n - n)"}]))
    if kind == "input":
        return {"kind": draw(st.sampled_from(["text", "number", "email", "date"])),
                "prompt": text("?"), "variable": "s", "max_attempts": 2}
    return {}


PORTS = {"message": ["next"], "buttons": ["x", "y", "next"], "condition": ["true", "false"],
         "set_variable": ["next"], "input": ["next", "invalid"], "end": []}


@st.composite
def scenarios(draw):
    size = draw(st.integers(1, 8))
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(size)]
    blocks = [{"id": f"b{i}", "type": kind if kind != "buttons" else "message",
               "settings": settings_for(kind, i, draw)} for i, kind in enumerate(kinds)]
    edges = []
    for i, kind in enumerate(kinds):
        for port in PORTS[kind]:
            if draw(st.booleans()):
                edges.append((f"b{i}", port, f"b{draw(st.integers(0, size - 1))}"))
    events = {}
    if draw(st.booleans()):
        events["error"] = f"b{draw(st.integers(0, size - 1))}"
    if draw(st.booleans()):
        events["fallback"] = f"b{draw(st.integers(0, size - 1))}"
    return document(blocks, edges, variables=[
        {"name": "n", "type": "number", "default": 0}, {"name": "s", "type": "string"}],
        events=events)


EVENTS = st.lists(st.one_of(
    st.builds(lambda t: InboundEvent(kind="text", text=t),
              st.sampled_from(["1", "X", "x@y.co", "2024-01-01", "", "hello", "/x"])),
    st.builds(lambda c: InboundEvent(kind="choice", choice_id=c), st.sampled_from(["x", "z"])),
    st.builds(lambda c: InboundEvent(kind="command", command=c),
              st.sampled_from(["start", "help", "restart", "nope"])),
    st.just(InboundEvent(kind="timeout")), st.just(InboundEvent(kind="handback")),
), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=scenarios(), events=EVENTS)
def test_random_scenarios_never_raise(doc, events):
    # Not validated: random graphs include loops without input, which is the point.
    compiled = compile_document(doc, version_id=uuid.UUID(int=3), name="main", validate=False)
    engine = Engine(max_steps_per_turn=CAP, clock=lambda: 0)
    scenarios_by_id = {compiled.version_id: compiled}
    state = engine.start_state(compiled, "en")
    for event in [InboundEvent(kind="start"), *events]:
        result = engine.run_turn(scenarios_by_id, state, event, context())
        codes = [e.code for e in result.errors]
        assert "turn.failed" not in codes, result.errors
        # The first drive is capped at CAP blocks; an error handler gets a few more.
        handler_steps = min(CAP, max(10, CAP // 10))
        if len(result.trace) > CAP + 1 + handler_steps:
            raise AssertionError("a turn ran more blocks than its caps allow")
        if len(result.trace) > CAP + 1:
            assert "turn.step_limit" in codes
        if "turn.step_limit" in codes:  # the main run's cap, or the error handler's smaller one
            assert len(result.trace) >= handler_steps
        result.model_dump_json()  # the result is always serialisable
        state = result.state
