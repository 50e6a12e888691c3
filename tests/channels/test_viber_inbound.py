"""Viber callbacks as what they mean: every real payload in ../shared/data/viber and fixtures
written from Viber's REST API documentation. None may raise except a body that is not a
callback at all; message tokens past 2^53 stay exact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chat.channels.viber.inbound import (
    CallbackError,
    Receipt,
    Skipped,
    Subscription,
    ViberInbound,
    choices_tracking,
    parse_callback,
    signature,
    verified,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "viber"
CALLBACKS = sorted((SHARED / "callbacks").glob("*.json")) if SHARED.is_dir() else []
SENT = sorted((SHARED / "api_examples").glob("send_message__*.json")) if SHARED.is_dir() else []
BIG = 4912661846655238145  # past 2^53: a float would make it ...238144
USER = {"id": "01234567890A=", "name": "Олена", "language": "uk", "api_version": 10}


def message(**fields: Any) -> dict[str, Any]:
    return {"event": "message", "timestamp": 1457764197627, "message_token": BIG,
            "sender": USER, "message": fields}


@pytest.mark.skipif(not CALLBACKS, reason="../shared/data/viber is not here")
@pytest.mark.parametrize("path", CALLBACKS, ids=lambda p: p.name)
def test_every_real_callback_is_understood(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    result = parse_callback(data)
    expected = {"conversation_started": ViberInbound, "message": ViberInbound,
                "delivered": Receipt, "seen": Receipt, "failed": Receipt,
                "subscribed": Subscription, "unsubscribed": Subscription}
    assert isinstance(result, expected.get(data["event"], Skipped))
    if isinstance(result, ViberInbound | Receipt):
        assert result.message_token == data["message_token"]  # exact


@pytest.mark.skipif(not SENT, reason="../shared/data/viber is not here")
@pytest.mark.parametrize("path", SENT, ids=lambda p: p.name)
def test_every_message_type_from_a_person_is_an_event(path: Path) -> None:
    """A person sends the same message objects a bot does (picture, video, file, location,
    contact, sticker, url, rich media): each becomes an event, none an error."""
    sent = json.loads(path.read_text(encoding="utf-8"))
    body = {k: v for k, v in sent.items() if k not in ("receiver", "sender", "min_api_version")}
    result = parse_callback(message(**body))
    assert isinstance(result, ViberInbound)
    kinds = {"text": "text", "picture": "image", "video": "video", "file": "file",
             "location": "location", "contact": "contact", "url": "text",
             "sticker": "payload", "rich_media": "payload"}
    assert result.event.kind == kinds[body["type"]]


def test_big_message_tokens_stay_exact_as_ids() -> None:
    raw = json.dumps(message(type="text", text="привіт")).encode()
    result = parse_callback(json.loads(raw))
    assert isinstance(result, ViberInbound)
    assert result.client_message_id == f"vb:{BIG}" and str(BIG).endswith("145")
    assert result.end_user_id == "viber:01234567890A=" and result.chat_id == USER["id"]
    assert result.language == "uk" and result.event.text == "привіт"


def test_a_pressed_button_is_the_exact_choice_and_typed_text_stays_text() -> None:
    tracking = choices_tracking({"Замовити каву": "order", "Меню": "menu"})
    pressed = parse_callback(message(type="text", text="замовити  каву", tracking_data=tracking))
    assert isinstance(pressed, ViberInbound)
    assert pressed.event.kind == "choice" and pressed.event.choice_id == "order"
    typed = parse_callback(message(type="text", text="щось інше", tracking_data=tracking))
    assert isinstance(typed, ViberInbound) and typed.event.kind == "text"
    foreign = parse_callback(message(type="text", text="Меню", tracking_data="{not ours"))
    assert isinstance(foreign, ViberInbound) and foreign.event.kind == "text"
    too_many = choices_tracking({f"button {n} " + "x" * 200: str(n) for n in range(24)})
    assert too_many is None  # over Viber's 4,096 characters: labels still match by text


def test_commands_media_and_the_unknown() -> None:
    command = parse_callback(message(type="text", text="/Menu велике"))
    assert isinstance(command, ViberInbound)
    assert command.event.kind == "command" and command.event.command == "menu"
    assert command.event.payload == {"args": "велике"}
    voice = parse_callback(message(type="file", media="https://dl/v.m4a", file_name="v.m4a",
                                   size=2048))
    assert isinstance(voice, ViberInbound) and voice.event.kind == "audio"
    assert voice.event.payload == {"type": "audio", "media": "https://dl/v.m4a",
                                   "file_name": "v.m4a", "size": 2048}
    where = parse_callback(message(type="location", location={"lat": 50.45, "lon": 30.52}))
    assert isinstance(where, ViberInbound) and where.event.payload == {
        "type": "location", "latitude": 50.45, "longitude": 30.52}
    odd = parse_callback(message(type="hologram"))
    assert isinstance(odd, ViberInbound) and odd.event.payload == {
        "type": "unsupported", "what": "hologram"}


def test_opening_subscriptions_and_receipts() -> None:
    opened = parse_callback({"event": "conversation_started", "message_token": BIG,
                             "user": USER, "subscribed": False, "context": "qr-table-4"})
    assert isinstance(opened, ViberInbound) and opened.starts and not opened.subscribed
    assert opened.event.kind == "start" and opened.event.payload == {"context": "qr-table-4"}
    assert parse_callback({"event": "unsubscribed", "user_id": "u1"}) == Subscription(
        "u1", False)
    failed = parse_callback({"event": "failed", "message_token": BIG, "user_id": "u1",
                             "desc": "x" * 1000})
    assert isinstance(failed, Receipt) and failed.status == "failed"
    assert failed.reason is not None and len(failed.reason) == 300
    assert isinstance(parse_callback({"event": "client_status", "user": USER}), Skipped)
    assert isinstance(parse_callback({"event": "webhook", "message_token": 1}), Skipped)


@pytest.mark.parametrize("body", [
    [], "text", {"no": "event"}, {"event": 5},
    {"event": "message", "sender": {"id": "u"}},            # no message
    {"event": "message", "message": {"type": "text"}, "message_token": 1},  # no sender
    {"event": "delivered", "message_token": "12"},          # a token as text
    {"event": "conversation_started", "message_token": 1},  # no user
])
def test_what_is_not_a_callback_is_refused(body: Any) -> None:
    with pytest.raises(CallbackError):
        parse_callback(body)


def test_signatures() -> None:
    raw = b'{"event":"seen","message_token":4912661846655238145}'
    good = signature("token-1", raw)
    assert verified("token-1", raw, good) and verified("token-1", raw, good.upper())
    assert not verified("token-2", raw, good)
    assert not verified("token-1", raw + b" ", good)
    assert not verified("token-1", raw, None) and not verified("token-1", raw, "")



_KEYS = ["event", "message_token", "sender", "user", "user_id", "message", "type", "text",
         "tracking_data", "location", "contact", "lat", "lon", "id", "language", "media",
         "file_name", "size", "subscribed", "context", "desc", "sticker_id"]
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
    | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=6),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(event=st.sampled_from(["message", "conversation_started", "subscribed", "unsubscribed",
                              "delivered", "seen", "failed", "webhook", "client_status", "x"]),
       rest=st.dictionaries(st.sampled_from(["message_token", "sender", "user", "user_id",
                                             "message", "subscribed", "context", "desc"]),
                            _JSON, max_size=5))
def test_any_callback_shape_is_understood_or_refused_never_an_error(event: str,
                                                                    rest: dict) -> None:
    """Whatever a callback holds where: a result or `CallbackError` (a 400), never another
    exception (a 500)."""
    try:
        result = parse_callback({"event": event, **rest})
    except CallbackError:
        return
    assert isinstance(result, ViberInbound | Receipt | Subscription | Skipped)
    if isinstance(result, ViberInbound):  # what is stored with the turn can be stored
        orjson.dumps(result.event.model_dump(mode="json"))
