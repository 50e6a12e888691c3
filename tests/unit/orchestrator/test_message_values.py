"""Message buttons and quick replies with values, option ids such as "09:00" as ports, and
the message's own answer time."""

from __future__ import annotations

import pytest

from orchestrator.engine.executor import BlockFailure, VariableTypeError
from tests.unit.orchestrator.conftest import Chat, compile_doc, document, say, text, texts


def slots(var_type: str = "number", **more):
    return document(
        [say("when", "When?", "Коли?",
             buttons=[{"id": "09:00", "label": text("Nine"), "value": 9},
                      {"id": "12:30", "label": text("Half past twelve"), "value": 12.5}],
             quick_replies=[{"id": "any", "label": text("Any time")}],
             store_choice_in="hour", **more),
         say("early", "Early bird"), say("noon", "At noon"), say("other", "Any time it is")],
        [("when", "09:00", "early"), ("when", "12:30", "noon"), ("when", "next", "other")],
        variables=[{"name": "hour", "type": var_type}])


@pytest.mark.parametrize(("act", "port", "said", "hour"), [
    (("choose", "09:00"), "09:00", "Early bird", 9), (("say", "nine"), "09:00", "Early bird", 9),
    (("say", "2"), "12:30", "At noon", 12.5), (("choose", "12:30"), "12:30", "At noon", 12.5),
])
def test_button_value_is_stored_and_its_id_is_the_port(act, port, said, hour):
    chat = Chat(compile_doc(slots()))
    first = chat.start()
    assert [c.id for c in first.input.choices] == ["09:00", "12:30", "any"]
    result = getattr(chat, act[0])(act[1])
    assert texts(result) == [said]
    assert [s.port for s in result.trace if s.block_id == "when"] == [port]
    assert chat.vars["hour"] == hour and type(chat.vars["hour"]) is type(hour)
    assert chat.vars["last_choice"] == port


def test_option_without_value_stores_its_id_and_a_wrong_type_fails_the_block():
    chat = Chat(compile_doc(slots(var_type="string")))
    chat.start()
    assert texts(chat.choose("any")) == ["Any time it is"]
    assert chat.vars["hour"] == "any"
    chat = Chat(compile_doc(slots(), validate=False))
    chat.start()
    result = chat.choose("any")
    # The author paired a value with a variable that cannot hold it: a failed block.
    assert [e.code for e in result.errors] == ["block.failed"]
    assert "holds a number" in result.errors[0].message
    assert issubclass(VariableTypeError, BlockFailure)


def test_answer_time_on_a_waiting_message():
    doc = slots(timeout_seconds=120)
    doc["blocks"].append(say("late", "Maybe later"))
    doc["edges"].append({"source": "when", "port": "no_input", "target": "late"})
    compiled = compile_doc(doc)
    assert Chat(compiled).start().input.no_input_seconds == 120
    when = compiled.blocks["when"]
    step = when.executor.no_input(when, None)
    assert (step.kind, step.port) == ("follow", "no_input")
    unconnected = compile_doc(slots(timeout_seconds=120)).blocks["when"]
    assert unconnected.executor.no_input(unconnected, None).kind == "fallback"
    assert Chat(compile_doc(slots())).start().input.no_input_seconds is None
