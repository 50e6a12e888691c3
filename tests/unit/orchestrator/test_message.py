from __future__ import annotations

from tests.unit.orchestrator.conftest import Chat, block, compile_doc, document, say, text, texts


def menu(**more):
    return document(
        [say("menu", "Pick one", "Оберіть",
             buttons=[{"id": "tea", "label": text("Tea", "Чай")},
                      {"id": "coffee", "label": text("Coffee", "Кава")},
                      {"id": "site", "label": text("Site"), "url": "https://example.com"}],
             **more),
         say("tea_b", "Tea it is"), say("coffee_b", "Coffee it is")],
        [("menu", "tea", "tea_b"), ("menu", "coffee", "coffee_b")])


def test_plain_message_follows_next_and_ends_frame():
    chat = Chat(compile_doc(document([say("a", "Hello"), say("b", "Bye")], [("a", "next", "b")])))
    result = chat.start()
    assert texts(result) == ["Hello", "Bye"]
    assert result.ended and result.state.status == "ended" and result.input is None


def test_buttons_wait_and_render_in_language():
    chat = Chat(compile_doc(menu()), language="uk")
    result = chat.start()
    assert result.input.kind == "buttons"
    assert [c.id for c in result.input.choices] == ["tea", "coffee"]
    assert [b.label for b in result.messages[0].buttons] == ["Чай", "Кава", "uk:Site"]
    assert result.messages[0].buttons[2].url == "https://example.com"
    assert result.state.waiting_block == "menu"


def test_choice_by_id_label_any_language_and_number():
    for event in ("choice:coffee", "КАВА ", "coffee", "2"):
        chat = Chat(compile_doc(menu()))
        chat.start()
        result = chat.choose("coffee") if event.startswith("choice:") else chat.say(event)
        assert texts(result) == ["Coffee it is"], event
        assert chat.vars["last_choice"] == "coffee"


def test_store_choice_in_variable():
    doc = menu(store_choice_in="drink")
    doc["variables"] = [{"name": "drink", "type": "string"}]
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.choose("tea")
    assert chat.vars["drink"] == "tea"
    assert result.variable_changes["drink"] == [None, "tea"]


def test_unmatched_text_without_next_reprompts_the_buttons():
    chat = Chat(compile_doc(menu()))
    chat.start()
    result = chat.say("water")
    assert texts(result) == ["Pick one"]
    assert result.input.kind == "buttons" and result.state.waiting_block == "menu"
    assert chat.vars["last_input"] == "water" and "last_choice" not in chat.vars


def test_unmatched_text_follows_next_when_connected():
    doc = menu()
    doc["blocks"].append(say("other", "Typed: {{ last_input }}"))
    doc["edges"].append({"source": "menu", "port": "next", "target": "other"})
    chat = Chat(compile_doc(doc))
    chat.start()
    assert texts(chat.say("water")) == ["Typed: water"]


def test_quick_reply_without_edge_follows_next():
    doc = document([say("q", "Rate us", quick_replies=[{"id": "good", "label": text("Good")},
                                                       {"id": "bad", "label": text("Bad")}]),
                    say("thanks", "Thanks, {{ last_input }}")],
                   [("q", "next", "thanks")])
    chat = Chat(compile_doc(doc))
    first = chat.start()
    assert [q.label for q in first.messages[0].quick_replies] == ["Good", "Bad"]
    assert texts(chat.choose("bad")) == ["Thanks, bad"]


def test_media_and_caption():
    doc = document([block("m", "message", media={"kind": "image", "url": "https://x.io/a.png",
                                                 "caption": text("A cat")},
                          buttons=[{"id": "ok", "label": text("OK")}]),
                    say("done", "Done")], [("m", "ok", "done")])
    result = Chat(compile_doc(doc)).start()
    assert result.messages[0].type == "image"
    assert result.messages[0].url == "https://x.io/a.png" and result.messages[0].text == "A cat"
    assert [b.id for b in result.messages[0].buttons] == ["ok"]
