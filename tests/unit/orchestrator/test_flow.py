"""The engine's turn semantics: commands, events, fallback, errors, the step cap, jumps
between scenarios, handoff, languages, templates, determinism."""

from __future__ import annotations

import json
import uuid

import pytest

from orchestrator.contract import ConversationState, InboundEvent
from orchestrator.engine import Engine, compile_document
from tests.unit.orchestrator.conftest import (
    EXAMPLE,
    Chat,
    block,
    compile_doc,
    document,
    say,
    text,
    texts,
)

APOLOGY_EN = "Sorry, something went wrong on our side. Please try again."
APOLOGY_UK = "Вибачте, у нас щось пішло не так. Спробуйте ще раз, будь ласка."


def ask(id: str, variable: str = "answer", **settings):
    return block(id, "input", kind="text", prompt=text("Question?"), variable=variable,
                 **settings)


def looping(counter_type: str = "number", **events):
    """condition ↔ set_variable with no input on the loop: validation refuses it, so it is
    compiled without validation to reach the engine's own guard."""
    doc = document(
        [block("inc", "set_variable", variable="n", expression="n + 1"),
         block("check", "condition", when=[{"left": {"var": "n"}, "op": "less",
                                            "right": {"value": 10**9}}]),
         say("oops", "Something broke: {{ error_block }}")],
        [("inc", "next", "check"), ("check", "true", "inc")],
        variables=[{"name": "n", "type": counter_type, "default": 0},
                   {"name": "error_block", "type": "string"}],
        events=events)
    return compile_doc(doc, validate=False)


# --- commands ----------------------------------------------------------------------------------

def menu_doc():
    return document(
        [ask("q"), say("done", "Done {{ answer }}"), say("about", "About us"),
         say("back", "Back", buttons=[{"id": "again", "label": text("Again")}])],
        [("q", "next", "done"), ("about", "next", "back"), ("back", "again", "q")],
        variables=[{"name": "answer", "type": "string"},
                   {"name": "visits", "type": "number", "default": 1}],
        commands={"about": "about"})


def test_start_and_restart_reset_conversation_variables():
    chat = Chat(compile_doc(menu_doc()))
    chat.start()
    chat.say("first")
    assert chat.vars["answer"] == "first" and chat.state.status == "ended"
    for command, previous in (("start", "first"), ("/restart", "again")):
        result = chat.command(command)
        assert texts(result) == ["Question?"]
        assert chat.vars == {"visits": 1, "answer": None}
        assert result.variable_changes["answer"] == [previous, None]
        chat.say("again")


def test_declared_command_keeps_variables_and_runs_from_its_block():
    chat = Chat(compile_doc(menu_doc()))
    chat.start()
    result = chat.command("about")
    assert texts(result) == ["About us", "Back"] and result.input.kind == "buttons"
    chat.choose("again")
    chat.say("x")
    assert chat.vars["answer"] == "x"


@pytest.mark.parametrize(("language", "title"), [("en", "Available commands:"),
                                                 ("uk", "Доступні команди:"),
                                                 ("de", "Available commands:")])
def test_builtin_help_lists_commands_and_keeps_state(language, title):
    chat = Chat(compile_doc(menu_doc()), language=language)
    chat.start()
    before = chat.state
    result = chat.command("help")
    assert result.messages[0].text.splitlines()[0] == title
    assert "/about" in result.messages[0].text
    assert result.state == before and result.input.kind == "text"


def test_unknown_command_reads_as_text():
    chat = Chat(compile_doc(menu_doc()))
    chat.start()
    assert texts(chat.command("weird")) == ["Done /weird"]


# --- fallback, timeout ---------------------------------------------------------------------------

def test_fallback_handler_runs_and_leads_back():
    doc = document(
        [say("menu", "Pick", buttons=[{"id": "a", "label": text("A")}]), say("a_b", "A!"),
         say("lost", "I did not get '{{ last_input }}'")],
        [("menu", "a", "a_b"), ("lost", "next", "menu")], events={"fallback": "lost"})
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.say("zzz")
    assert texts(result) == ["I did not get 'zzz'", "Pick"]
    assert result.state.waiting_block == "menu"
    assert texts(chat.say("a")) == ["A!"]


