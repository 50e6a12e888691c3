"""What a turn said, as Viber send_message bodies: checked against viberbot's own message
classes (the library's idea of a valid message), keyboards, splitting, and the welcome."""

from __future__ import annotations

import pytest
from viberbot.api.messages import get_message

from chat.channels.viber.inbound import ViberInbound, parse_callback
from chat.channels.viber.outbound import MAX_TEXT, render, welcome
from orchestrator.contract import Button, InputRequest, OutboundMessage


def text(value: str, **fields) -> OutboundMessage:  # type: ignore[no-untyped-def]
    return OutboundMessage(type="text", text=value, **fields)


def valid(body: dict) -> bool:
    return get_message(body).validate()


def test_texts_buttons_and_the_press_that_comes_back() -> None:
    sends = render([text("Привіт!"), text("Що бажаєте?", buttons=[
        Button(id="order", label="Замовити"), Button(id="site", label="Сайт",
                                                    url="https://example.com")])],
        sender="Кав'ярня")
    assert [s.body["text"] for s in sends] == ["Привіт!", "Що бажаєте?"]
    assert all(valid(s.body) and s.body["sender"] == {"name": "Кав'ярня"} for s in sends)
    keyboard = sends[1].body["keyboard"]
    assert keyboard["Type"] == "keyboard"
    assert [(b["ActionType"], b["ActionBody"]) for b in keyboard["Buttons"]] == [
        ("reply", "Замовити"), ("open-url", "https://example.com")]
    # Viber sends the ActionBody back as text, with the message's tracking data.
    pressed = parse_callback({"event": "message", "message_token": 1,
                              "sender": {"id": "u"}, "message": {
                                  "type": "text", "text": "Замовити",
                                  "tracking_data": sends[1].body["tracking_data"]}})
    assert isinstance(pressed, ViberInbound) and pressed.event.choice_id == "order"


def test_an_awaited_choice_is_offered_on_the_last_text() -> None:
    request = InputRequest(kind="choice", block_id="b", choices=[
        Button(id="1", label="Так"), Button(id="0", label="Ні")])
    [send] = render([text("Підтвердити?")], request, sender="bot")
    assert [b["Text"] for b in send.body["keyboard"]["Buttons"]] == ["Так", "Ні"]
    [alone] = render([], request, sender="bot")  # nothing said: a text to carry them
    assert alone.body["text"] == "…" and valid(alone.body)


def test_long_texts_are_split_never_cut_and_media_go_by_url() -> None:
    long = ("слово " * 3000).strip()
    sends = render([text(long)], sender="bot")
    assert len(sends) == 3 and all(len(s.body["text"]) <= MAX_TEXT for s in sends)
    assert " ".join(s.body["text"] for s in sends).split() == long.split()
    media = render([OutboundMessage(type="image", url="https://x/p.jpg", text="Меню"),
                    OutboundMessage(type="delay", seconds=1.5),
                    OutboundMessage(type="video", url="https://x/v.mp4", text="Як ми варимо")],
                   sender="bot")
    assert [s.body["type"] for s in media] == ["picture", "text", "url"]
    assert media[0].body["text"] == "Меню" and media[1].wait_seconds == 1.5
    assert all(valid(s.body) for s in media)


@pytest.mark.parametrize("count", [1, 3])
def test_the_welcome_is_one_message(count: int) -> None:
    said = [text(f"Рядок {n}") for n in range(count)]
    request = InputRequest(kind="buttons", block_id="b", choices=[Button(id="go", label="Go")])
    body = welcome(said, request, sender="bot")
    assert body is not None and valid(body)
    assert body["text"] == "\n\n".join(f"Рядок {n}" for n in range(count))
    assert body["keyboard"]["Buttons"][0]["ActionBody"] == "Go" and "tracking_data" in body
    assert welcome([], None, sender="bot") is None
