"""Input constraints (integer, step, date bounds relative to the turn's date, weekdays), the
reprompt chosen for each failed constraint, answers converted into typed variables, choice
values and the block's own answer time."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestrator.blocks.input import resolve_date_bound
from scenarios.format.blocks import parse_date_bound
from tests.unit.orchestrator.conftest import Chat, block, compile_doc, document, say, text, texts

# The test clock (conftest.NOW) is Friday 2025-03-14.


def asking(kind: str, var_type: str = "any", **settings):
    blocks = [block("ask", "input", kind=kind, prompt=text("Your answer?", "Ваша відповідь?"),
                    variable="answer", **settings),
              say("ok", "Got {{ answer }}"), say("gave_up", "Never mind")]
    edges = [("ask", "next", "ok"), ("ask", "invalid", "gave_up")]
    return compile_doc(document(blocks, edges, variables=[{"name": "answer", "type": var_type}]))


def reply(chat: Chat, words: str) -> str:
    """The reprompt a wrong answer gets (the prompt follows it)."""
    result = chat.say(words)
    assert result.input is not None and len(texts(result)) == 2, texts(result)
    return texts(result)[0]


@pytest.mark.parametrize(("settings", "refused", "said", "accepted", "stored"), [
    ({"integer": True}, "2.5", "Please enter a whole number.", "3", 3),
    ({"integer": True}, "2,5", "Please enter a whole number.", "3.0", 3),
    ({"step": 0.5, "min": 1}, "1.2", "Please enter a number in steps of 0.5 from 1.", "2.5", 2.5),
    ({"step": 0.1}, "0.35", "Please enter a multiple of 0.1.", "0.3", 0.3),
    ({"step": 0.25, "min": 0.1}, "0.5", "Please enter a number in steps of 0.25 from 0.1.",
     "0.6", 0.6),
    ({"step": 5, "min": 1, "max": 21}, "26", "Please enter a number from 1 to 21.", "16", 16),
])
def test_number_constraints(settings, refused, said, accepted, stored):
    chat = Chat(asking("number", **settings))
    chat.start()
    assert reply(chat, refused) == said
    assert texts(chat.say(accepted)) == [f"Got {accepted.replace(',', '.').removesuffix('.0')}"]
    assert chat.vars["answer"] == stored and type(chat.vars["answer"]) is type(stored)


def test_number_builtin_reprompts_in_ukrainian():
    chat = Chat(asking("number", integer=True), language="uk")
    chat.start()
    assert reply(chat, "1.5") == "Будь ласка, введіть ціле число."
    chat = Chat(asking("number", step=0.5, min=1), language="uk")
    chat.start()
    assert reply(chat, "1.7") == "Будь ласка, введіть число з кроком 0.5, починаючи від 1."


def test_steps_are_told_exactly_for_the_longest_answers():
    chat = Chat(asking("number", step=1e-300))
    chat.start()
    assert chat.say("9" * 40).ended  # accepted: about 1e340 steps, counted exactly
    chat = Chat(asking("number", step=3))
    chat.start()
    assert reply(chat, "1" * 16) == "Please enter a multiple of 3."  # digit sum 16


@pytest.mark.parametrize(("bound", "day"), [
    ("today", "2025-03-14"), ("+30d", "2025-04-13"), ("today+30d", "2025-04-13"),
    ("-1d", "2025-03-13"), ("+2w", "2025-03-28"), ("+1m", "2025-04-14"), ("-1y", "2024-03-14"),
    ("2025-01-31", "2025-01-31"),
])
def test_date_bounds_resolve_against_the_given_day(bound, day):
    assert resolve_date_bound(parse_date_bound(bound), dt.date(2025, 3, 14)).isoformat() == day


def test_month_shift_keeps_the_day_where_the_month_has_it():
    assert resolve_date_bound(parse_date_bound("+1m"), dt.date(2025, 1, 31)) == dt.date(2025, 2, 28)
    assert resolve_date_bound(parse_date_bound("+1y"), dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert resolve_date_bound(parse_date_bound("-2m"), dt.date(2025, 1, 15)) == dt.date(2024, 11, 15)


def test_date_between_today_and_a_month_on_the_turns_clock():
    chat = Chat(asking("date", min="today", max="+1m"))
    chat.start()
    assert reply(chat, "13.03.2025") == "Please choose a date from 14.03.2025 to 14.04.2025."
    assert reply(chat, "2025-04-15") == "Please choose a date from 14.03.2025 to 14.04.2025."
    assert texts(chat.say("14.04.2025")) == ["Got 2025-04-14"]


def test_date_bounds_follow_the_clock_of_each_turn():
    chat = Chat(asking("date", min="today"))
    chat.context = chat.context.model_copy(update={"now": dt.datetime(2025, 6, 1, tzinfo=dt.UTC)})
    chat.start()
    assert reply(chat, "31.05.2025") == "Please choose a date no earlier than 01.06.2025."
    assert texts(chat.say("01.06.2025")) == ["Got 2025-06-01"]


def test_date_only_max_and_weekdays_in_both_languages():
    chat = Chat(asking("date", max="2025-12-31", weekdays=["mon", "tue", "wed", "thu", "fri"]))
    chat.start()
    assert reply(chat, "2026-01-01") == "Please choose a date no later than 31.12.2025."
    assert reply(chat, "15.03.2025") == "Please choose a weekday: Monday–Friday."
    assert texts(chat.say("17.03.2025")) == ["Got 2025-03-17"]
    chat = Chat(asking("date", weekdays=["sat", "sun"], max_attempts=5), language="uk")
    chat.start()
    assert reply(chat, "14.03.2025") == "Будь ласка, оберіть дату в такі дні тижня: субота, неділя."
    chat = Chat(asking("date", min="2025-12-01", max="2025-12-31"), language="uk")
    chat.start()
    assert reply(chat, "30.11.2025") == "Будь ласка, оберіть дату з 01.12.2025 по 31.12.2025."


def test_each_constraint_has_its_own_reprompt_then_the_general_one():
    chat = Chat(asking("number", min=1, max=10, integer=True, max_attempts=10,
                       reprompt=text("Try again, {{ last_input }} will not do."),
                       reprompts={"integer": text("Whole pizzas only."),
                                  "max": text("At most 10, not {{ last_input }}.")}))
    chat.start()
    assert reply(chat, "2.5") == "Whole pizzas only."
    assert reply(chat, "11") == "At most 10, not 11."
    assert reply(chat, "0") == "Try again, 0 will not do."
    assert reply(chat, "many") == "Try again, many will not do."
    chat = Chat(asking("date", weekdays=["mon"], reprompts={"weekday": text("Mondays only")}))
    chat.start()
    assert reply(chat, "14.03.2025") == "Mondays only"
    assert reply(chat, "soon") == "Please enter a date, e.g. 31.12.2025."


def test_text_reprompts_by_constraint():
    chat = Chat(asking("text", min_length=3, pattern="[a-z]+", max_attempts=5,
                       reprompts={"length": text("Three letters at least"),
                                  "pattern": text("Small letters only")}))
    chat.start()
    assert reply(chat, "ab") == "Three letters at least"
    assert reply(chat, "ABC") == "Small letters only"


def test_text_into_a_number_variable_is_converted_or_asked_again():
    chat = Chat(asking("text", var_type="number"))
    chat.start()
    result = chat.say("forty")
    assert result.errors == [] and texts(result) == ["Please enter a number.", "Your answer?"]
    assert texts(chat.say(" 41 ")) == ["Got 41"]
    assert chat.vars["answer"] == 41
    chat = Chat(asking("text", var_type="date", reprompt=text("A day, please")))
    chat.start()
    assert reply(chat, "someday") == "A day, please"
    chat = Chat(asking("text", var_type="date"), language="uk")
    chat.start()
    assert reply(chat, "колись") == "Будь ласка, введіть дату, наприклад 31.12.2025."
    assert texts(chat.say("31.12.2025")) == ["uk:Got 2025-12-31"]


def test_type_mismatches_count_as_attempts():
    chat = Chat(asking("text", var_type="number", max_attempts=2))
    chat.start()
    chat.say("one")
    assert texts(chat.say("two")) == ["Never mind"]


CHOICES = [{"id": "09:00", "label": text("Nine"), "value": 9},
           {"id": "12:30", "label": text("Half past twelve"), "value": 12.5},
           {"id": "later", "label": text("Later")}]


@pytest.mark.parametrize(("act", "stored", "chosen"), [
    (("choose", "09:00"), 9, "09:00"), (("say", "half past TWELVE"), 12.5, "12:30"),
    (("say", "1"), 9, "09:00"), (("say", "3"), "later", "later"),
])
def test_choice_stores_its_value_and_notes_its_id(act, stored, chosen):
    chat = Chat(asking("choice", choices=CHOICES))
    first = chat.start()
    assert [c.id for c in first.input.choices] == ["09:00", "12:30", "later"]
    getattr(chat, act[0])(act[1])
    assert chat.vars["answer"] == stored and chat.vars["last_choice"] == chosen


def test_choice_value_that_the_variable_cannot_hold_is_asked_again():
    chat = Chat(asking("choice", var_type="number", choices=CHOICES))
    chat.start()
    result = chat.choose("later")
    assert result.errors == [] and texts(result)[0] == "Please enter a number."
    assert "last_choice" not in chat.vars or chat.vars["last_choice"] is None
    chat.choose("09:00")
    assert chat.vars["answer"] == 9


def test_null_and_boolean_values_are_stored_as_given():
    choices = [{"id": "yes", "label": text("Yes"), "value": True},
               {"id": "skip", "label": text("Skip"), "value": None}]
    for choice_id, stored in (("yes", True), ("skip", None)):
        chat = Chat(asking("choice", choices=choices))
        chat.start()
        chat.choose(choice_id)
        assert chat.vars["answer"] is stored and chat.vars["last_choice"] == choice_id


def test_answer_time_is_requested_and_no_input_follows_its_port():
    timed = asking("number", timeout_seconds=90)
    chat = Chat(timed)
    assert chat.start().input.no_input_seconds == 90
    assert chat.say("x").input.no_input_seconds == 90
    ask = timed.blocks["ask"]
    assert ask.executor.no_input(ask, None).port is None  # `no_input` has no edge here
    doc = document([block("ask", "input", kind="text", prompt=text("Name?"), variable="answer",
                          timeout_seconds=60),
                    say("ok", "Thanks"), say("late", "Too slow")],
                   [("ask", "next", "ok"), ("ask", "no_input", "late")],
                   variables=[{"name": "answer"}])
    ask = compile_doc(doc).blocks["ask"]
    step = ask.executor.no_input(ask, None)
    assert (step.kind, step.port) == ("follow", "no_input")
    untimed = asking("text").blocks["ask"]
    assert Chat(asking("text")).start().input.no_input_seconds is None
    assert untimed.executor.no_input(untimed, None).kind == "fallback"


@pytest.mark.parametrize(("settings", "said"), [
    ({"step": 0.1}, "Please enter a number."),
    ({"integer": True}, "Please enter a number."),
    ({"integer": True, "max": 10}, "Please enter a number of at most 10."),
    ({"step": 2, "min": 1, "max": 9}, "Please enter a number from 1 to 9."),
])
def test_text_that_is_no_number_gets_the_number_reprompt_not_a_constraints(settings, said):
    chat = Chat(asking("number", **settings))
    chat.start()
    for words in ("abc", "NaN", "inf"):
        assert reply(chat, words) == said
        chat = Chat(asking("number", **settings))
        chat.start()


@pytest.mark.parametrize(("language", "said"), [("en", "Please answer yes or no."),
                                                ("uk", "Будь ласка, відповідайте «так» або «ні».")])
def test_text_into_a_boolean_variable_asks_for_yes_or_no(language, said):
    chat = Chat(asking("text", "boolean"), language=language)
    chat.start()
    assert reply(chat, "maybe") == said
    assert chat.say("так" if language == "uk" else "yes").state.variables["answer"] is True
