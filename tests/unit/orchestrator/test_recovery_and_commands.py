"""The engine never leaves a person without something to do, commands come back to where the
person was, the no_input event of an input's own answer time, and set_language."""

from __future__ import annotations

import pytest

from orchestrator.contract import InboundEvent
from orchestrator.engine.interpreter import RESTART_CHOICE
from tests.unit.orchestrator.conftest import Chat, block, compile_doc, document, say, text, texts

APOLOGY_EN = "Sorry, something went wrong on our side. Please try again."


def ask(id: str = "q", **more):  # type: ignore[no-untyped-def]
    return block(id, "input", kind="text", prompt=text("Question?"), variable="answer", **more)


VARIABLES = [{"name": "answer", "type": "string"}, {"name": "n", "type": "number"}]


# --- no silent conversations -------------------------------------------------------------------

def test_a_failure_before_anything_was_asked_offers_a_restart_that_works():
    doc = document([block("boom", "set_variable", variable="n", expression="1 / 0"),
                    ask()], [("boom", "next", "q")], variables=VARIABLES)
    chat = Chat(compile_doc(doc))
    first = chat.start()
    assert texts(first) == [APOLOGY_EN] and first.errors[0].code == "block.failed"
    assert [b.id for b in first.messages[0].buttons] == [RESTART_CHOICE]
    assert first.input is not None and [c.id for c in first.input.choices] == [RESTART_CHOICE]
    state = chat.state
    for words in ("hello", "anyone?"):
        later = chat.say(words)
        assert texts(later)[0].startswith("Sorry, I cannot go on") and later.input is not None
        assert chat.state == state  # the offer changes nothing
    helped = chat.command("help")  # the offer stays with the help text
    assert helped.input is not None and [c.id for c in helped.input.choices] == [RESTART_CHOICE]
    again = chat.choose(RESTART_CHOICE)
    assert again.trace[0].block_id == "boom"  # it began again from the start


def test_asking_again_after_a_failure_does_not_touch_the_state():
    doc = document([ask(), block("calc", "set_variable", variable="n", expression="answer * 2")],
                   [("q", "next", "calc")], variables=VARIABLES)
    chat = Chat(compile_doc(doc))
    chat.start()
    waiting = chat.state
    result = chat.say("abc")  # text that is not a number, in arithmetic
    assert texts(result) == [APOLOGY_EN, "Question?"] and result.state == waiting
    assert result.input is not None and result.input.block_id == "q"
    assert "is not a number" in result.errors[0].message


def test_a_failure_while_an_operator_has_the_conversation_only_apologises():
    doc = document([block("op", "handoff"), block("calc", "set_variable", variable="n",
                                                  expression="1 / 0")],
                   [("op", "next", "calc")], variables=VARIABLES)
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.send(InboundEvent(kind="handback"))
    assert texts(result) == [APOLOGY_EN] and result.state.status == "handoff"


# --- commands ----------------------------------------------------------------------------------

def command_doc():  # type: ignore[no-untyped-def]
    return document([ask(), say("info", "We open at 9."), block("bye", "end",
                                                                 message=text("Bye."))],
                    [("q", "next", "bye")], variables=VARIABLES,
                    commands={"info": "info", "quit": "bye"})


def test_a_declared_command_comes_back_to_the_question_with_its_attempts_reset():
    chat = Chat(compile_doc(command_doc()))
    chat.start()
    result = chat.command("info")
    assert texts(result) == ["We open at 9.", "Question?"] and not result.ended
    assert result.state.status == "waiting" and result.state.waiting_block == "q"
    assert len(result.state.frames) == 1  # the handler frame is gone
    assert texts(chat.say("fine")) == ["Bye."]


def test_a_command_that_leads_to_an_end_block_ends_on_purpose():
    chat = Chat(compile_doc(command_doc()))
    chat.start()
    assert chat.command("quit").ended


def test_a_command_after_the_question_was_answered_in_a_called_scenario_comes_back_there():
    callee = document([block("pick", "input", kind="number", prompt=text("How many?"),
                             variable="n")], variables=VARIABLES)
    main = document([block("go", "jump", scenario="sub"), say("after", "Thanks.")],
                    [("go", "next", "after")], variables=VARIABLES,
                    commands={"info": "tip"})
    main["blocks"].append(say("tip", "Numbers only."))
    chat = Chat(compile_doc(main), compile_doc(callee, "sub"))
    chat.start()
    result = chat.command("info")
    assert texts(result) == ["Numbers only.", "How many?"]
    assert texts(chat.say("3")) == ["Thanks."]


