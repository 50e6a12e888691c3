from __future__ import annotations

import pytest

from tests.unit.orchestrator.conftest import Chat, block, compile_doc, document, say, text, texts


def asking(kind: str, var_type: str = "any", invalid: bool = True, **settings):
    blocks = [block("ask", "input", kind=kind, prompt=text("Your answer?", "Ваша відповідь?"),
                    variable="answer", **settings),
              say("ok", "Got {{ answer }}")]
    edges = [("ask", "next", "ok")]
    if invalid:
        blocks.append(say("gave_up", "Never mind"))
        edges.append(("ask", "invalid", "gave_up"))
    return compile_doc(document(blocks, edges,
                                variables=[{"name": "answer", "type": var_type}]))


CASES = [
    ("text", {"min_length": 2, "max_length": 5}, "  abc ", "abc", "a"),
    ("text", {"pattern": "[A-Z]{2}\\d{3}"}, "AB123", "AB123", "ab123"),
    ("number", {"min": 1, "max": 100}, "12,5", 12.5, "101"),
    ("number", {}, "42", 42, "forty"),
    ("number", {}, "12.0", 12, "1.2.3"),
    ("email", {}, " Ann.Lee@Example.COM ", "Ann.Lee@example.com", "ann@@example"),
    ("phone", {}, "067 123 45 67", "+380671234567", "12345"),
    ("phone", {}, "+1 650 253 0000", "+16502530000", "+380 12"),
    ("date", {}, "31.12.2024", "2024-12-31", "31.02.2024"),
    ("date", {}, "2024-02-29", "2024-02-29", "tomorrow"),
    ("date", {}, "01/05/2025", "2025-05-01", "2025/05/01"),
]


@pytest.mark.parametrize(("kind", "settings", "good", "stored", "bad"), CASES)
@pytest.mark.parametrize("language", ["en", "uk"])
def test_input_kinds(kind, settings, good, stored, bad, language):
    chat = Chat(asking(kind, **settings), language=language)
    first = chat.start()
    assert first.input.kind == kind and first.input.attempts_left == 3
    again = chat.say(bad)
    assert again.input.attempts_left == 2 and again.state.attempts == 1
    assert len(again.messages) == 2 and again.messages[1].text == first.messages[0].text
    if language == "uk":
        assert "Будь ласка" in again.messages[0].text or "Відповідь" in again.messages[0].text
    else:
        assert again.messages[0].text.startswith(("Please", "That"))
    done = chat.say(good)
    assert chat.vars["answer"] == stored and type(chat.vars["answer"]) is type(stored)
    assert done.state.attempts == 0 and done.ended


def test_builtin_reprompt_names_what_is_expected():
    chat = Chat(asking("email"))
    chat.start()
    assert chat.say("nope").messages[0].text == \
        "Please enter a valid email address, e.g. name@example.com."
    chat = Chat(asking("number", min=1, max=10), language="uk")
    chat.start()
    assert chat.say("11").messages[0].text == "Будь ласка, введіть число від 1 до 10."


def test_custom_reprompt_and_invalid_port_after_max_attempts():
    chat = Chat(asking("number", max_attempts=2, reprompt=text("Digits please")))
    chat.start()
    assert texts(chat.say("x"))[0] == "Digits please"
    result = chat.say("y")
    assert texts(result) == ["Never mind"] and result.ended
    assert "answer" not in chat.vars or chat.vars["answer"] is None


def test_invalid_port_unconnected_ends_frame():
    chat = Chat(asking("number", invalid=False, max_attempts=1))
    chat.start()
    result = chat.say("x")
    # The path stopped after the person spoke: they are told, never left in silence.
    assert result.ended and texts(result) == ["This conversation has ended."]


def test_choice_input_by_id_label_and_number():
    choices = [{"id": "s", "label": text("Small", "Малий")},
               {"id": "l", "label": text("Large", "Великий")}]
    for answer in ("choice:l", "великий", "LARGE", "2"):
        chat = Chat(asking("choice", choices=choices))
        first = chat.start()
        assert [b.label for b in first.messages[0].buttons] == ["Small", "Large"]
        assert [c.id for c in first.input.choices] == ["s", "l"]
        chat.choose("l") if answer.startswith("choice:") else chat.say(answer)
        assert chat.vars["answer"] == "l" and chat.vars["last_choice"] == "l"
    chat = Chat(asking("choice", choices=choices))
    chat.start()
    assert chat.say("3").input.attempts_left == 2


def test_answer_the_variable_cannot_hold_is_asked_again():
    # An email cannot be a number: the person is asked again, never a failed block.
    chat = Chat(asking("email", var_type="number"))
    chat.start()
    result = chat.say("a@b.co")
    assert result.errors == [] and result.state.attempts == 1
    assert texts(result) == ["Please enter a number.", "Your answer?"]
