"""The chat API's busiest request, a person's message sent with a bot's chat key
(`POST /api/v1/conversations/{id}/messages` with `X-Chat-Key`), answered as plain ASGI:
FastAPI's routing, dependency solving and response handling cost about a quarter of such a
request, more than the turn's own database work.

It answers only what it is sure of: a well-formed JSON body that `MessageIn` accepts, a chat
key that resolves. Everything else (organization credentials, a bad body, an unknown key, any
other route) goes to the app untouched, with the body replayed, so every error is the app's
own, documented one. The chat socket (`/ws/v1/chat`) is handed to its endpoint here too.
Request ids, the body limit, metrics and the access log still come from
`core.http.ObservabilityMiddleware`, which sits outside."""

from __future__ import annotations

import re
import uuid
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from chat.conversations.router import to_event
from chat.conversations.schemas import MAX_TEXT_CHARS, MessageIn
from chat.conversations.service import ChatScope
from chat.dependencies import conversation_service
from chat.keys import service as keys_service
from core.errors import RozmovaError
from core.http import PROBLEM_JSON, outage_error

_PATH = re.compile(r"/api/v1/conversations/([0-9a-fA-F-]{32,36})/messages")
TEMPLATE = "/api/v1/conversations/{conversation_id}/messages"
SOCKET_PATH = "/ws/v1/chat"  # chat.realtime.router's endpoint


class _Route:
    """What the observability middleware reads off `scope["route"]`."""

    path = TEMPLATE


_ROUTE = _Route()


class ChatFastPath:
    def __init__(self, app: ASGIApp, owner: Any) -> None:
        self.app = app
        self.owner = owner  # the FastAPI app: its state holds the runtime and the service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == SOCKET_PATH:
            # A chat socket lives for hours: every layer it passes through keeps a coroutine
            # frame (and FastAPI's exit stack) alive for all that time, ~2 KiB a socket. The
            # endpoint needs none of them (no dependencies, its own error handling).
            from chat.realtime.router import chat_socket

            await chat_socket(WebSocket(scope, receive, send))
            return
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        match = _PATH.fullmatch(scope["path"])
        if match is None:
            await self.app(scope, receive, send)
            return
        key = None
        json_body = False
        for name, value in scope["headers"]:
            if name == b"x-chat-key":
                key = value.decode("latin-1").strip()
            elif name in (b"authorization", b"x-api-key"):
                key = None
                break
            elif name == b"content-type":
                json_body = value.split(b";")[0].strip().lower() == b"application/json"
            elif name == b"accept" and b"text/event-stream" in value:
                key = None  # Server-Sent Events: the router's streamed answer
                break
        if not key or not json_body:
            await self.app(scope, receive, send)
            return
        try:
            body, more = await _read(receive)
        except RozmovaError as exc:  # the body grew past the limit (a chunked upload)
            await _problem(send, exc, scope["path"])
            return
        replay = _replaying(body, more, receive)
        message = _message(body) if not more else None
        if message is None:
            await self.app(scope, replay, send)
            return
        runtime = self.owner.state.runtime
        found = await keys_service.resolve(runtime=runtime, key=key)
        if found is None:
            await self.app(scope, replay, send)
            return
        scope["route"] = _ROUTE  # for metrics and the access log
        service = conversation_service(self.owner)
        try:
            answer = await service.send(
                scope=ChatScope(org_id=found[1], bot_id=found[0]),
                conversation_id=uuid.UUID(match.group(1)), event=to_event(message),
                client_message_id=message.client_message_id)
        except RozmovaError as exc:
            await _problem(send, exc, scope["path"])
            return
        except Exception as exc:
            error = outage_error(exc, scope["path"])
            if error is None:
                raise
            await _problem(send, error, scope["path"])
            return
        plain = answer._json
        await _respond(send, 200, b"application/json",
                       orjson.dumps(plain) if plain is not None
                       else answer.model_dump_json().encode())


def _message(body: bytes) -> MessageIn | None:
    """The message, when the body is one the app would take as it is; else None."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        message = MessageIn.model_validate(data)
    except (ValidationError, ValueError):
        return None
    if message.text is not None and len(message.text) > MAX_TEXT_CHARS:
        return None  # the app answers 413 for it
    return message


async def _read(receive: Receive) -> tuple[bytes, bool]:
    """The body, if it comes in few enough chunks (the limit on its size is enforced by the
    observability middleware around us); `more` when it did not end."""
    chunks: list[bytes] = []
    for _ in range(64):
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False
    return b"".join(chunks), True


def _replaying(body: bytes, more: bool, receive: Receive) -> Receive:
    """A receive that gives the app the body already read, then whatever follows."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replay


async def _problem(send: Send, error: RozmovaError, path: str) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
               for k, v in (error.headers or {}).items()]
    await _respond(send, error.status, PROBLEM_JSON.encode(),
                   orjson.dumps(error.to_problem(path)), headers)


async def _respond(send: Send, status: int, content_type: bytes, body: bytes,
                   headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
        *(headers or ())]})
    await send({"type": "http.response.body", "body": body})
