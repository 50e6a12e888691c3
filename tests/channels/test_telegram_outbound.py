"""A turn's messages as Telegram Bot API calls."""

from __future__ import annotations

import pytest

from chat.channels.telegram.outbound import MAX_TEXT, callback_data, render
from chat.channels.texts import split_text
from orchestrator.contract import Button, InputRequest, OutboundMessage


def text(value: str, **fields) -> OutboundMessage:  # type: ignore[no-untyped-def]
    return OutboundMessage(type="text", text=value, **fields)


def test_texts_go_as_written_with_buttons_as_an_inline_keyboard() -> None:
    calls = render(42, [
        text("Ціна: *45* грн_за_чашку [акція]"),
        text("Замовимо?", buttons=[Button(id="yes", label="Так"),
                                   Button(id="site", label="Меню", url="https://x.example")]),
    ])
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]
    assert calls[0].params == {"chat_id": 42, "text": "Ціна: *45* грн_за_чашку [акція]"}
    assert "parse_mode" not in calls[0].params  # nothing the author wrote becomes markup
    assert calls[1].params["reply_markup"] == {"inline_keyboard": [
        [{"text": "Так", "callback_data": "yes"}],
        [{"text": "Меню", "url": "https://x.example"}]]}


def test_quick_replies_are_a_reply_keyboard() -> None:
    [call] = render(1, [text("Скільки?", quick_replies=[Button(id="one", label="1"),
                                                        Button(id="two", label="2")])])
    assert call.params["reply_markup"] == {
        "keyboard": [[{"text": "1"}], [{"text": "2"}]], "resize_keyboard": True,
        "one_time_keyboard": True}


def test_an_awaited_choice_without_buttons_gets_them_on_the_last_text() -> None:
    request = InputRequest(kind="choice", block_id="pick",
                           choices=[Button(id="a", label="A"), Button(id="b", label="B")])
    calls = render(1, [text("Оберіть")], request)
    assert calls[-1].params["reply_markup"]["inline_keyboard"][1] == [
        {"text": "B", "callback_data": "b"}]
    alone = render(1, [], request)
    assert alone[0].method == "sendMessage" and "reply_markup" in alone[0].params


def test_media_by_url_with_caption_and_a_delay_as_typing() -> None:
    calls = render(7, [
        OutboundMessage(type="image", url="https://x.example/cup.png", text="Ось ваша кава"),
        OutboundMessage(type="delay", seconds=1.5),
        OutboundMessage(type="file", url="https://x.example/receipt.pdf", text="ї" * 2000),
    ])
    assert [c.method for c in calls] == ["sendPhoto", "sendChatAction", "sendDocument",
                                         "sendMessage"]
    assert calls[0].params == {"chat_id": 7, "photo": "https://x.example/cup.png",
                               "caption": "Ось ваша кава"}
    assert calls[1].params["action"] == "typing"
    assert calls[2].wait_seconds == 1.5  # the pause comes before what follows the delay
    assert "caption" not in calls[2].params and calls[3].params["text"] == "ї" * 2000


def test_long_texts_are_split_never_cut() -> None:
    words = " ".join(f"слово{i}" for i in range(2000))
    parts = split_text(words, MAX_TEXT)
    assert all(len(p) <= MAX_TEXT for p in parts) and len(parts) > 1
    assert " ".join(parts) == words
    lines = "\n".join("рядок " * 50 for _ in range(40))
    assert "\n".join(split_text(lines, MAX_TEXT)) .replace("\n", " ").split() == lines.split()
    solid = "x" * (MAX_TEXT * 2 + 5)
    assert "".join(split_text(solid, MAX_TEXT)) == solid
    calls = render(1, [text(words, buttons=[Button(id="ok", label="OK")])])
    assert len(calls) == len(parts) and "reply_markup" in calls[-1].params
    assert all("reply_markup" not in c.params for c in calls[:-1])


def test_a_button_id_over_telegrams_callback_limit_is_refused_not_cut() -> None:
    assert callback_data("order") == "order"
    with pytest.raises(ValueError, match="64 bytes"):
        callback_data("ї" * 40)


async def test_a_bot_sends_at_most_its_rate_after_a_burst() -> None:
    import asyncio

    from chat.channels.service import _Pace

    pace = _Pace(20.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(20):  # the burst goes at once
        await pace.wait()
    assert loop.time() - started < 0.1
    for _ in range(10):  # then 20 a second
        await pace.wait()
    assert loop.time() - started >= 0.45


def test_a_scenarios_commands_as_telegrams_menu() -> None:
    from chat.channels.service import scenario_commands

    document = {"entry": {"start": "a", "commands": {
        "menu": "welcome", "help": "about", "Bad-Name": "x", "x" * 33: "y"}},
        "blocks": [{"id": "welcome", "name": "Back to the menu"}, {"id": "about"}]}
    assert scenario_commands(document) == [("menu", "Back to the menu"), ("help", "help")]
    assert scenario_commands(None) == [] and scenario_commands({}) == []
