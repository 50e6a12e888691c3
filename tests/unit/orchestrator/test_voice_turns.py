"""A voice message answering a question: the engine asks the speech service for its words,
then, where the scenario has global intents, the NLU service whether the words mean one; a
global intent runs its path and comes back to the question, anything else (or NLU not
answering) is the answer, as if typed."""

from __future__ import annotations

from typing import Any

from orchestrator.blocks import default_executors
from orchestrator.contract import InboundEvent, ServiceOutcome, TurnResult
from orchestrator.engine import Engine
from orchestrator.engine.interpreter import PendingTurn
from tests.unit.orchestrator.conftest import block, compile_doc, context, say, text

HOURS = {"name": "opening_hours", "examples": {"en": ["when are you open", "opening hours"]}}
NAME = {"name": "my_name", "examples": {"en": ["my name is Bob", "call me Ann"]}}


def scenario(global_intents: bool = True) -> Any:
    doc: dict[str, Any] = {
        "schema_version": 2,
        "entry": {"start": "name"},
        "variables": [{"name": "who", "type": "string"}],
        "blocks": [block("name", "input", kind="text", variable="who",
                         prompt=text("What is your name?")),
                   say("hi", "Hello, {{who}}!"),
                   say("hours", "We are open 9 to 6 ({{last_input}}).")],
        "edges": [{"source": "name", "target": "hi"}],
    }
    if global_intents:
        doc["nlu"] = {"intents": [HOURS, NAME]}
        doc["entry"]["intents"] = {"opening_hours": "hours"}
    return compile_doc(doc)


def voice() -> InboundEvent:
    return InboundEvent(kind="audio", payload={"kind": "audio", "url": "https://x/1.ogg"})


def asked(engine: Engine, compiled: Any) -> Any:
    scenarios = {compiled.version_id: compiled}
    started = engine.run_turn(scenarios, engine.start_state(compiled, "en"),
                              InboundEvent(kind="start"), context())
    assert isinstance(started, TurnResult)
    pending = engine.run_turn(scenarios, started.state, voice(), context())
    assert isinstance(pending, PendingTurn) and pending.call.service == "stt"
    return pending


def texts(result: TurnResult) -> list[str | None]:
    return [m.text for m in result.messages]


def heard(words: str) -> ServiceOutcome:
    return ServiceOutcome(status="ok", value={"text": words, "confidence": 0.9,
                                              "engine": "whisper", "language": "en"})


def test_words_that_mean_a_global_intent_run_it_and_come_back() -> None:
    engine = Engine(default_executors())
    pending = asked(engine, scenario())
    checking = engine.resume_turn(pending, heard("When are you open?"))
    assert isinstance(checking, PendingTurn)
    assert (checking.call.service, checking.call.operation) == ("nlu", "classify")
    assert checking.call.request["text"] == "When are you open?"
    assert checking.call.request["threshold"] == scenario().global_threshold
    result = engine.resume_turn(checking, ServiceOutcome(
        status="ok", value={"intent": "opening_hours", "confidence": 0.93}))
    assert isinstance(result, TurnResult)
    assert texts(result) == ["We are open 9 to 6 (When are you open?).", "What is your name?"]
    assert result.heard is not None and result.heard["text"] == "When are you open?"
    assert result.input is not None and result.input.block_id == "name"
    assert [(s.call.service, s.call.status) for s in result.trace if s.call] == [
        ("stt", "ok"), ("nlu", "ok")]


def test_other_words_or_nlu_not_answering_are_the_answer() -> None:
    engine = Engine(default_executors())
    for outcome in (ServiceOutcome(status="ok", value={"intent": "my_name"}),
                    ServiceOutcome(status="ok", value={"intent": None}),
                    ServiceOutcome(status="timeout", error="late"),
                    ServiceOutcome(status="error", error="down")):
        checking = engine.resume_turn(asked(engine, scenario()), heard("Bob"))
        assert isinstance(checking, PendingTurn)
        result = engine.resume_turn(checking, outcome)
        assert isinstance(result, TurnResult)
        assert texts(result)[0] == "Hello, Bob!", (outcome, texts(result))
        assert result.state.variables["who"] == "Bob"


def test_without_global_intents_no_nlu_call_is_made() -> None:
    engine = Engine(default_executors())
    result = engine.resume_turn(asked(engine, scenario(global_intents=False)), heard("Bob"))
    assert isinstance(result, TurnResult) and texts(result)[0] == "Hello, Bob!"