@pytest.mark.parametrize("allowed", [False, True])
def test_commands_during_a_handoff(allowed: bool):
    doc = document([block("op", "handoff"), say("tip", "Tip."),
                    block("bye", "end", message=text("Bye."))],
                   [("op", "next", "bye")], commands={"tip": "tip"})
    chat = Chat(compile_doc(doc))
    chat.context = chat.context.model_copy(update={"commands_in_handoff": allowed})
    chat.start()
    helped = chat.command("help")
    assert texts(helped)[0].startswith("Available commands:")
    assert helped.state.status == "handoff"
    result = chat.command("tip")
    assert texts(result) == (["Tip."] if allowed else [])
    assert result.state.status == "handoff" and result.input is not None
    assert [m.type for m in result.messages] == (["text"] if allowed else [])
    assert texts(chat.send(InboundEvent(kind="handback"))) == ["Bye."]


# --- no_input ------------------------------------------------------------------------------------

def no_input_doc(*, port: bool = False, handler: bool = False):  # type: ignore[no-untyped-def]
    blocks = [ask(timeout_seconds=30), say("nudge", "Still there?"),
              block("bye", "end", message=text("Bye."))]
    edges = [("q", "next", "bye")]
    if port:
        edges.append(("q", "no_input", "nudge"))
        blocks.append(block("later", "end", message=text("Write when you are ready.")))
        edges.append(("nudge", "next", "later"))
    return document(blocks, edges, variables=VARIABLES,
                    events={"no_input": "nudge"} if handler else None)


def test_the_answer_time_is_armed_once_per_wait_and_asks_again_without_a_handler():
    chat = Chat(compile_doc(no_input_doc()))
    started = chat.start()
    assert started.input.no_input_seconds == 30 and chat.state.no_input_seconds == 30
    again = chat.send(InboundEvent(kind="no_input"))
    assert texts(again) == ["Question?"] and chat.state.no_input_seconds is None
    assert chat.state.waiting_block == "q"
    # An answer that is asked again (or any new wait) arms it afresh.
    assert texts(chat.say("ok")) == ["Bye."]


def test_no_input_goes_to_the_scenario_handler_then_back_to_the_question():
    chat = Chat(compile_doc(no_input_doc(handler=True)))
    chat.start()
    result = chat.send(InboundEvent(kind="no_input"))
    assert texts(result) == ["Still there?", "Question?"]
    assert chat.state.waiting_block == "q" and chat.state.no_input_seconds is None


def test_no_input_follows_the_blocks_own_port_first():
    chat = Chat(compile_doc(no_input_doc(port=True, handler=True)))
    chat.start()
    result = chat.send(InboundEvent(kind="no_input"))
    assert texts(result) == ["Still there?", "Write when you are ready."] and result.ended
    assert [(s.block_id, s.port, s.error) for s in result.trace][0] == ("q", "no_input",
                                                                       "no_input")


def test_no_input_is_ignored_when_nothing_waits_or_an_operator_has_it():
    doc = document([block("op", "handoff")])
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.send(InboundEvent(kind="no_input"))
    assert result.messages == [] and result.state == chat.state


# --- set_language --------------------------------------------------------------------------------

def test_set_language_switches_texts_phrases_and_reprompts():
    doc = document([block("to_uk", "set_language", language="uk"),
                    block("n", "input", kind="number", prompt=text("How many?", "Скільки?"),
                          variable="n")],
                   [("to_uk", "next", "n")], variables=VARIABLES)
    chat = Chat(compile_doc(doc))
    assert texts(chat.start()) == ["Скільки?"] and chat.state.language == "uk"
    assert texts(chat.say("багато")) == ["Будь ласка, введіть число.", "Скільки?"]
    assert texts(chat.command("help"))[0] == "Доступні команди:\n/start — почати спочатку\n" \
        "/help — показати цю довідку"


@pytest.mark.parametrize(("value", "expected"), [("en", "en"), ("EN", "en"), ("uk-UA", "uk"),
                                                 (" uk ", "uk")])
def test_set_language_from_a_variable_accepts_regional_and_cased_codes(value: str,
                                                                       expected: str):
    doc = document([block("set", "set_language", variable="code"), say("hi", "Hi", "Привіт")],
                   [("set", "next", "hi")],
                   variables=[{"name": "code", "type": "string", "default": value}])
    chat = Chat(compile_doc(doc), language="uk" if expected == "en" else "en")
    chat.start()
    assert chat.state.language == expected


