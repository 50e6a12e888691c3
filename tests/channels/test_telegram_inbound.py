"""Telegram updates as scenario events: every real payload in ../shared/data/telegram/updates
and fixtures written from the Bot API documentation. None may raise: a webhook answers every
update Telegram sends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chat.channels.telegram.inbound import Skipped, TelegramInbound, UpdateError, parse_update
from orchestrator.contract import MEDIA_KINDS

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "telegram" / "updates"
REAL = sorted(SHARED.glob("*.json")) if SHARED.is_dir() else []

USER = {"id": 42, "is_bot": False, "first_name": "Олена", "language_code": "uk"}
PRIVATE = {"id": 42, "type": "private", "first_name": "Олена"}
GROUP = {"id": -100123, "type": "supergroup", "title": "Кав'ярня"}


def message(**fields: Any) -> dict[str, Any]:
    return {"update_id": 9, "message": {"message_id": 5, "date": 1700000000, "from": USER,
                                        "chat": PRIVATE, **fields}}


@pytest.mark.skipif(not REAL, reason="../shared/data/telegram/updates is not here")
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_real_update_is_understood_or_politely_skipped(path: Path) -> None:
    data = json.loads(path.read_text())
    if "update_id" not in data:
        # A bare Message (message_with_invoice.json): not an update; the webhook answers 400.
        with pytest.raises(UpdateError):
            parse_update(data)
        return
    result = parse_update(data, bot_username="rozmova_bot")
    assert isinstance(result, TelegramInbound | Skipped)
    if path.name.startswith("edited_"):
        assert isinstance(result, Skipped)
    if path.stem in ("message", "reply_message", "forwarded_message"):
        assert isinstance(result, TelegramInbound) and result.event.kind == "text"
    if path.stem.startswith("message_with_") and isinstance(result, TelegramInbound):
        kind = result.event.payload["type"]  # type: ignore[index]
        expected = {"audio": "audio", "voice": "audio", "photo": "image", "video": "video",
                    "document": "file", "location": "location", "sticker": "sticker"}
        assert kind == expected.get(path.stem.removeprefix("message_with_"), "unsupported")


def test_text_command_and_mention() -> None:
    text = parse_update(message(text="Хочу каву"), bot_username="rozmova_bot")
    assert isinstance(text, TelegramInbound)
    assert (text.event.kind, text.event.text) == ("text", "Хочу каву")
    assert (text.chat_id, text.user_id, text.language) == (42, 42, "uk")
    assert text.end_user_id == "telegram:42" and text.client_message_id == "tg:9"
    command = parse_update(message(text="/Menu@rozmova_bot extra words"),
                           bot_username="rozmova_bot")
    assert isinstance(command, TelegramInbound) and command.event.kind == "command"
    assert command.event.command == "menu" and command.event.payload == {"args": "extra words"}
    other = parse_update(message(text="/menu@another_bot"), bot_username="rozmova_bot")
    assert isinstance(other, Skipped) and "another bot" in other.reason


def test_in_a_group_only_what_is_addressed_to_the_bot() -> None:
    def group(**fields: Any) -> Any:
        return parse_update({"update_id": 1, "message": {
            "message_id": 1, "date": 1, "from": USER, "chat": GROUP, **fields}},
            bot_username="rozmova_bot")

    assert isinstance(group(text="просто розмова"), Skipped)
    mentioned = group(text="@rozmova_bot меню, будь ласка")
    assert isinstance(mentioned, TelegramInbound) and mentioned.event.text == "меню, будь ласка"
    assert isinstance(group(text="/start"), TelegramInbound)
    assert isinstance(group(text="/start@rozmova_bot"), TelegramInbound)
    assert isinstance(group(text="/start@other_bot"), Skipped)
    reply = group(text="так", reply_to_message={"message_id": 0, "date": 1, "chat": GROUP,
                                                "from": {"id": 7, "is_bot": True,
                                                         "username": "rozmova_bot"}})
    assert isinstance(reply, TelegramInbound)


def test_a_pressed_button_is_a_choice() -> None:
    result = parse_update({"update_id": 3, "callback_query": {
        "id": "cbq-1", "from": USER, "chat_instance": "x", "data": "order",
        "message": {"message_id": 77, "date": 1, "chat": PRIVATE, "text": "Замовимо?"}}})
    assert isinstance(result, TelegramInbound)
    assert (result.event.kind, result.event.choice_id) == ("choice", "order")
    assert (result.callback_query_id, result.message_id, result.chat_id) == ("cbq-1", 77, 42)
    game = parse_update({"update_id": 4, "callback_query": {
        "id": "cbq-2", "from": USER, "chat_instance": "x", "game_short_name": "g"}})
    assert isinstance(game, Skipped)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"photo": [{"file_id": "small", "width": 90, "height": 90},
                {"file_id": "big", "file_unique_id": "u", "width": 800, "height": 600}],
      "caption": "мій чек"}, {"type": "image", "file_id": "big", "width": 800, "height": 600,
                              "caption": "мій чек"}),
    ({"voice": {"file_id": "v1", "duration": 3, "mime_type": "audio/ogg"}},
     {"type": "audio", "source": "voice", "file_id": "v1", "duration": 3,
      "mime_type": "audio/ogg"}),
    ({"document": {"file_id": "d1", "file_name": "menu.pdf"}},
     {"type": "file", "source": "document", "file_id": "d1", "file_name": "menu.pdf"}),
    ({"location": {"latitude": 50.45, "longitude": 30.52}},
     {"type": "location", "latitude": 50.45, "longitude": 30.52}),
    ({"contact": {"phone_number": "+380501234567", "first_name": "Олена", "user_id": 42}},
     {"type": "contact", "phone_number": "+380501234567", "first_name": "Олена",
      "user_id": 42}),
    ({"dice": {"emoji": "🎲", "value": 3}}, {"type": "unsupported", "what": "dice"}),
])
def test_what_is_not_text_arrives_as_an_event_of_its_kind(fields, expected) -> None:  # type: ignore[no-untyped-def]
    result = parse_update(message(**fields))
    assert isinstance(result, TelegramInbound)
    # The contract's kinds (image, audio, file, location, contact...); the rest a payload.
    assert result.event.kind == (expected["type"] if expected["type"] in MEDIA_KINDS
                                 else "payload")
    assert result.event.payload == expected


@pytest.mark.parametrize("update", [
    {"update_id": 1, "edited_message": {"message_id": 1}},
    {"update_id": 1, "channel_post": {"message_id": 1}},
    {"update_id": 1, "pre_checkout_query": {"id": "x"}},
    {"update_id": 1, "my_chat_member": {}},
    {"update_id": 1},
    {"update_id": 1, "message": {"message_id": 1}},  # no chat
    {"update_id": 1, "message": {"message_id": 1, "chat": PRIVATE,
                                 "from": {"id": 9, "is_bot": True}, "text": "bot talk"}},
])
def test_updates_not_for_a_scenario_are_skipped_with_a_reason(update) -> None:  # type: ignore[no-untyped-def]
    result = parse_update(update)
    assert isinstance(result, Skipped) and result.reason


@pytest.mark.parametrize("body", [None, [], "text", {"update_id": "1"}, {"update_id": True},
                                  {"message": {}}])
def test_a_body_that_is_not_an_update_is_an_error(body) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UpdateError):
        parse_update(body)


def test_an_overlong_text_is_bounded() -> None:
    result = parse_update(message(text="ї" * 10_000))
    assert isinstance(result, TelegramInbound) and len(result.event.text or "") == 4096


def test_numbers_no_encoder_keeps_are_left_out_of_the_event() -> None:
    """getUpdates is read with Python's json (any integer); the event is stored with orjson
    (64 bits): a giant file size or contact id must not make the update fail for ever."""
    import orjson

    result = parse_update(message(document={"file_id": "d", "file_size": 10 ** 30},
                                  contact=None))
    assert isinstance(result, TelegramInbound)
    assert result.event.payload == {"type": "file", "source": "document", "file_id": "d"}
    orjson.dumps(result.event.payload)
    contact = parse_update(message(contact={"phone_number": "+380", "user_id": 2 ** 80}))
    assert isinstance(contact, TelegramInbound)
    assert contact.event.payload == {"type": "contact", "phone_number": "+380"}