def test_timeout_without_handler_changes_nothing():
    chat = Chat(compile_doc(menu_doc()))
    chat.start()
    before = chat.state
    result = chat.send(InboundEvent(kind="timeout"))
    assert result.messages == [] and result.state == before and result.input.kind == "text"


def test_timeout_handler_runs():
    doc = menu_doc()
    doc["blocks"].append(block("bye", "end", message=text("Closing the chat")))
    doc["entry"]["events"]["timeout"] = "bye"
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.send(InboundEvent(kind="timeout"))
    assert texts(result) == ["Closing the chat"] and result.ended


def test_text_after_end_changes_nothing():
    chat = Chat(compile_doc(document([block("e", "end")])))
    assert chat.start().ended
    result = chat.say("hello?")
    assert result.messages == [] and result.ended


# --- failures and the step cap ---------------------------------------------------------------------

def test_step_limit_without_handler_apologises_and_keeps_state():
    chat = Chat(looping(), engine=Engine(max_steps_per_turn=50, clock=lambda: 0),
                language="uk")
    before = chat.state
    result = chat.start()
    assert [e.code for e in result.errors] == ["turn.step_limit"]
    assert result.errors[0].block_id in ("inc", "check")
    assert texts(result) == [APOLOGY_UK]
    assert result.state == before and len(result.trace) == 50


def test_step_limit_goes_to_error_handler_with_variables():
    chat = Chat(looping(error="oops"), engine=Engine(max_steps_per_turn=50, clock=lambda: 0))
    result = chat.start()
    assert [e.code for e in result.errors] == ["turn.step_limit"]
    assert texts(result) == ["Something broke: inc"] or texts(result) == [
        "Something broke: check"]
    assert result.ended


def test_failure_inside_error_handler_does_not_loop():
    doc = document(
        [block("bad", "set_variable", variable="n", expression="1 / 0"),
         block("handler", "set_variable", variable="n", expression="2 / 0")],
        variables=[{"name": "n", "type": "number"}], events={"error": "handler"})
    result = Chat(compile_doc(doc)).start()
    assert [e.code for e in result.errors] == ["block.failed", "block.failed"]
    assert [e.block_id for e in result.errors] == ["bad", "handler"]
    assert texts(result) == [APOLOGY_EN]


def test_looping_error_handler_hits_its_smaller_cap():
    chat = Chat(looping(error="inc"), engine=Engine(max_steps_per_turn=200, clock=lambda: 0))
    result = chat.start()
    assert [e.code for e in result.errors] == ["turn.step_limit", "turn.step_limit"]
    assert texts(result) == [APOLOGY_EN]
    assert len(result.trace) == 200 + 20


def test_failure_on_answer_keeps_the_question_open():
    doc = document([ask("q"), block("calc", "set_variable", variable="n",
                                    expression="int(answer)")],
                   [("q", "next", "calc")],
                   variables=[{"name": "answer", "type": "string"},
                              {"name": "n", "type": "number"}])
    chat = Chat(compile_doc(doc))
    chat.start()
    waiting = chat.state
    result = chat.say("abc")
    assert result.errors[0].block_id == "calc" and result.state == waiting
    # The question is asked again after the apology: the person is never left in silence.
    assert result.input.kind == "text" and texts(result) == [APOLOGY_EN, "Question?"]
    assert result.trace[-1].error is not None


def test_executor_exception_is_contained():
    class Broken:
        type_name = "message"

        def prepare(self, settings, block_id):
            return None

        def enter(self, block, ctx):
            raise RuntimeError("boom")

    from orchestrator.blocks import default_executors

    registry = default_executors()
    registry.register(Broken(), replace=True)  # type: ignore[arg-type]
    compiled = compile_document(document([say("a", "hi")]), version_id=uuid.uuid4(),
                                name="main", executors=registry)
    result = Chat(compiled).start()
    assert result.errors[0].code == "block.failed" and "RuntimeError: boom" in \
        result.errors[0].message


# --- jumps ---------------------------------------------------------------------------------------

