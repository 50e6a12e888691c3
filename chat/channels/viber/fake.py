"""A fake Viber REST Bot API on 127.0.0.1: a client talks to it as to chatapi.viber.com/pa,
and it posts callbacks to a webhook the way Viber does. The tests use it; so can a local demo.

It answers set_webhook (checking the webhook first with a signed `webhook` callback, as Viber
does), get_account_info, send_message, get_user_details and get_online with Viber's envelope
(HTTP 200 and `{"status": N, "status_message": ...}`, 0 for success), validates each message
the way Viber documents it (required fields per type, limits, keyboards, subscription of the
receiver), records every call, and fails calls on demand with a Viber status, an HTTP status
or slowly. Persons are simulated per bot: they open the conversation, write, press buttons,
send media, subscribe and unsubscribe, and their messages reach the webhook signed with the
bot's token (`X-Viber-Content-Signature`), with the tracking data of the bot's last message.

Like Viber, callbacks carry user names and photos only when set_webhook asked for them
(`send_name`, `send_photo`); they are left out otherwise."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from types import EllipsisType
from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

# Viber's status codes (the `status` of every answer) and their names (`status_message`).
STATUS_MESSAGES = {
    0: "ok", 1: "invalidUrl", 2: "invalidAuthToken", 3: "badData", 4: "missingData",
    5: "receiverNotRegistered", 6: "receiverNotSubscribed", 7: "publicAccountBlocked",
    8: "publicAccountNotFound", 9: "publicAccountSuspended", 10: "webhookNotSet",
    11: "receiverNoSuitableDevice", 12: "tooManyRequests", 13: "apiVersionNotSupported",
    14: "incompatibleWithVersion",
}
METHODS = ("set_webhook", "get_account_info", "send_message", "get_user_details", "get_online")
# Events a webhook can choose (set_webhook's `event_types`); `message`, `subscribed` and
# `unsubscribed` always reach it, whatever it chose.
EVENT_TYPES = ("delivered", "seen", "failed", "subscribed", "unsubscribed",
               "conversation_started")
_ALWAYS = {"message", "subscribed", "unsubscribed", "webhook"}
MESSAGE_TYPES = ("text", "picture", "video", "file", "location", "contact", "sticker", "url",
                 "rich_media")
ACTION_TYPES = ("reply", "open-url", "location-picker", "share-phone", "none")
CHAT_HOSTNAME = "SN-CHAT-01_"
TOKEN_BASE = 5_000_000_000_000_000_000  # message tokens above 2**53: exact only as integers
MAX_BODY_BYTES = 30 * 1024  # Viber's largest message
_LIMITS = {"sender_name": 28, "tracking_data": 4096, "text": 7000, "caption": 768,
           "url": 2000, "file_name": 256, "contact_name": 28, "phone_number": 18,
           "video_size": 26 * 1024 * 1024, "file_size": 50 * 1024 * 1024, "duration": 180}
_TAGS = re.compile(r"<[^>]*>")


@dataclass
class Call:
    token: str
    method: str
    body: dict[str, Any]
    status: int = -1        # Viber's status, or -1 when answered with an HTTP error
    http_status: int = 200
    detail: str = ""        # why a call was refused (Viber itself says only the status name)


@dataclass
class Delivery:
    """A callback the fake posted to a webhook, and the HTTP status it got (-1: no answer)."""

    token: str
    payload: dict[str, Any]
    http_status: int


@dataclass
class _Failure:
    status: int | None
    http_status: int | None
    delay: float


@dataclass
class _Person:
    user: dict[str, Any]
    phone: str
    subscribed: bool = False
    online: bool = True
    tracking_data: str | None = None   # of the bot's last message, echoed with the next reply
    unanswered: int = 0                # bot messages since the person last wrote


@dataclass
class _Bot:
    token: str
    id: str
    name: str
    webhook: str | None = None
    event_types: list[str] = field(default_factory=lambda: list(EVENT_TYPES))
    send_name: bool = False
    send_photo: bool = False
    persons: dict[str, _Person] = field(default_factory=dict)
    local: str = ""  # the id of the person behind the /_say, /_press and /_chat routes
    receipts: asyncio.Lock = field(default_factory=asyncio.Lock)  # in the order of sending


class _Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


class FakeViber:
    """Viber's REST Bot API and its users, in memory; `app` is the ASGI application."""

    # Viber refuses more than this many messages to a person who has not written back
    # (status 12); None lifts the limit.
    unanswered_limit: int | None = 100

    def __init__(self) -> None:
        self.bots: dict[str, _Bot] = {}
        self.calls: list[Call] = []
        self.deliveries: list[Delivery] = []
        self.receipts = False
        self._failures: dict[str, list[_Failure]] = {}
        self._said: list[tuple[str, str, dict[str, Any]]] = []  # token, user id, body
        self._tokens = itertools.count(1)
        self._people = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self.app = Starlette(routes=[
            Route("/pa/{method}", self._handle, methods=["POST"]),
            # For a person trying a bot locally: open the conversation, say something or
            # press a button as a Viber user would, and read what the bot sent.
            Route("/_open/{token}", self._local_open, methods=["POST"]),
            Route("/_say/{token}", self._local_say, methods=["POST"]),
            Route("/_press/{token}", self._local_press, methods=["POST"]),
            Route("/_chat/{token}", self._local_chat, methods=["GET"]),
            # Files people sent (Viber's media URLs point at its CDN; here, at the fake).
            Route("/_media/{name}", self._media, methods=["GET"]),
        ])
        self.media: dict[str, bytes] = {}
        self.media_downloads: list[str] = []

    # --- setting up -----------------------------------------------------------------------

    def add_media(self, data: bytes, name: str) -> str:
        """A file a person sent; returns its path on the fake (`/_media/<name>`): the media
        URL is the fake's address and this path."""
        self.media[name] = data
        return f"/_media/{name}"

    async def _media(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.media:
            return Response(status_code=404)
        self.media_downloads.append(name)
        return Response(self.media[name], media_type="application/octet-stream")

    def add_bot(self, token: str, name: str = "Rozmova test") -> None:
        """A bot (public account) the fake accepts `token` of, with one local person."""
        number = 75346594275468546724 + len(self.bots)
        self.bots[token] = _Bot(token=token, id=f"pa:{number}", name=name)
        self.bots[token].local = self.add_person(token)["id"]

    def add_person(self, token: str, user_id: str | None = None, name: str = "Local",
                   language: str = "en", *, country: str = "UA", api_version: int = 10,
                   phone: str = "+380501234567", subscribed: bool = False) -> dict[str, Any]:
        """A Viber user who can talk to the bot; returns their user object. Not subscribed
        unless `subscribed`: the bot may answer them only after they write or subscribe."""
        bot = self.bots[token]
        number = next(self._people)
        if user_id is None:
            digest = hashlib.sha256(f"{token}:{number}".encode()).digest()[:16]
            user_id = base64.b64encode(digest).decode()
        user = {"id": user_id, "name": name,
                "avatar": f"https://media.example.com/avatars/{number}.jpg",
                "country": country, "language": language, "api_version": api_version}
        bot.persons[user_id] = _Person(user, phone, subscribed=subscribed)
        return dict(user)

    def fail(self, method: str, *, status: int | None = None, http_status: int | None = None,
             times: int = 1, delay: float = 0.0) -> None:
        """The next `times` calls of `method` fail, after `delay` seconds: with Viber's
        `status` (HTTP 200) or with HTTP `http_status`. With neither, they are only slow."""
        if status is not None and http_status is not None:
            raise ValueError("a failure is either a Viber status or an HTTP status")
        self._failures.setdefault(method, []).extend(
            _Failure(status, http_status, delay) for _ in range(times))

    # --- what happened --------------------------------------------------------------------

    def sent(self, token: str | None = None) -> list[dict[str, Any]]:
        """The messages the bots sent (send_message bodies and welcome messages), in order;
        `calls` has every attempt."""
        return [body for t, _, body in self._said if token is None or t == token]

    def messages_to(self, token: str, user: dict[str, Any] | str) -> list[dict[str, Any]]:
        """What the bot said to that person, welcome message included."""
        user_id = user if isinstance(user, str) else user["id"]
        return [body for t, u, body in self._said if t == token and u == user_id]

    def webhook(self, token: str) -> str | None:
        return self.bots[token].webhook

    def subscribed(self, token: str, user: dict[str, Any] | str) -> bool:
        return self._person(self.bots[token], user).subscribed

    async def drain(self) -> None:
        """Wait for the callbacks being posted in the background (receipts)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- a person's side ------------------------------------------------------------------

    async def open(self, token: str, user: dict[str, Any] | str,
                   context: str | None = None) -> httpx.Response | None:
        """The person opens the conversation (`conversation_started`; it does not subscribe
        them). A JSON message in the answer is the welcome message: recorded as said to them
        when it is a valid send_message body without a receiver. None when the webhook
        filtered the event out."""
        bot = self.bots[token]
        person = self._person(bot, user)
        payload = self._event("conversation_started", type="open")
        if context is not None:
            payload["context"] = context
        payload["user"] = self._user(bot, person)
        payload["subscribed"] = person.subscribed
        answer = await self._deliver(bot, payload)
        if answer is not None and answer.status_code == 200:
            welcome = _json_object(answer.content)
            if welcome is not None and "type" in welcome:
                try:
                    _check_message(welcome, welcome=True)
                except _Refused:
                    pass  # Viber shows nothing for a welcome message it cannot read
                else:
                    self._record(bot, person, welcome)
        return answer

    async def say(self, token: str, user: dict[str, Any] | str, text: str) -> httpx.Response:
        """The person writes `text` (which subscribes them)."""
        return await self.send(token, user, {"type": "text", "text": text})

    async def press(self, token: str, user: dict[str, Any] | str,
                    action_body: str) -> httpx.Response | None:
        """The person presses the button whose ActionBody is `action_body`: Viber sends the
        ActionBody as a text message (silent when the button is), a contact for a
        share-phone button, a location for a location-picker one, and nothing for `none`."""
        bot = self.bots[token]
        person = self._person(bot, user)
        button = self._button(bot, person, action_body) or {}
        kind = button.get("ActionType", "reply")
        if kind == "none":
            return None
        if kind == "share-phone":
            message: dict[str, Any] = {"type": "contact", "contact": {
                "name": person.user.get("name", ""), "phone_number": person.phone}}
        elif kind == "location-picker":
            message = {"type": "location", "location": {"lat": 50.4501, "lon": 30.5234}}
        else:
            message = {"type": "text", "text": button.get("ActionBody", action_body)}
        return await self.send(token, user, message, silent=bool(button.get("Silent")))

    async def send(self, token: str, user: dict[str, Any] | str, message: dict[str, Any], *,
                   silent: bool = False) -> httpx.Response:
        """The person sends any message object (text, picture, video, file, location,
        contact, sticker, url), which subscribes them; the bot's last tracking data comes
        back with it, as Viber echoes it."""
        bot = self.bots[token]
        person = self._person(bot, user)
        person.subscribed = True
        person.unanswered = 0
        message = dict(message)
        if person.tracking_data is not None:
            message.setdefault("tracking_data", person.tracking_data)
        payload = self._event("message")
        payload.update(sender=self._user(bot, person), message=message, silent=silent)
        answer = await self._deliver(bot, payload)
        assert answer is not None  # messages cannot be filtered out
        return answer

    async def subscribe(self, token: str, user: dict[str, Any] | str) -> httpx.Response:
        """The person subscribes (Chat Info, "Receive messages"); Viber forgets the
        conversation's tracking data."""
        bot = self.bots[token]
        person = self._person(bot, user)
        person.subscribed = True
        person.tracking_data = None
        answer = await self._deliver(bot, self._event("subscribed",
                                                      user=self._user(bot, person)))
        assert answer is not None
        return answer

    async def unsubscribe(self, token: str, user: dict[str, Any] | str) -> httpx.Response:
        bot = self.bots[token]
        person = self._person(bot, user)
        person.subscribed = False
        answer = await self._deliver(bot, self._event("unsubscribed",
                                                      user_id=person.user["id"]))
        assert answer is not None
        return answer

    async def receipt(self, token: str, user: dict[str, Any] | str, event: str,
                      message_token: int, desc: str | None = None) -> httpx.Response | None:
        """A `delivered`, `seen` or `failed` callback for the bot's message `message_token`;
        None when the webhook filtered the event out."""
        if event not in ("delivered", "seen", "failed"):
            raise ValueError(f"not a receipt: {event}")
        bot = self.bots[token]
        person = self._person(bot, user)
        payload = self._event(event, message_token=message_token, user_id=person.user["id"])
        if event == "failed":
            payload["desc"] = desc or "message validation failed"
        return await self._deliver(bot, payload)

    async def callback(self, token: str, payload: dict[str, Any], *,
                       signature: str | EllipsisType | None = ...,
                       raw: bytes | None = None) -> httpx.Response:
        """POST anything to the bot's webhook: `payload` (or the bytes `raw`), signed with
        the bot's token, or with `signature` instead (None: no signature header)."""
        bot = self.bots[token]
        if bot.webhook is None:
            raise RuntimeError("the bot has no webhook set")
        answer = await self._post(bot, bot.webhook, payload, signature=signature, raw=raw)
        if answer is None:
            raise httpx.ConnectError(f"the webhook {bot.webhook} did not answer")
        return answer

    # --- the API --------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        method = request.path_params["method"]
        raw = await request.body()
        body = _json_object(raw)
        token = request.headers.get("x-viber-auth-token") or (
            body.get("auth_token") if body is not None else None)
        call = Call(token if isinstance(token, str) else "", method,
                    body if body is not None else {})
        self.calls.append(call)
        if method not in METHODS:
            call.http_status, call.detail = 404, "no such method"
            return PlainTextResponse("Not Found", status_code=404)
        try:
            if body is None:
                raise _Refused(3, "the body is not a JSON object")
            bot = self.bots.get(call.token)
            if bot is None:
                raise _Refused(2, "unknown auth token")
            queued = self._failures.get(method)
            if queued:
                failure = queued.pop(0)
                if failure.delay:
                    await asyncio.sleep(failure.delay)
                if failure.http_status is not None:
                    call.http_status, call.detail = failure.http_status, "failure on demand"
                    return PlainTextResponse(_phrase(failure.http_status),
                                             status_code=failure.http_status)
                if failure.status is not None:
                    raise _Refused(failure.status, "failure on demand")
            if len(raw) > MAX_BODY_BYTES:
                raise _Refused(3, f"the body is over {MAX_BODY_BYTES} bytes")
            result = await getattr(self, f"_{method}")(bot, body)
        except _Refused as refused:
            call.status, call.detail = refused.status, refused.detail
            return JSONResponse({"status": refused.status,
                                 "status_message": STATUS_MESSAGES.get(refused.status,
                                                                       "generalError")})
        call.status = 0
        return JSONResponse({"status": 0, "status_message": "ok", **result})

    async def _set_webhook(self, bot: _Bot, body: dict[str, Any]) -> dict[str, Any]:
        url = body.get("url")
        if url is None:
            raise _Refused(4, "url is required")
        if not isinstance(url, str):
            raise _Refused(3, "url is not a string")
        kinds = body.get("event_types", list(EVENT_TYPES))
        if not isinstance(kinds, list) or any(k not in (*EVENT_TYPES, "message")
                                              for k in kinds):
            raise _Refused(3, f"event_types must be a list of {', '.join(EVENT_TYPES)}")
        if url == "":
            bot.webhook = None
            return {"event_types": kinds}
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _Refused(1, "not an http(s) URL")
        answer = await self._post(bot, url, self._event("webhook"))
        if answer is None or answer.status_code != 200:
            got = "no answer" if answer is None else f"HTTP {answer.status_code}"
            raise _Refused(1, f"the webhook check got {got}")
        bot.webhook, bot.event_types = url, list(kinds)
        bot.send_name = body.get("send_name") is True
        bot.send_photo = body.get("send_photo") is True
        return {"event_types": kinds}

    async def _get_account_info(self, bot: _Bot, body: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "id": bot.id, "name": bot.name, "uri": re.sub(r"\W+", "", bot.name.lower()),
            "icon": "https://media.example.com/bot-icon.png",
            "background": "https://media.example.com/bot-background.png",
            "category": "Education", "subcategory": "Other",
            "location": {"lon": 30.5234, "lat": 50.4501}, "country": "UA",
            "event_types": bot.event_types,
            "subscribers_count": sum(p.subscribed for p in bot.persons.values()),
            "members": [{"id": "0123456789AdminA=", "name": "Admin",
                         "avatar": "https://media.example.com/admin.jpg", "role": "admin"}]}
        if bot.webhook is not None:
            info["webhook"] = bot.webhook
        return info

    async def _get_user_details(self, bot: _Bot, body: dict[str, Any]) -> dict[str, Any]:
        user_id = body.get("id")
        if user_id is None:
            raise _Refused(4, "id is required")
        if not isinstance(user_id, str):
            raise _Refused(3, "id is not a string")
        person = bot.persons.get(user_id)
        if person is None:
            raise _Refused(5, "no such user")
        return {"message_token": self._token(), "user": {
            **person.user, "primary_device_os": "Android 14", "viber_version": "24.1.0",
            "mcc": 255, "mnc": 1, "device_type": "Pixel 8"}}

    async def _get_online(self, bot: _Bot, body: dict[str, Any]) -> dict[str, Any]:
        ids = body.get("ids")
        if ids is None:
            raise _Refused(4, "ids is required")
        if not isinstance(ids, list) or not 0 < len(ids) <= 100 or not all(
                isinstance(i, str) for i in ids):
            raise _Refused(3, "ids must be a list of 1 to 100 user ids")
        users = []
        for user_id in ids:
            person = bot.persons.get(user_id)
            online = person is not None and person.online
            users.append({"id": user_id, "online_status": 0 if online else 1,
                          "online_status_message": "online" if online else "offline"})
        return {"users": users}

    async def _send_message(self, bot: _Bot, body: dict[str, Any]) -> dict[str, Any]:
        _check_message(body, welcome=False)
        person = bot.persons.get(body["receiver"])
        if person is None:
            raise _Refused(5, "the receiver is not a Viber user")
        if not person.subscribed:
            raise _Refused(6, "the receiver is not subscribed")
        wanted = body.get("min_api_version", 1)
        if wanted > person.user.get("api_version", 1):
            raise _Refused(13, "min_api_version is above the receiver's API version")
        if self.unanswered_limit is not None and person.unanswered >= self.unanswered_limit:
            raise _Refused(12, "too many messages without a reply")
        person.unanswered += 1
        message_token = self._record(bot, person, body)
        if self.receipts and bot.webhook is not None:
            task = asyncio.create_task(self._receipts(bot, person, message_token))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return {"message_token": message_token, "chat_hostname": CHAT_HOSTNAME}

    async def _receipts(self, bot: _Bot, person: _Person, message_token: int) -> None:
        await asyncio.sleep(0)  # after the send_message answer is on its way
        async with bot.receipts:
            try:
                for event in ("delivered", "seen"):
                    await self.receipt(bot.token, person.user["id"], event, message_token)
            except (httpx.HTTPError, RuntimeError):
                pass  # the webhook is down or gone: the receipts are lost (see `deliveries`)

    # --- a local person's routes ----------------------------------------------------------

    async def _local_open(self, request: Request) -> JSONResponse:
        bot, body = await self._local(request)
        if isinstance(bot, JSONResponse):
            return bot
        context = body.get("context")
        answer = await self.open(bot.token, bot.local,
                                 context if isinstance(context, str) else None)
        return _local_answer(answer, welcome=True)

    async def _local_say(self, request: Request) -> JSONResponse:
        bot, body = await self._local(request)
        if isinstance(bot, JSONResponse):
            return bot
        if not isinstance(body.get("text"), str):
            return JSONResponse({"error": "no text"}, status_code=400)
        if isinstance(body.get("language"), str):
            bot.persons[bot.local].user["language"] = body["language"]
        return _local_answer(await self.say(bot.token, bot.local, body["text"]))

    async def _local_press(self, request: Request) -> JSONResponse:
        bot, body = await self._local(request)
        if isinstance(bot, JSONResponse):
            return bot
        if not isinstance(body.get("text"), str):
            return JSONResponse({"error": "no button text"}, status_code=400)
        return _local_answer(await self.press(bot.token, bot.local, body["text"]))

    async def _local_chat(self, request: Request) -> JSONResponse:
        bot = self.bots.get(request.path_params["token"])
        if bot is None:
            return JSONResponse({"error": "unknown bot"}, status_code=400)
        said = []
        for body in self.messages_to(bot.token, bot.local):
            text = body.get("text")
            if text is None and body.get("type") != "text":
                text = body.get("media") or body.get("sticker_id") or body.get("location") \
                    or body.get("contact")
            said.append({"type": body.get("type"), "text": text,
                         "buttons": [_label(b) for b in _buttons(body)]})
        return JSONResponse(said)

    async def _local(self, request: Request) -> tuple[_Bot | JSONResponse, dict[str, Any]]:
        """The bot a local route is for and the request's JSON, or the route's refusal."""
        bot = self.bots.get(request.path_params["token"])
        body = _json_object(await request.body() or b"{}") or {}
        if bot is None:
            return JSONResponse({"error": "unknown bot"}, status_code=400), body
        if bot.webhook is None:
            return JSONResponse({"error": "the bot has no webhook set"}, status_code=409), body
        return bot, body

    # --- callbacks ------------------------------------------------------------------------

    def _event(self, event: str, **content: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {"event": event, "timestamp": int(time.time() * 1000),
                                   "chat_hostname": CHAT_HOSTNAME,
                                   "message_token": self._token()}
        payload.update(content)
        return payload

    async def _deliver(self, bot: _Bot, payload: dict[str, Any]) -> httpx.Response | None:
        """Post an event to the bot's webhook, unless the webhook filtered it out."""
        if bot.webhook is None:
            raise RuntimeError("the bot has no webhook set")
        if payload["event"] not in _ALWAYS and payload["event"] not in bot.event_types:
            return None
        answer = await self._post(bot, bot.webhook, payload)
        if answer is None:
            raise httpx.ConnectError(f"the webhook {bot.webhook} did not answer")
        return answer

    async def _post(self, bot: _Bot, url: str, payload: dict[str, Any], *,
                    signature: str | EllipsisType | None = ...,
                    raw: bytes | None = None) -> httpx.Response | None:
        """POST a callback as Viber does: the exact bytes signed with the bot's token (big
        message tokens stay JSON integers). None when the webhook cannot be reached."""
        data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
        if signature is ...:
            signature = sign(bot.token, data)
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Viber-Content-Signature"] = signature
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                answer = await http.post(url, content=data, headers=headers)
        except httpx.HTTPError:
            self.deliveries.append(Delivery(bot.token, payload, -1))
            return None
        self.deliveries.append(Delivery(bot.token, payload, answer.status_code))
        return answer

    # --- helpers --------------------------------------------------------------------------

    def _token(self) -> int:
        return TOKEN_BASE + next(self._tokens)

    def _person(self, bot: _Bot, user: dict[str, Any] | str) -> _Person:
        """The person `user` names; a user object the fake has not seen joins the bot."""
        if isinstance(user, str):
            if user not in bot.persons:
                raise KeyError(f"no person {user!r} for this bot")
            return bot.persons[user]
        if user["id"] not in bot.persons:
            bot.persons[user["id"]] = _Person(dict(user), "+380501234567")
        return bot.persons[user["id"]]

    def _user(self, bot: _Bot, person: _Person) -> dict[str, Any]:
        user = dict(person.user)
        if not bot.send_name:
            user.pop("name", None)
        if not bot.send_photo:
            user.pop("avatar", None)
        return user

    def _record(self, bot: _Bot, person: _Person, body: dict[str, Any]) -> int:
        self._said.append((bot.token, person.user["id"], body))
        person.tracking_data = body.get("tracking_data")
        return self._token()

    def _button(self, bot: _Bot, person: _Person, text: str) -> dict[str, Any] | None:
        """The button `text` names (its ActionBody, or its label) on the person's screen:
        the keyboard the bot sent last (Viber shows the latest), then the rich media cards
        in the chat."""
        said = self.messages_to(bot.token, person.user["id"])
        keyboards = [body["keyboard"] for body in said if isinstance(body.get("keyboard"), dict)]
        buttons = list(keyboards[-1].get("Buttons", [])) if keyboards else []
        for body in reversed(said):
            buttons += (body.get("rich_media") or {}).get("Buttons", [])
        buttons = [b for b in buttons if isinstance(b, dict)]
        for match in (lambda b: b.get("ActionBody") == text, lambda b: _label(b) == text):
            for button in buttons:
                if match(button):
                    return button
        return None


def sign(token: str, body: bytes) -> str:
    """Viber's signature of a callback: hex HMAC-SHA256 of the raw body, keyed with the
    bot's auth token."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


# --- validating messages --------------------------------------------------------------------


def _check_message(body: dict[str, Any], *, welcome: bool) -> None:
    """Refuse a send_message body (or a welcome message, which has no receiver) as Viber
    would: 4 missingData for an absent required field, 3 badData for a wrong one."""
    if not welcome:
        _required(body, "receiver", str)
    sender = _required(body, "sender", dict)
    name = _required(sender, "name", str, "sender.name")
    if not name or len(name) > _LIMITS["sender_name"]:
        raise _Refused(3, f"sender.name must have 1 to {_LIMITS['sender_name']} characters")
    if sender.get("avatar") is not None and not isinstance(sender["avatar"], str):
        raise _Refused(3, "sender.avatar is not a string")
    _optional_text(body, "tracking_data", _LIMITS["tracking_data"])
    if "min_api_version" in body and not (_is_int(body["min_api_version"])
                                          and body["min_api_version"] >= 1):
        raise _Refused(3, "min_api_version is not a positive integer")
    if body.get("type") is None and "keyboard" in body:
        _check_keyboard(body["keyboard"])  # a keyboard may be sent on its own
    else:
        kind = _required(body, "type", str)
        if kind not in MESSAGE_TYPES:
            raise _Refused(3, f"unknown message type {kind!r}")
        _CHECKS[kind](body)
        if "keyboard" in body:
            _check_keyboard(body["keyboard"])
    _check_with_viberbot(body)


def _check_with_viberbot(body: dict[str, Any]) -> None:
    """A second opinion: Viber's own Python library reads the message and validates it.
    The library is a test dependency only; without it this check is skipped."""
    try:
        from viberbot.api.messages import KeyboardMessage, get_message
    except ImportError:
        return
    try:
        message = get_message(body) if "type" in body else KeyboardMessage().from_dict(body)
        valid = message.validate()
    except Exception as error:  # whatever the library raises on a message it cannot read
        raise _Refused(3, f"viberbot cannot read the message: {error}") from error
    if not valid:
        raise _Refused(3, "viberbot finds the message invalid")


def _check_text(body: dict[str, Any]) -> None:
    text = _required(body, "text", str)
    if not text or len(text) > _LIMITS["text"]:
        raise _Refused(3, f"text must have 1 to {_LIMITS['text']} characters")


def _check_picture(body: dict[str, Any]) -> None:
    _media(body)
    _optional_text(body, "text", _LIMITS["caption"])
    _optional_text(body, "thumbnail", _LIMITS["url"])


def _check_video(body: dict[str, Any]) -> None:
    _media(body)
    _size(body, _LIMITS["video_size"])
    _optional_text(body, "thumbnail", _LIMITS["url"])
    if "duration" in body and not (_is_int(body["duration"])
                                   and 0 <= body["duration"] <= _LIMITS["duration"]):
        raise _Refused(3, f"duration must be 0 to {_LIMITS['duration']} seconds")


def _check_file(body: dict[str, Any]) -> None:
    _media(body)
    _size(body, _LIMITS["file_size"])
    file_name = _required(body, "file_name", str)
    if not file_name or len(file_name) > _LIMITS["file_name"]:
        raise _Refused(3, f"file_name must have 1 to {_LIMITS['file_name']} characters")


def _check_location(body: dict[str, Any]) -> None:
    location = _required(body, "location", dict)
    for key, bound in (("lat", 90), ("lon", 180)):
        value = _required(location, key, (int, float), f"location.{key}")
        if isinstance(value, bool) or not -bound <= value <= bound:
            raise _Refused(3, f"location.{key} is out of range")


def _check_contact(body: dict[str, Any]) -> None:
    contact = _required(body, "contact", dict)
    name = _required(contact, "name", str, "contact.name")
    phone = _required(contact, "phone_number", str, "contact.phone_number")
    if not name or len(name) > _LIMITS["contact_name"]:
        raise _Refused(3, f"contact.name must have 1 to {_LIMITS['contact_name']} characters")
    if not phone or len(phone) > _LIMITS["phone_number"]:
        raise _Refused(3, f"contact.phone_number must have 1 to {_LIMITS['phone_number']} "
                          "characters")


def _check_sticker(body: dict[str, Any]) -> None:
    sticker = _required(body, "sticker_id", (int, str))
    if isinstance(sticker, bool) or not str(sticker).isdigit():
        raise _Refused(3, "sticker_id is not a sticker number")


def _check_url(body: dict[str, Any]) -> None:
    _media(body)


def _check_rich_media(body: dict[str, Any]) -> None:
    rich = _required(body, "rich_media", dict)
    if rich.get("Type", "rich_media") != "rich_media":
        raise _Refused(3, "rich_media.Type must be rich_media")
    for key, top in (("ButtonsGroupColumns", 6), ("ButtonsGroupRows", 7)):
        if key in rich and not (_is_int(rich[key]) and 1 <= rich[key] <= top):
            raise _Refused(3, f"rich_media.{key} must be 1 to {top}")
    _check_buttons(rich.get("Buttons"), "rich_media", most=42, rows=7)


_CHECKS = {"text": _check_text, "picture": _check_picture, "video": _check_video,
           "file": _check_file, "location": _check_location, "contact": _check_contact,
           "sticker": _check_sticker, "url": _check_url, "rich_media": _check_rich_media}


def _check_keyboard(keyboard: Any) -> None:
    if not isinstance(keyboard, dict) or keyboard.get("Type") != "keyboard":
        raise _Refused(3, 'keyboard must be an object with "Type": "keyboard"')
    _check_buttons(keyboard.get("Buttons"), "keyboard", most=24, rows=2)


def _check_buttons(buttons: Any, where: str, *, most: int, rows: int) -> None:
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= most:
        raise _Refused(3, f"{where}.Buttons must be a list of 1 to {most} buttons")
    for n, button in enumerate(buttons):
        at = f"{where}.Buttons[{n}]"
        if not isinstance(button, dict):
            raise _Refused(3, f"{at} is not an object")
        if not isinstance(button.get("ActionBody"), str):
            raise _Refused(3, f"{at}.ActionBody is required (a string)")
        if not any(isinstance(button.get(k), str) for k in ("Text", "Image")):
            raise _Refused(3, f"{at} needs a Text or an Image")
        if button.get("ActionType", "reply") not in ACTION_TYPES:
            raise _Refused(3, f"{at}.ActionType must be one of {', '.join(ACTION_TYPES)}")
        for key, top in (("Columns", 6), ("Rows", rows)):
            if key in button and not (_is_int(button[key]) and 1 <= button[key] <= top):
                raise _Refused(3, f"{at}.{key} must be 1 to {top}")


def _required(body: dict[str, Any], key: str, kind: type | tuple[type, ...],
              name: str | None = None) -> Any:
    value = body.get(key)
    if value is None:
        raise _Refused(4, f"{name or key} is required")
    if not isinstance(value, kind):
        raise _Refused(3, f"{name or key} has the wrong type")
    return value


def _optional_text(body: dict[str, Any], key: str, most: int) -> None:
    if key in body and body[key] is not None and (not isinstance(body[key], str)
                                                  or len(body[key]) > most):
        raise _Refused(3, f"{key} must be a string of at most {most} characters")


def _media(body: dict[str, Any]) -> None:
    media = _required(body, "media", str)
    if not media or len(media) > _LIMITS["url"]:
        raise _Refused(3, f"media must be a URL of 1 to {_LIMITS['url']} characters")


def _size(body: dict[str, Any], most: int) -> None:
    size = _required(body, "size", int)
    if isinstance(size, bool) or not 0 <= size <= most:
        raise _Refused(3, f"size must be 0 to {most} bytes")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for holder in (body.get("rich_media"), body.get("keyboard")):
        if isinstance(holder, dict) and isinstance(holder.get("Buttons"), list):
            found += [b for b in holder["Buttons"] if isinstance(b, dict)]
    return found


def _label(button: dict[str, Any]) -> str:
    """What a person reads on a button: its text without markup, or its ActionBody."""
    text = button.get("Text")
    return _TAGS.sub("", text).strip() if isinstance(text, str) else str(
        button.get("ActionBody", ""))


def _local_answer(answer: httpx.Response | None, *, welcome: bool = False) -> JSONResponse:
    """What a local route reports: the webhook's HTTP status (None: the event was filtered
    out) and, on opening, the welcome message the webhook answered with."""
    if answer is None:
        return JSONResponse({"webhook_status": None})
    result: dict[str, Any] = {"webhook_status": answer.status_code}
    if welcome:
        result["welcome"] = _json_object(answer.content)
    return JSONResponse(result)


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
