"""The fake Viber REST Bot API under uvicorn, with a webhook on another socket that checks
signatures: what it answers, what it refuses and with which status, the callbacks it signs
and posts (read back with viberbot, Viber's own library), and the failures it can be made
to give."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from viberbot.api.api import Api
from viberbot.api.bot_configuration import BotConfiguration
from viberbot.api.messages import KeyboardMessage, TextMessage
from viberbot.api.viber_requests import create_request

from chat.channels.viber.fake import FakeViber
from tests.channels.test_fake_telegram import serve
from tests.conftest import SHARED_DATA, free_port

TOKEN = "4a5b6c7d8e9f0a1b-2c3d4e5f6a7b8c9d-0e1f2a3b4c5d6e7f"
SENDER = {"name": "Rozmova test", "avatar": "https://media.example.com/bot.png"}
EXAMPLES = sorted((SHARED_DATA / "viber" / "api_examples").glob("send_message__*.json"))
Viber = tuple[FakeViber, httpx.AsyncClient]
KEYBOARD = {"Type": "keyboard", "Buttons": [
    {"ActionType": "reply", "ActionBody": "order:latte", "Text": "<b>Латте</b>"},
    {"ActionType": "share-phone", "ActionBody": "phone", "Text": "Мій номер"},
    {"ActionType": "reply", "ActionBody": "quiet", "Text": "Тихо", "Silent": True}]}


@dataclass
class Hook:
    """A bot's webhook: checks each callback's signature, records it, answers `status`
    (and `welcome` as the JSON body for conversation_started)."""

    token: str = TOKEN
    status: int = 200
    welcome: dict[str, Any] | None = None
    got: list[tuple[dict[str, Any], bytes, str | None, bool]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        signature = request.headers.get("x-viber-content-signature")
        expected = hmac.new(self.token.encode(), raw, hashlib.sha256).hexdigest()
        valid = signature is not None and hmac.compare_digest(signature, expected)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {}
        self.got.append((payload, raw, signature, valid))
        if payload.get("event") == "conversation_started" and self.welcome is not None:
            return JSONResponse(self.welcome, status_code=self.status)
        return Response(status_code=self.status)

    def events(self, *names: str) -> list[dict[str, Any]]:
        return [p for p, *_ in self.got if not names or p.get("event") in names]


@pytest.fixture
async def viber() -> AsyncIterator[Viber]:
    """The fake with one bot, and a client for its API (the token in the header)."""
    fake = FakeViber()
    fake.add_bot(TOKEN)
    server, task, port = await serve(fake.app)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5,
                                 headers={"X-Viber-Auth-Token": TOKEN}) as http:
        yield fake, http
    await fake.drain()
    server.should_exit = True
    await task


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    receiver = Hook()
    server, task, port = await serve(Starlette(routes=[
        Route("/viber/hook", receiver.handle, methods=["POST"])]))
    receiver.url = f"http://127.0.0.1:{port}/viber/hook"
    yield receiver
    server.should_exit = True
    await task


async def call(http: httpx.AsyncClient, method: str, body: Any = None,
               **kwargs: Any) -> dict[str, Any]:
    answer = await http.post(f"/pa/{method}", content=json.dumps(body or {}), **kwargs)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def connected(fake: FakeViber, http: httpx.AsyncClient, hook: Hook,
                    **options: Any) -> None:
    """The webhook set (names and photos asked for unless told otherwise)."""
    answer = await call(http, "set_webhook", {"url": hook.url, "send_name": True,
                                              "send_photo": True, **options})
    assert answer["status"] == 0, answer
    hook.got.clear()


def text(receiver: str, words: str = "Привіт!", **extra: Any) -> dict[str, Any]:
    return {"receiver": receiver, "sender": SENDER, "type": "text", "text": words, **extra}


async def test_the_token_in_the_header_or_the_body(viber: Viber) -> None:
    fake, http = viber
    by_header = await call(http, "get_account_info")
    by_body = await call(http, "get_account_info", {"auth_token": TOKEN},
                         headers={"X-Viber-Auth-Token": ""})
    assert by_header["status"] == by_body["status"] == 0
    assert by_header["id"].startswith("pa:") and by_header["name"] == "Rozmova test"
    assert "webhook" not in by_header and by_header["subscribers_count"] == 0
    wrong = await call(http, "get_account_info", headers={"X-Viber-Auth-Token": "nope"})
    assert wrong == {"status": 2, "status_message": "invalidAuthToken"}
    broken = await http.post("/pa/send_message", content=b"{not json")
    assert (broken.status_code, broken.json()["status"]) == (200, 3)
    assert (await http.post("/pa/send_gift", content=b"{}")).status_code == 404
    assert [(c.method, c.status, c.http_status) for c in fake.calls] == [
        ("get_account_info", 0, 200), ("get_account_info", 0, 200),
        ("get_account_info", 2, 200), ("send_message", 3, 200), ("send_gift", -1, 404)]


async def test_viberbots_own_client_talks_to_it(viber: Viber, hook: Hook) -> None:
    """viberbot sends the token in the body, without a content type, from `requests`."""
    fake, http = viber
    api = Api(BotConfiguration(auth_token=TOKEN, name="Rozmova test", avatar=None))
    api._request_sender._viber_bot_api_url = str(http.base_url).rstrip("/") + "/pa"
    person = fake.add_person(TOKEN, subscribed=True)
    events = await asyncio.to_thread(api.set_webhook, hook.url, ["delivered", "seen"])
    assert events == ["delivered", "seen"] and fake.webhook(TOKEN) == hook.url
    info = await asyncio.to_thread(api.get_account_info)
    assert (info["webhook"], info["event_types"], info["subscribers_count"]) == (
        hook.url, ["delivered", "seen"], 1)
    [message_token] = await asyncio.to_thread(api.send_messages, person["id"], [
        TextMessage(text="Оберіть", keyboard=KEYBOARD, tracking_data="step-1")])
    assert message_token > 2**53
    # A keyboard may go on its own, without a message type.
    assert await asyncio.to_thread(api.send_messages, person["id"],
                                   [KeyboardMessage(keyboard=KEYBOARD)])
    with pytest.raises(Exception, match="failed with status: 3"):
        await asyncio.to_thread(api.send_messages, person["id"],
                                [KeyboardMessage(keyboard={"Type": "keyboard"})])
    assert [m.get("type") for m in fake.sent(TOKEN)] == ["text", None]
    assert (await asyncio.to_thread(api.get_user_details, person["id"]))["name"] == "Local"
    [online] = await asyncio.to_thread(api.get_online, [person["id"]])
    assert online["online_status"] == 0
    await asyncio.to_thread(api.unset_webhook)
    assert fake.webhook(TOKEN) is None


async def test_set_webhook_checks_the_url_first(viber: Viber, hook: Hook) -> None:
    fake, http = viber
    answer = await call(http, "set_webhook", {"url": hook.url})
    assert answer == {"status": 0, "status_message": "ok", "event_types": [
        "delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"]}
    [(check, raw, _, valid)] = hook.got
    assert valid and check["event"] == "webhook" and check["chat_hostname"]
    assert isinstance(check["message_token"], int) and check["message_token"] > 2**53
    assert str(check["message_token"]).encode() in raw  # an integer, not a float or string
    assert abs(check["timestamp"] - time.time() * 1000) < 60_000
    hook.status = 500
    refused = await call(http, "set_webhook", {"url": hook.url + "/elsewhere"})
    assert refused == {"status": 1, "status_message": "invalidUrl"}
    nobody = await call(http, "set_webhook", {"url": f"http://127.0.0.1:{free_port()}/x"})
    assert nobody["status"] == 1
    assert (await call(http, "set_webhook", {"url": "ftp://example.org/"}))["status"] == 1
    assert (await call(http, "set_webhook", {}))["status"] == 4
    assert (await call(http, "set_webhook", {"url": hook.url,
                                             "event_types": ["typing"]}))["status"] == 3
    assert fake.webhook(TOKEN) == hook.url  # a failed set_webhook keeps the old one
    removed = await call(http, "set_webhook", {"url": ""})
    assert removed["status"] == 0 and "event_types" in removed
    assert fake.webhook(TOKEN) is None


async def test_send_message_is_validated(viber: Viber, hook: Hook) -> None:
    fake, http = viber
    await connected(fake, http, hook)
    person = fake.add_person(TOKEN, name="Олена")
    assert (await call(http, "send_message", text(person["id"])))["status"] == 6
    assert (await call(http, "send_message", text("nobody+AAAA=")))["status"] == 5
    await fake.say(TOKEN, person, "Привіт")  # writing subscribes
    missing = {"receiver": person["id"], "sender": SENDER, "type": "text"}
    assert (await call(http, "send_message", missing))["status"] in (3, 4)
    bad_keyboards = [
        {"Buttons": [{"ActionBody": "a", "Text": "A"}]},
        {"Type": "keyboard", "Buttons": []},
        {"Type": "keyboard", "Buttons": [{"ActionBody": "a", "Text": "A"}] * 25},
        {"Type": "keyboard", "Buttons": [{"Text": "A"}]},
        {"Type": "keyboard", "Buttons": [{"ActionBody": "a"}]},
        {"Type": "keyboard", "Buttons": [{"ActionBody": "a", "Text": "A",
                                          "ActionType": "callback"}]},
        {"Type": "keyboard", "Buttons": [{"ActionBody": "a", "Text": "A", "Columns": 7}]},
    ]
    for keyboard in bad_keyboards:
        answer = await call(http, "send_message", text(person["id"], keyboard=keyboard))
        assert answer["status"] == 3, keyboard
    for wrong in [text(person["id"], ""), text(person["id"], "x" * 7001),
                  text(person["id"], sender={"name": "x" * 29}),
                  text(person["id"], tracking_data="x" * 4097),
                  {**text(person["id"]), "type": "carousel"},
                  {"receiver": person["id"], "sender": SENDER, "type": "location",
                   "location": {"lat": 91, "lon": 0}},
                  {"receiver": person["id"], "sender": SENDER, "type": "video",
                   "media": "https://x.example/v.mp4", "size": "big"}]:
        assert (await call(http, "send_message", wrong))["status"] == 3, wrong
    for absent in [{**text(person["id"]), "sender": None},
                   {"receiver": person["id"], "sender": SENDER, "type": "file",
                    "media": "https://x.example/a.pdf", "size": 10}]:
        assert (await call(http, "send_message", absent))["status"] == 4, absent
    assert (await call(http, "send_message",
                       text(person["id"], min_api_version=11)))["status"] == 13
    assert fake.sent(TOKEN) == []
    good = await http.post("/pa/send_message",
                           content=json.dumps(text(person["id"], keyboard=KEYBOARD)))
    answer = good.json()
    assert answer["status"] == 0 and answer["status_message"] == "ok"
    assert isinstance(answer["message_token"], int) and answer["message_token"] > 2**53
    assert f'"message_token":{answer["message_token"]}'.encode() in good.content.replace(
        b" ", b"")
    assert fake.messages_to(TOKEN, person["id"]) == [text(person["id"], keyboard=KEYBOARD)]
    assert [c.status for c in fake.calls if c.method == "send_message"][-1] == 0
    # The token goes back in a receipt exactly as it came.
    await fake.receipt(TOKEN, person, "seen", answer["message_token"])
    assert hook.events("seen")[0]["message_token"] == answer["message_token"]


async def test_every_callback_is_signed_and_reads_as_viber_sends_it(
        viber: Viber, hook: Hook) -> None:
    fake, http = viber
    await connected(fake, http, hook)
    person = fake.add_person(TOKEN, name="Тарас", language="uk")
    await fake.open(TOKEN, person, context="promo-7")
    await fake.say(TOKEN, person, "Привіт")
    sent = await call(http, "send_message", text(person["id"], keyboard=KEYBOARD))
    await fake.press(TOKEN, person, "order:latte")
    await fake.press(TOKEN, person, "phone")
    for message in [
        {"type": "picture", "media": "https://x.example/p.jpg",
         "thumbnail": "https://x.example/t.jpg", "text": "фото"},
        {"type": "video", "media": "https://x.example/v.mp4", "size": 1000, "duration": 3},
        {"type": "file", "media": "https://x.example/a.pdf", "file_name": "a.pdf", "size": 9},
        {"type": "location", "location": {"lat": 50.45, "lon": 30.52}},
        {"type": "contact", "contact": {"name": "Тарас", "phone_number": "+380501234567"}},
        {"type": "sticker", "sticker_id": 40129, "media": "https://x.example/s.png"},
        {"type": "url", "media": "https://example.org/"},
    ]:
        await fake.send(TOKEN, person, message)
    await fake.unsubscribe(TOKEN, person)
    await fake.subscribe(TOKEN, person)
    for event in ("delivered", "seen"):
        await fake.receipt(TOKEN, person, event, sent["message_token"])
    await fake.receipt(TOKEN, person, "failed", sent["message_token"], desc="no device")
    api = Api(BotConfiguration(auth_token=TOKEN, name="x", avatar=None))
    events = []
    for payload, raw, signature, valid in hook.got:
        assert valid and api.verify_signature(raw, signature)
        assert payload["message_token"] > 2**53 and payload["timestamp"] > 0
        request = create_request(json.loads(raw))
        assert request.event_type == payload["event"]
        events.append(payload["event"])
    assert events == ["conversation_started"] + ["message"] * 10 + [
        "unsubscribed", "subscribed", "delivered", "seen", "failed"]
    opened = hook.events("conversation_started")[0]
    assert (opened["type"], opened["context"], opened["subscribed"]) == (
        "open", "promo-7", False)
    assert opened["user"]["id"] == person["id"] and opened["user"]["name"] == "Тарас"
    messages = [p["message"] for p in hook.events("message")]
    assert messages[1]["text"] == "order:latte"  # a reply button sends its ActionBody
    assert messages[2]["type"] == "contact"  # a share-phone button sends the number
    assert messages[2]["contact"]["phone_number"] == "+380501234567"
    assert hook.events("failed")[0]["desc"] == "no device"
    assert hook.events("unsubscribed")[0]["user_id"] == person["id"]
    # A wrong signature, no signature, or bytes that are not JSON: posted as asked.
    await fake.callback(TOKEN, {"event": "seen"}, signature="0" * 64)
    await fake.callback(TOKEN, {"event": "seen"}, signature=None)
    await fake.callback(TOKEN, {}, raw=b"\xff not json")
    assert [(s, v) for _, _, s, v in hook.got[-3:]] == [
        ("0" * 64, False), (None, False), (hook.got[-1][2], True)]


async def test_names_and_photos_only_when_asked_for(viber: Viber, hook: Hook) -> None:
    fake, http = viber
    await connected(fake, http, hook, send_name=False, send_photo=False)
    person = fake.add_person(TOKEN, name="Тарас")
    await fake.say(TOKEN, person, "hi")
    sender = hook.events("message")[0]["sender"]
    assert sender["id"] == person["id"] and "name" not in sender and "avatar" not in sender


async def test_tracking_data_comes_back_with_the_reply(viber: Viber, hook: Hook) -> None:
    fake, http = viber
    await connected(fake, http, hook)
    person = fake.add_person(TOKEN)
    await fake.say(TOKEN, person, "1")
    assert "tracking_data" not in hook.events("message")[-1]["message"]
    await call(http, "send_message", text(person["id"], tracking_data='{"step": 2}'))
    await fake.say(TOKEN, person, "2")
    assert hook.events("message")[-1]["message"]["tracking_data"] == '{"step": 2}'
    await fake.press(TOKEN, person, "anything")
    assert hook.events("message")[-1]["message"]["tracking_data"] == '{"step": 2}'
    await call(http, "send_message", text(person["id"]))  # the last message sets none
    await fake.say(TOKEN, person, "3")
    assert "tracking_data" not in hook.events("message")[-1]["message"]


async def test_failures_on_demand(viber: Viber) -> None:
    fake, http = viber
    person = fake.add_person(TOKEN, subscribed=True)
    fake.fail("send_message", status=12, times=2)
    for _ in range(2):
        assert await call(http, "send_message", text(person["id"])) == {
            "status": 12, "status_message": "tooManyRequests"}
    assert (await call(http, "send_message", text(person["id"])))["status"] == 0
    fake.fail("send_message", http_status=503)
    down = await http.post("/pa/send_message", content=json.dumps(text(person["id"])))
    assert down.status_code == 503
    assert (fake.calls[-1].status, fake.calls[-1].http_status) == (-1, 503)
    fake.fail("get_account_info", status=9, delay=0.2)
    started = time.monotonic()
    assert (await call(http, "get_account_info"))["status"] == 9
    assert time.monotonic() - started >= 0.2
    fake.fail("get_account_info", delay=0.1)  # only slow
    started = time.monotonic()
    assert (await call(http, "get_account_info"))["status"] == 0
    assert time.monotonic() - started >= 0.1
    assert len(fake.sent(TOKEN)) == 1
    with pytest.raises(ValueError):
        fake.fail("send_message", status=12, http_status=500)


async def test_too_many_unanswered_messages(viber: Viber) -> None:
    fake, http = viber
    fake.unanswered_limit = 2
    person = fake.add_person(TOKEN, subscribed=True)
    statuses = [(await call(http, "send_message", text(person["id"])))["status"]
                for _ in range(3)]
    assert statuses == [0, 0, 12]


async def test_receipts_follow_each_message(viber: Viber, hook: Hook) -> None:
    fake, http = viber
    await connected(fake, http, hook)
    fake.receipts = True
    person = fake.add_person(TOKEN)
    await fake.say(TOKEN, person, "hi")
    first = await call(http, "send_message", text(person["id"]))
    second = await call(http, "send_message", text(person["id"], "ще"))
    await fake.drain()
    receipts = [(p["event"], p["message_token"], p["user_id"])
                for p in hook.events("delivered", "seen")]
    assert receipts == [(event, m["message_token"], person["id"]) for m in (first, second)
                        for event in ("delivered", "seen")]
    # A webhook that chose no optional events gets no receipts, but still its messages.
    await connected(fake, http, hook, event_types=[])
    await call(http, "send_message", text(person["id"]))
    await fake.drain()
    assert await fake.open(TOKEN, person) is None
    await fake.subscribe(TOKEN, person)
    assert [p["event"] for p in hook.events()] == ["subscribed"]


async def test_the_welcome_message_answers_conversation_started(
        viber: Viber, hook: Hook) -> None:
    fake, http = viber
    await connected(fake, http, hook)
    person = fake.add_person(TOKEN)
    hook.welcome = {"sender": SENDER, "type": "text", "text": "Вітаю!",
                    "tracking_data": "welcome", "keyboard": KEYBOARD}
    answer = await fake.open(TOKEN, person)
    assert answer is not None and answer.json() == hook.welcome
    assert fake.messages_to(TOKEN, person) == [hook.welcome] == fake.sent(TOKEN)
    assert not fake.subscribed(TOKEN, person)  # opening does not subscribe
    assert (await call(http, "send_message", text(person["id"])))["status"] == 6
    await fake.press(TOKEN, person, "order:latte")
    assert hook.events("message")[0]["message"] == {
        "type": "text", "text": "order:latte", "tracking_data": "welcome"}
    assert (await call(http, "send_message", text(person["id"])))["status"] == 0
    other = fake.add_person(TOKEN)
    hook.welcome = {"type": "text", "text": "no sender"}  # Viber shows nothing for this
    await fake.open(TOKEN, other)
    assert fake.messages_to(TOKEN, other) == []


async def test_the_local_person_routes(viber: Viber, hook: Hook) -> None:
    fake, http = viber
    assert (await http.post(f"/_say/{TOKEN}", json={"text": "hi"})).status_code == 409
    await connected(fake, http, hook)
    hook.welcome = {"sender": SENDER, "type": "text", "text": "Вітаю!"}
    opened = (await http.post(f"/_open/{TOKEN}", json={"context": "qr"})).json()
    assert opened == {"webhook_status": 200, "welcome": hook.welcome}
    assert (await http.post(f"/_say/{TOKEN}", json={"text": "Привіт"})).json() == {
        "webhook_status": 200}
    local = hook.events("message")[0]["sender"]
    await call(http, "send_message", text(local["id"], "Оберіть", keyboard=KEYBOARD))
    chat = (await http.get(f"/_chat/{TOKEN}")).json()
    assert chat == [{"type": "text", "text": "Вітаю!", "buttons": []},
                    {"type": "text", "text": "Оберіть",
                     "buttons": ["Латте", "Мій номер", "Тихо"]}]
    await http.post(f"/_press/{TOKEN}", json={"text": "Латте"})  # the label
    await http.post(f"/_press/{TOKEN}", json={"text": "quiet"})  # or the ActionBody
    pressed = hook.events("message")[1:]
    assert [(p["message"]["text"], p["silent"]) for p in pressed] == [
        ("order:latte", False), ("quiet", True)]
    assert (await http.post("/_say/unknown", json={"text": "x"})).status_code == 400
    assert (await http.post(f"/_say/{TOKEN}", json={})).status_code == 400


@pytest.mark.shared_data
@pytest.mark.skipif(not EXAMPLES, reason="../shared/data/viber/api_examples is not here")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
async def test_the_documented_send_message_bodies_are_accepted(
        viber: Viber, path: Path) -> None:
    fake, http = viber
    body = json.loads(path.read_text(encoding="utf-8"))
    body.setdefault("receiver", "jc9HsWTZ2Yf2NkRZ8KcNug==")  # the welcome-style example
    fake.add_person(TOKEN, user_id=body["receiver"], subscribed=True)
    answer = await call(http, "send_message", body)
    assert answer["status"] == 0, (answer, fake.calls[-1].detail)
    assert fake.messages_to(TOKEN, body["receiver"]) == [body]