def test_set_language_to_a_language_the_bot_lacks_fails_the_block():
    doc = document([block("set", "set_language", variable="code"), say("hi", "Hi")],
                   [("set", "next", "hi")],
                   variables=[{"name": "code", "type": "string", "default": "de"}])
    chat = Chat(compile_doc(doc))
    result = chat.start()
    assert result.errors[0].block_id == "set" and "not one of the bot's languages" in \
        result.errors[0].message
    assert chat.state.language == "en"


# --- reads with bracket indexes ------------------------------------------------------------------

def test_a_condition_reads_a_list_item_by_a_variable_index():
    doc = document([block("check", "condition", when=[
        {"left": {"var": "answers[i]"}, "op": "equals", "right": {"value": "b"}}]),
        say("yes", "Second is b."), say("no", "Not b.")],
        [("check", "true", "yes"), ("check", "false", "no")],
        variables=[{"name": "answers", "type": "list", "default": ["a", "b"]},
                   {"name": "i", "type": "number", "default": 1}])
    assert texts(Chat(compile_doc(doc)).start()) == ["Second is b."]


def test_validation_reads_the_index_variables_of_a_reference():
    from scenarios.format import validate_document

    doc = document([block("check", "condition", when=[
        {"left": {"var": "answers[k]"}, "op": "is_set"}]), say("yes", "Yes.")],
        [("check", "true", "yes")], variables=[{"name": "answers", "type": "list"}])
    report = validate_document(doc, ["en"], "en")
    assert [(e.code, e.path) for e in report.errors] == [
        ("variable.undefined", "/blocks/0/settings/when/0/left/var")]
    assert "'k'" in report.errors[0].message


def test_the_error_handler_starts_from_the_variables_before_the_turn():
    doc = document([ask(), block("half", "set_variable", variable="n", value=5),
                    block("boom", "set_variable", variable="n", expression="answer * 2"),
                    block("oops", "message", text=text("n={{ n }}, said={{ last_input }}"))],
                   [("q", "next", "half"), ("half", "next", "boom")], variables=VARIABLES,
                   events={"error": "oops"})
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.say("abc")
    assert texts(result)[0] == "n=, said=abc"  # n's change before the failure is gone
    assert result.state.variables.get("n") is None


@pytest.mark.parametrize(("left", "right", "expected"), [
    (5, "4,5", True), ("10", "9", True), ("2025-03-14", "2025-03-01", True),
    ("b", "a", True), ([1], 1, False), (True, 1, False), (1, "abc", False), ("abc", 1, False),
    (None, 1, False), ({"a": 1}, "a", False), (False, True, False),
])
def test_a_condition_orders_numbers_and_texts_and_nothing_else(left, right, expected):
    from orchestrator.blocks.condition import OPERATORS

    assert OPERATORS["greater"](left, right) is expected


def test_a_command_between_wrong_answers_does_not_give_fresh_tries():
    doc = document([block("n", "input", kind="number", prompt=text("How many?"), variable="n",
                          max_attempts=3), say("info", "Numbers only."),
                    say("gave_up", "Never mind.")],
                   [("n", "invalid", "gave_up")], variables=VARIABLES,
                   commands={"info": "info"})
    chat = Chat(compile_doc(doc))
    assert chat.start().input.attempts_left == 3
    assert chat.say("many").input.attempts_left == 2
    again = chat.command("info")
    assert texts(again) == ["Numbers only.", "How many?"] and again.input.attempts_left == 2
    assert chat.say("lots").input.attempts_left == 1
    assert texts(chat.say("heaps")) == ["Never mind."]


def test_a_command_that_leads_back_into_the_handoff_says_nothing_twice():
    doc = document([block("op", "handoff", message=text("Connecting you.")),
                    say("again", "Calling someone again."),
                    block("bye", "end", message=text("Bye."))],
                   [("op", "next", "bye"), ("again", "next", "op")],
                   commands={"operator": "again"})
    chat = Chat(compile_doc(doc))
    chat.context = chat.context.model_copy(update={"commands_in_handoff": True})
    first = chat.start()
    assert [m.type for m in first.messages] == ["text", "handoff"]
    result = chat.command("operator")
    assert texts(result) == ["Calling someone again."]  # no second notice, no second handoff
    assert [m.type for m in result.messages] == ["text"] and result.state.status == "handoff"