def test_jump_to_block():
    doc = document([say("a", "A"), block("j", "jump", block="c"), say("b", "B"), say("c", "C")],
                   [("a", "next", "j")])
    assert texts(Chat(compile_doc(doc)).start()) == ["A", "C"]


def scenarios_with_call(return_after=True):
    main = compile_doc(document(
        [say("hi", "Main"), block("call", "jump", scenario="survey", return_after=return_after),
         say("back", "Back in main: {{ score }}")],
        [("hi", "next", "call")] + ([("call", "next", "back")] if return_after else []),
        variables=[{"name": "score", "type": "number"}]), "main")
    survey = compile_doc(document(
        [block("rate", "input", kind="number", prompt=text("Rate 1-5"), variable="score",
               min=1, max=5), say("thanks", "Thanks")],
        [("rate", "next", "thanks")], variables=[{"name": "score", "type": "number"}]),
        "survey")
    return main, survey


def test_jump_to_scenario_and_return():
    chat = Chat(*scenarios_with_call())
    result = chat.start()
    assert texts(result) == ["Main", "Rate 1-5"]
    assert [f.scenario for f in result.state.frames] == ["main", "survey"]
    assert result.state.frames[0].return_block == "call"
    assert result.trace[-1].scenario == "survey"
    result = chat.say("4")
    assert texts(result) == ["Thanks", "Back in main: 4"]
    assert [f.scenario for f in result.state.frames] == ["main"] and result.ended
    # The state survives JSON between the turns.
    assert ConversationState.model_validate_json(result.state.model_dump_json()) == result.state


def test_jump_without_return_ends_with_the_callee():
    chat = Chat(*scenarios_with_call(return_after=False))
    chat.start()
    result = chat.say("5")
    assert texts(result) == ["Thanks"] and result.ended


def test_jump_to_unpublished_scenario_fails_the_block():
    main, _ = scenarios_with_call()
    chat = Chat(main)
    result = chat.start()
    assert result.errors[0].code == "block.failed"
    assert "scenario 'survey' is not published" in result.errors[0].message


def test_missing_version_is_reported_not_raised():
    main, survey = scenarios_with_call()
    chat = Chat(main, survey)
    chat.start()
    del chat.scenarios[survey.version_id]
    result = chat.say("3")
    assert result.errors[0].code == "scenario.missing" and texts(result) == [APOLOGY_EN]


# --- handoff, wait ---------------------------------------------------------------------------------

def test_handoff_and_handback():
    doc = document([block("op", "handoff", message=text("Connecting"), queue="sales"),
                    say("back", "The bot is back")], [("op", "next", "back")])
    chat = Chat(compile_doc(doc))
    result = chat.start()
    assert [m.type for m in result.messages] == ["text", "handoff"]
    assert result.messages[1].text == "sales"
    assert result.state.status == "handoff" and result.input.kind == "handoff"
    quiet = chat.say("hello operator")
    assert quiet.messages == [] and quiet.state == result.state
    assert texts(chat.send(InboundEvent(kind="handback"))) == ["The bot is back"]


def test_wait_emits_delay_and_continues():
    doc = document([say("a", "One"), block("w", "wait", seconds=1.5), say("b", "Two")],
                   [("a", "next", "w"), ("w", "next", "b")])
    result = Chat(compile_doc(doc)).start()
    assert [(m.type, m.seconds) for m in result.messages] == [
        ("text", None), ("delay", 1.5), ("text", None)]


# --- languages, templates, variables -----------------------------------------------------------------

def test_language_fallback_and_templates():
    doc = document(
        [block("a", "message", text={"en": "Hi {{ name }}, {{ order.total }} {{ missing }}!"}),
         block("b", "message", text={"en": "Total {{ order.items.1 }} on {{ today }}",
                                     "uk": "Разом {{ n }}"})],
        [("a", "next", "b")],
        variables=[{"name": "name", "type": "string", "scope": "user"},
                   {"name": "order", "type": "object", "default": {"total": 12.0,
                                                                   "items": ["x", "y"]}},
                   {"name": "n", "type": "number", "default": 3.0},
                   {"name": "missing", "type": "string"}])
    compiled = compile_document(doc, version_id=uuid.uuid4(), name="m", languages=["uk", "en"],
                                default_language="en")
    chat = Chat(compiled, language="uk")
    chat.user = {"name": "Олена"}
    assert texts(chat.start()) == ["Hi Олена, 12 !", "Разом 3"]
    chat = Chat(compiled, language="de")
    assert texts(chat.start()) == ["Hi , 12 !", "Total y on 2025-03-14"]


