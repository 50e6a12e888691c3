"""A fake Telegram Bot API on 127.0.0.1: the real client (python-telegram-bot's `Bot` with
`base_url`) talks to it as to api.telegram.org, and it delivers updates to a webhook the way
Telegram does. The tests use it; so can a local demo.

It answers the methods a chat channel uses (getMe, sendMessage and the media sends,
sendChatAction, answerCallbackQuery, editMessageReplyMarkup, editMessageText (an answer
shown as it is written), deleteMessage, setWebhook, deleteWebhook,
getWebhookInfo, getUpdates, setMyCommands) with Telegram's envelope (`{"ok": true, "result":
...}`), checks each call's required parameters against the Bot API's published description
(`api.json`, when given) or a built-in table, records every call, and fails calls on demand
with Telegram's errors (400, 403, 429 with `parameters.retry_after`, 5xx) or slowly."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Required parameters of the methods answered, where no api.json is given.
REQUIRED = {
    "getMe": (), "getWebhookInfo": (), "deleteWebhook": (), "getUpdates": (),
    "setWebhook": ("url",), "sendMessage": ("chat_id", "text"),
    "sendPhoto": ("chat_id", "photo"), "sendDocument": ("chat_id", "document"),
    "sendAudio": ("chat_id", "audio"), "sendVideo": ("chat_id", "video"),
    "sendVoice": ("chat_id", "voice"), "sendChatAction": ("chat_id", "action"),
    "answerCallbackQuery": ("callback_query_id",), "setMyCommands": ("commands",),
    "editMessageReplyMarkup": (), "editMessageText": ("text",),
    "deleteMessage": ("chat_id", "message_id"),
    "getFile": ("file_id",),
}
_SENT = {"sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendVoice"}


@dataclass
class Call:
    token: str
    method: str
    params: dict[str, Any]
    status: int = 0  # the HTTP status it was answered with


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None = None
    delay: float = 0.0


@dataclass
class _Bot:
    id: int
    username: str
    webhook: tuple[str, str | None] | None = None  # url, secret token
    updates: list[dict[str, Any]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class FakeTelegram:
    def __init__(self, api_json: Path | None = None) -> None:
        self.required = dict(REQUIRED)
        if api_json is not None and api_json.exists():
            spec = json.loads(api_json.read_text(encoding="utf-8"))["methods"]
            for method in REQUIRED:
                if method in spec:
                    self.required[method] = tuple(
                        f["name"] for f in spec[method].get("fields", []) if f.get("required"))
        self.bots: dict[str, _Bot] = {}
        self.calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._message_ids = itertools.count(1)
        # What each sent text message shows now, (chat, message id) -> (text, markup): edits
        # change it, and Telegram's refusals of edits are checked against it.
        self.texts: dict[tuple[int, int], tuple[str, Any]] = {}
        self._update_ids = itertools.count(1000)
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"]),
            # Files people sent (voice messages): getFile names the path, this serves it.
            Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            # For a person trying a bot locally (`rozmova dev fake-telegram`): say something
            # or press a button as a Telegram user would, and read what the bot sent.
            Route("/_say/{token}", self._say, methods=["POST"]),
            Route("/_press/{token}", self._press, methods=["POST"]),
            Route("/_chat/{token}", self._chat, methods=["GET"]),
        ])
        self.person = {"id": 4242, "is_bot": False, "first_name": "Local",
                       "language_code": "en"}
        # file_id -> (path, bytes): what getFile and the file route serve.
        self.files: dict[str, tuple[str, bytes]] = {}
        self.file_downloads: list[str] = []

    # --- setting up -----------------------------------------------------------------------

    def add_bot(self, token: str, username: str = "rozmova_test_bot") -> None:
        self.bots[token] = _Bot(id=len(self.bots) + 7_000_000_001, username=username)

    def fail(self, method: str, status: int, description: str, *, retry_after: int | None = None,
             times: int = 1, delay: float = 0.0) -> None:
        """The next `times` calls of `method` fail with Telegram's error (after `delay`)."""
        for _ in range(times):
            self._failures[method].append(_Failure(status, description, retry_after, delay))

    def add_file(self, data: bytes, *, extension: str = "oga") -> str:
        """A file as Telegram keeps one a person sent; returns its file_id."""
        file_id = f"AwACAgIAAxkBAAI{len(self.files):06d}"
        self.files[file_id] = (f"voice/file_{len(self.files)}.{extension}", data)
        return file_id

    def voice_message(self, data: bytes, *, duration: int = 3,
                      language: str = "en") -> dict[str, Any]:
        """A person's voice message (OGG/Opus `data`), as a `message` of an update."""
        file_id = self.add_file(data)
        person = {**self.person, "language_code": language}
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "from": person, "chat": {"id": person["id"], "type": "private"},
                "voice": {"file_id": file_id, "file_unique_id": file_id[-8:],
                          "duration": duration, "mime_type": "audio/ogg",
                          "file_size": len(data)}}

    async def _file(self, request: Request) -> Response:
        token, path = request.path_params["token"], request.path_params["path"]
        if token not in self.bots:
            return _error(401, "Unauthorized")
        for stored_path, data in self.files.values():
            if stored_path == path:
                self.file_downloads.append(path)
                return Response(data, media_type="application/octet-stream")
        return _error(404, "Not Found")

    def sent(self, method: str | None = None) -> list[Call]:
        """The calls (of `method`) that succeeded; `calls` has every attempt."""
        return [c for c in self.calls
                if c.status == 200 and (method is None or c.method == method)]

    # --- updates --------------------------------------------------------------------------

    def update(self, token: str, **content: Any) -> dict[str, Any]:
        """A new update for the bot (`message=...` or `callback_query=...`), queued for
        getUpdates; returns it."""
        bot = self.bots[token]
        update = {"update_id": next(self._update_ids), **content}
        bot.updates.append(update)
        bot.arrived.set()
        return update

    async def deliver(self, token: str, update: dict[str, Any], *,
                      secret: str | None = ...,  # type: ignore[assignment]
                      timeout: float = 10) -> httpx.Response:
        """POST `update` to the bot's webhook as Telegram does, with its secret token (or
        with `secret` instead, to play an impostor)."""
        bot = self.bots[token]
        if bot.webhook is None:
            raise RuntimeError("the bot has no webhook set")
        url, expected = bot.webhook
        header = expected if secret is ... else secret
        headers = {} if header is None else {"X-Telegram-Bot-Api-Secret-Token": header}
        async with httpx.AsyncClient(timeout=timeout) as http:
            return await http.post(url, json=update, headers=headers)

    # --- a local person --------------------------------------------------------------------

    async def _say(self, request: Request) -> JSONResponse:
        token = request.path_params["token"]
        body = await _body(request)
        if token not in self.bots or not isinstance(body.get("text"), str):
            return JSONResponse({"error": "unknown bot, or no text"}, status_code=400)
        person = {**self.person, "language_code": body.get("language", "en")}
        return await self._as_person(token, message={
            "message_id": next(self._message_ids), "date": int(time.time()), "from": person,
            "chat": {"id": person["id"], "type": "private"}, "text": body["text"]})

    async def _press(self, request: Request) -> JSONResponse:
        token = request.path_params["token"]
        body = await _body(request)
        if token not in self.bots or not isinstance(body.get("data"), str):
            return JSONResponse({"error": "unknown bot, or no button data"}, status_code=400)
        last = [c for c in self.sent("sendMessage") if c.token == token]
        on = last[-1] if last else None
        return await self._as_person(token, callback_query={
            "id": f"local-{next(self._update_ids)}", "from": self.person,
            "chat_instance": "local", "data": body["data"],
            "message": {"message_id": 1, "date": int(time.time()),
                        "chat": {"id": self.person["id"], "type": "private"},
                        "text": on.params.get("text", "") if on else ""}})

    async def _as_person(self, token: str, **content: Any) -> JSONResponse:
        update = self.update(token, **content)
        if self.bots[token].webhook is not None:
            answer = await self.deliver(token, update)
            return JSONResponse({"update": update, "webhook_status": answer.status_code})
        return JSONResponse({"update": update, "queued_for": "getUpdates"})

    async def _chat(self, request: Request) -> JSONResponse:
        token = request.path_params["token"]
        said = []
        for call in self.sent():
            if call.token != token or call.method not in _SENT:
                continue
            markup = call.params.get("reply_markup") or {}
            buttons = [b.get("callback_data") or b.get("url") or b.get("text")
                       for row in markup.get("inline_keyboard", markup.get("keyboard", []))
                       for b in row]
            said.append({"text": call.params.get("text") or call.params.get("caption"),
                         "buttons": buttons})
        return JSONResponse(said)

    # --- the API --------------------------------------------------------------------------

    async def _handle(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        bot = self.bots.get(token)
        if bot is None:
            return _error(401, "Unauthorized")
        params = await _params(request)
        call = Call(token, method, params)
        self.calls.append(call)
        answer = await self._answer(bot, method, params)
        call.status = answer.status_code
        return answer

    async def _answer(self, bot: _Bot, method: str, params: dict[str, Any]) -> JSONResponse:
        if method not in self.required:
            return _error(404, "Not Found")
        missing = [name for name in self.required[method] if params.get(name) in (None, "")]
        if missing:
            return _error(400, f"Bad Request: parameter {missing[0]} is required")
        queued = self._failures.get(method)
        if queued:
            failure = queued.popleft()
            if failure.delay:
                await asyncio.sleep(failure.delay)
            return _error(failure.status, failure.description, failure.retry_after)
        try:
            result = await self._result(bot, method, params)
        except _Refused as exc:
            return _error(400, str(exc))
        except _Conflict:
            return _error(409, "Conflict: can't use getUpdates method while webhook is "
                               "active; use deleteWebhook to delete the webhook first")
        return JSONResponse({"ok": True, "result": result})

    async def _result(self, bot: _Bot, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": bot.id, "is_bot": True, "first_name": "Rozmova test",
                    "username": bot.username, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method == "setWebhook":
            bot.webhook = (str(params["url"]), params.get("secret_token"))
            return True
        if method == "deleteWebhook":
            bot.webhook = None
            return True
        if method == "getWebhookInfo":
            return {"url": bot.webhook[0] if bot.webhook else "",
                    "has_custom_certificate": False, "pending_update_count": len(bot.updates)}
        if method == "getUpdates":
            return await self._updates(bot, params)
        if method in _SENT:
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": bot.id, "is_bot": True, "first_name": "Rozmova test",
                         "username": bot.username}}
            if method == "sendMessage":
                message["text"] = params["text"]
                self.texts[(chat_id, message["message_id"])] = (
                    params["text"], params.get("reply_markup"))
            elif params.get("caption"):
                message["caption"] = params["caption"]
            return message
        if method == "editMessageText":
            where = (int(params.get("chat_id") or 0), int(params.get("message_id") or 0))
            if where not in self.texts:
                raise _Refused("Bad Request: message to edit not found")
            markup = params.get("reply_markup")
            if markup and "inline_keyboard" not in markup:
                raise _Refused("Bad Request: inline keyboard expected")
            if self.texts[where] == (params["text"], markup):
                raise _Refused("Bad Request: message is not modified: specified new message "
                               "content and reply markup are exactly the same as a current "
                               "content and reply markup of the message")
            self.texts[where] = (params["text"], markup)
            return {"message_id": where[1], "date": int(time.time()), "text": params["text"],
                    "edit_date": int(time.time()), "chat": {"id": where[0], "type": "private"}}
        if method == "getFile":
            found = self.files.get(str(params["file_id"]))
            if found is None:
                raise _Refused("Bad Request: invalid file_id")
            return {"file_id": params["file_id"], "file_unique_id": str(params["file_id"])[-8:],
                    "file_size": len(found[1]), "file_path": found[0]}
        if method == "deleteMessage":
            where = (int(params["chat_id"]), int(params["message_id"]))
            if self.texts.pop(where, None) is None:
                raise _Refused("Bad Request: message to delete not found")
            return True
        return True

    async def _updates(self, bot: _Bot, params: dict[str, Any]) -> list[dict[str, Any]]:
        if bot.webhook is not None:
            raise _Conflict()
        offset = int(params.get("offset") or 0)
        bot.updates = [u for u in bot.updates if u["update_id"] >= offset]  # confirmed
        if not bot.updates:
            bot.arrived.clear()
            try:
                await asyncio.wait_for(bot.arrived.wait(),
                                       min(float(params.get("timeout") or 0), 50))
            except TimeoutError:
                pass
        limit = int(params.get("limit") or 100)
        return bot.updates[:limit]


class _Conflict(Exception):
    pass


class _Refused(Exception):
    """Telegram's 400 for a call it understood and will not do."""


async def _params(request: Request) -> dict[str, Any]:
    """A call's parameters: the query string, then a JSON, form or multipart body; values
    that are JSON objects or arrays in a form (reply_markup, commands) are decoded."""
    params: dict[str, Any] = dict(request.query_params)
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        body = await request.body()
        if body:
            data = json.loads(body)
            if isinstance(data, dict):
                params.update(data)
        return params
    if kind.startswith("application/x-www-form-urlencoded"):
        for key, value in parse_qsl((await request.body()).decode(), keep_blank_values=True):
            if value[:1] in ("{", "["):
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
    elif kind.startswith("multipart/form-data"):
        # Uploads of local files: the channel sends media by URL, so the fake only notes them.
        params["_multipart"] = True
    return params


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _error(status: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)