def test_user_and_bot_scope_changes_are_returned():
    doc = document([block("s", "set_variable", variable="seen", expression="seen + 1"),
                    block("t", "set_variable", variable="total", expression="total + 1")],
                   [("s", "next", "t")],
                   variables=[{"name": "seen", "type": "number", "scope": "user", "default": 0},
                              {"name": "total", "type": "number", "scope": "bot",
                               "default": 0}])
    chat = Chat(compile_doc(doc))
    chat.bot = {"total": 41}
    result = chat.start()
    assert result.user_variable_changes == {"seen": 1}
    assert result.bot_variable_changes == {"total": 42}
    assert result.variable_changes["total"] == [41, 42]
    assert "seen" not in result.state.variables


def test_system_variables_are_read_only():
    doc = document([block("s", "set_variable", variable="language", value="en")])
    result = Chat(compile_doc(doc)).start()
    assert "system variable" in result.errors[0].message


# --- determinism, the example -----------------------------------------------------------------------

def play(compiled, engine):
    chat = Chat(compiled, engine=engine)
    results = [chat.start(), chat.say("Leave a request"), chat.say("Ann"), chat.say("bad"),
               chat.say("ann@example.com"), chat.command("help"), chat.choose("done")]
    return [r.model_dump(mode="json") for r in results]


def example():
    data = json.loads(EXAMPLE.read_text())
    return compile_document(data, version_id=uuid.UUID(int=7), name="support",
                            languages=["uk", "en"], default_language="uk")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="examples/support-bot.json is absent")
def test_same_inputs_give_identical_results():
    assert play(example(), Engine(clock=lambda: 0)) == play(example(), Engine(clock=lambda: 0))


@pytest.mark.skipif(not EXAMPLE.exists(), reason="examples/support-bot.json is absent")
def test_example_support_bot_in_ukrainian():
    chat = Chat(example(), language="uk", default_language="uk")
    assert chat.start().input.kind == "buttons"
    assert texts(chat.say("залишити запит")) == ["Як до вас звертатися?"]
    assert texts(chat.say("Олена")) == ["Дякуємо, Олена! Вкажіть вашу електронну пошту."]
    result = chat.say("olena@Example.org")
    assert texts(result) == [
        "Дякуємо, Олена! Ми відповімо на olena@example.org протягом 4 год."]
    assert chat.user == {"name": "Олена", "email": "olena@example.org"}
    result = chat.say("Це все")
    assert texts(result) == ["Гарного дня!"] and result.ended


def test_start_state_shape():
    compiled = compile_doc(menu_doc())
    state = Engine().start_state(compiled, "uk", {"answer": "pre", "language": "x"})
    assert state.variables == {"visits": 1, "answer": "pre"}
    assert state.frames[0].block == "q" and state.pins == {"main": compiled.version_id}


@pytest.mark.skipif(not EXAMPLE.exists(), reason="examples/support-bot.json is absent")
def test_results_round_trip_through_json():
    from orchestrator.contract import TurnResult

    chat = Chat(example(), engine=Engine())
    for result in (chat.start(), chat.say("Leave a request"), chat.say("Ann"),
                   chat.say("not an email")):
        assert TurnResult.model_validate_json(result.model_dump_json()) == result


def test_a_handler_whose_path_ends_returns_to_the_waiting_block():
    doc = menu_doc()
    doc["blocks"].append(block("nudge", "message", text=text("Still there?")))
    doc["entry"]["events"]["timeout"] = "nudge"
    chat = Chat(compile_doc(doc))
    chat.start()
    waiting = chat.state.waiting_block
    result = chat.send(InboundEvent(kind="timeout"))
    assert texts(result)[0] == "Still there?"
    assert result.state.waiting_block == waiting and result.state.status == "waiting"
    assert len(result.state.frames) == 1 and result.state.frames[0].resume_block is None
