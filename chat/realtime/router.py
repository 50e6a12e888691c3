"""The WebSocket endpoint `/ws/v1/chat` (protocol in docs/websocket-protocol.md): one
session per socket, handling frames in order, answering its own turns directly and
receiving everything else about its conversation through the hub."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any

import orjson
import structlog
from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect, WebSocketState

from chat.contract import WS_MAX_VOICE_FRAME
from chat.conversations.router import to_event
from chat.conversations.schemas import MAX_TEXT_CHARS, ConversationStart, MessageIn
from chat.conversations.service import ChatScope, ConversationService, inbound_body
from chat.dependencies import conversation_service, realtime_hub, voice_media
from chat.keys import service as keys_service
from chat.realtime import tokens
from chat.realtime.hub import Hub
from chat.voice import MAX_VOICE_BYTES
from chat.realtime.frames import (
    PROTOCOL_VERSION, BadFrame, history_frame, input_frame, last_seq, parse_client_frame,
    resume_seq, turn_frames,
)
from core.db import is_outage
from core.errors import DatabaseUnavailable, RozmovaError, ServiceUnavailable
from core.ids import new_id
from orchestrator.contract import InboundEvent
from scenarios.contract import BotInfo

log = structlog.get_logger("rozmova.chat.realtime")
router = APIRouter()

# The flood limit when a bot sets none: the defaults of the bot setting `flood_limit`
# (scenarios' BotSettings; a test keeps the two equal). Every frame counts, binary too; a
# resend the server recognises as already stored gives its frame back.
TYPING_AFTER_SECONDS = 0.3  # a batch client hears `typing` only for a slower answer
BURST = 60               # frames a connection may send at once...
RATE_PER_SECOND = 5.0    # ...and then per second
HELLO_SECONDS = 10.0
IDLE_SECONDS = 120.0
MAX_VOICE_HEADER = 1024   # a voice frame's JSON header
MAX_VOICE_FRAME = MAX_VOICE_BYTES + MAX_VOICE_HEADER + 1
assert MAX_VOICE_FRAME <= WS_MAX_VOICE_FRAME  # what the server lets through (chat.contract)
VOICE_MAX_SECONDS = 60    # what the widget records at most (the server hears up to 120 s)
CLOSE_GOING_AWAY, CLOSE_POLICY, CLOSE_TOO_BIG, CLOSE_RESTART = 1001, 1008, 1009, 1012


class FrameError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Closed(Exception):
    """The socket is gone or was closed by a limit: end the session quietly."""


def origin_allowed(websocket: WebSocket, bot: BotInfo) -> bool:
    """Browsers always send Origin; a client without one is not a browser page, and the
    allow-list exists to protect browsers."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    host = websocket.headers.get("host", "")
    own = {f"http://{host}", f"https://{host}"}
    allowed = set(bot.settings.get("allowed_origins") or [])
    return origin.rstrip("/") in own | allowed


def flood_limit(bot: BotInfo) -> tuple[float, float]:
    """(burst, per second) of the bot's `flood_limit` setting, or the defaults."""
    limit = bot.settings.get("flood_limit") or {}
    try:
        return float(limit.get("burst", BURST)), float(limit.get("per_second", RATE_PER_SECOND))
    except (TypeError, ValueError, AttributeError):
        return float(BURST), RATE_PER_SECOND


def outage(exc: BaseException) -> RozmovaError | None:
    """A database that is unreachable or saturated, as the retryable error a client is told
    about (the turn stored nothing; the same code REST answers); None for anything else."""
    # Any socket-level failure reaching a turn counts too (the REST handler's commit does
    # the same): the turn did not complete, and the client is told to resend.
    if not (is_outage(exc) or isinstance(exc, OSError)):
        return None
    log.warning("chat.socket.database_unavailable", error=type(exc).__name__)
    return DatabaseUnavailable("the database is unreachable right now; nothing was stored, "
                               "send the same frame again", retry_after=1,
                               dependency="database")


class Session:
    def __init__(self, websocket: WebSocket, service: ConversationService, bot: BotInfo,
                 scope: ChatScope, signing_key: str, max_frame_bytes: int,
                 resume_ttl_seconds: int = 86_400, hub: Hub | None = None,
                 voice: Any = None) -> None:
        self.id = new_id().hex
        # Where voice messages are kept until heard (chat.voice.VoiceMedia); None: this
        # server takes none (no speech service).
        self.voice = voice
        self.hub = hub
        # The client said `batch: true` in its hello: a turn's frames go out as one `batch`
        # frame, and `typing` only when the answer takes a while.
        self.batch = False
        self._typing: asyncio.Future[None] | None = None
        self.watching: uuid.UUID | None = None  # the conversation the hub shows here
        self.max_frame_bytes = max_frame_bytes
        self.resume_ttl_seconds = resume_ttl_seconds
        self.websocket = websocket
        self.service = service
        self.bot = bot
        self.scope = scope
        self.signing_key = signing_key
        self.conversation_id: uuid.UUID | None = None
        self.seq = 0
        self._send_lock = asyncio.Lock()
        self._burst, self._rate = flood_limit(bot)
        self._tokens = self._burst
        self._refilled = time.monotonic()
        self._refunded: set[str] = set()

    # --- sending ----------------------------------------------------------------------------

    async def send(self, frame: dict[str, Any]) -> None:
        frame.setdefault("seq", self.seq)
        async with self._send_lock:
            if self.websocket.application_state != WebSocketState.CONNECTED:
                return
            try:
                await self.websocket.send_text(orjson.dumps(frame).decode())
            except (WebSocketDisconnect, RuntimeError):
                pass

    def _say_typing(self) -> None:
        # Kept, so that the task is not collected before it runs.
        self._typing = asyncio.ensure_future(self.send({"type": "typing"}))

    def _fresh(self, frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The frames this socket has not seen (history items by seq, input states not
        older than what it has), as copies: the frames are shared by every socket."""
        out = []
        for frame in frames:
            seq = int(frame.get("seq", 0))
            kind = frame.get("type")
            if kind == "message":
                if seq <= self.seq:
                    continue
                self.seq = seq
            elif kind == "partial":
                pass  # a piece of an answer under way: not history, always current
            elif seq < self.seq:
                continue  # an older input state
            out.append({**frame, "seq": seq} if "seq" in frame else {**frame, "seq": self.seq})
        return out

    async def push(self, frames: list[dict[str, Any]],
                   first: dict[str, Any] | None = None) -> None:
        """Frames about this conversation from any instance (after `first`, an ack, when
        given); history items already shown are skipped, so nothing arrives twice."""
        fresh = self._fresh(frames)
        if first is not None:
            fresh.insert(0, first)
        if self.batch and len(fresh) > 1:
            await self.send({"type": "batch", "frames": fresh})
            return
        for frame in fresh:
            await self.send(frame)

    async def error(self, code: str, message: str, **extra: Any) -> None:
        await self.send({"type": "error", "code": code, "message": message, **extra})

    async def refuse(self, exc: RozmovaError, **extra: Any) -> None:
        """A domain error as an error frame; a retryable one (503) says when to retry."""
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is None and isinstance(exc, ServiceUnavailable):
            retry_after = exc.extra.get("retry_after", 1)
        if retry_after is not None:
            extra["retry_after"] = retry_after
        if "dependency" in exc.extra:
            extra["dependency"] = exc.extra["dependency"]
        await self.error(exc.code, exc.detail, **extra)

    async def go_away(self, reason: str) -> None:
        await self.send({"type": "reconnect", "reason": reason})
        await self.close(CLOSE_RESTART, "service restart")

    async def close(self, code: int, reason: str) -> None:
        if self.websocket.application_state == WebSocketState.CONNECTED:
            try:
                await self.websocket.close(code=code, reason=reason)
            except RuntimeError:
                pass

    # --- receiving --------------------------------------------------------------------------

    async def receive(self, timeout: float, *, on_timeout: tuple[int, str] = (
            CLOSE_GOING_AWAY, "idle")) -> dict[str, Any]:
        try:
            # asyncio.timeout, not wait_for: no extra task per waiting socket.
            async with asyncio.timeout(timeout):
                message = await self.websocket.receive()
        except TimeoutError:
            await self.close(*on_timeout)
            raise Closed from None
        if message["type"] == "websocket.disconnect":
            raise Closed
        text = message.get("text")
        if text is None:
            raw = message.get("bytes") or b""
            if len(raw) > max(self.max_frame_bytes, MAX_VOICE_FRAME):
                await self.close(CLOSE_TOO_BIG, "frame too big")
                raise Closed
            await self._count()  # a binary frame costs the server as much as a text one
            return self._voice_frame(raw)
        if len(text) > self.max_frame_bytes or len(text.encode()) > self.max_frame_bytes:
            await self.close(CLOSE_TOO_BIG, f"frames are limited to {self.max_frame_bytes} bytes")
            raise Closed
        await self._count()
        try:
            frame = parse_client_frame(text)
        except BadFrame as exc:
            raise FrameError(exc.code, exc.message) from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise FrameError("bad_frame", "a frame is a JSON object with a string 'type'")
        return frame

    def _voice_frame(self, raw: bytes) -> dict[str, Any]:
        """A binary frame: a voice message (docs/websocket-protocol.md): a JSON header, a
        newline, the recording."""
        head, newline, audio = raw[:MAX_VOICE_HEADER + 1].partition(b"\n")
        if not newline:
            raise FrameError("bad_frame", "a binary frame is a voice message: a JSON header "
                             f"of at most {MAX_VOICE_HEADER} bytes, a newline, the recording")
        try:
            header = parse_client_frame(head.decode())
        except (UnicodeDecodeError, BadFrame):
            raise FrameError("bad_frame", "the voice message's header is not JSON") from None
        if not isinstance(header, dict) or header.get("type") != "voice":
            raise FrameError("bad_frame", "a binary frame's header says type 'voice'")
        client_message_id = header.get("client_message_id")
        mime_type = header.get("mime_type")
        if mime_type is not None and not isinstance(mime_type, str):
            raise FrameError("bad_frame", "mime_type: a string such as 'audio/webm'")
        return {"type": "voice", "client_message_id": client_message_id,
                "mime_type": mime_type, "audio": raw[len(head) + 1:]}

    async def _count(self) -> None:
        """Token bucket: ``burst`` frames at once, then ``per second``; past it, close 1008."""
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self._rate)
        self._refilled = now
        if self._tokens < 1:
            await self.close(CLOSE_POLICY, "too many messages")
            raise Closed
        self._tokens -= 1

    def _refund(self, client_message_id: str) -> None:
        """A resend of a message already stored (a widget reconnecting with its unacknowledged
        messages) gives its frame back: once per id, and at most ``burst`` times per socket,
        so resending old ids cannot be a free flood."""
        if client_message_id in self._refunded or len(self._refunded) >= self._burst:
            return
        self._refunded.add(client_message_id)
        self._tokens = min(self._burst, self._tokens + 1)

    # --- the conversation -------------------------------------------------------------------

    async def hello(self, frame: dict[str, Any]) -> None:
        if frame.get("v", PROTOCOL_VERSION) != PROTOCOL_VERSION:
            raise FrameError("bad_frame", f"this server speaks protocol v{PROTOCOL_VERSION}")
        self.batch = frame.get("batch") is True
        resume = frame.get("resume")
        if isinstance(resume, dict) and isinstance(resume.get("token"), str):
            # A forged, garbled, expired or other bot's token starts a new conversation
            # (the welcome says resumed: false).
            conversation_id = tokens.read(self.signing_key, resume["token"], self.bot.id)
            if conversation_id is not None and await self._resume(conversation_id,
                                                                  resume.get("last_seq", 0)):
                return
            if resume.get("only") is True:
                # The client joins that conversation or none (the builder's test chat): no
                # new conversation is started in its place.
                raise FrameError("not_resumed", "the resume token is not valid any more "
                                 "(expired, another bot's, or its conversation is gone); "
                                 "nothing was started")
        language = frame.get("language")
        if language is not None and language not in self.bot.languages:
            language = None  # the browser's guess; the bot's default is a fine answer
        end_user_id = frame.get("end_user_id")
        try:
            body = ConversationStart(language=language, end_user_id=end_user_id, channel="web")
        except ValidationError as exc:
            raise FrameError("bad_frame", _first_error(exc)) from None
        answer = await self.service.start(scope=self.scope, bot_id=self.bot.id, body=body)
        self.conversation_id = answer.conversation_id
        await self.watch(answer.conversation_id)
        await self._welcome(resumed=False, language=body.language or self.bot.default_language)
        await self.push(turn_frames(answer, None, None))

    async def watch(self, conversation_id: uuid.UUID) -> None:
        if self.hub is None or self.watching == conversation_id:
            return
        await self.unwatch()
        self.watching = conversation_id
        await self.hub.watch(conversation_id, self)

    async def unwatch(self) -> None:
        if self.hub is not None and self.watching is not None:
            watching, self.watching = self.watching, None
            await self.hub.unwatch(watching, self)

    async def _resume(self, conversation_id: uuid.UUID, last: Any) -> bool:
        try:
            last_seq_seen = resume_seq(last)
        except BadFrame as exc:
            raise FrameError(exc.code, exc.message) from None
        try:
            latest = await self.service.latest_answer(scope=self.scope,
                                                      conversation_id=conversation_id)
        except ServiceUnavailable:
            raise  # retryable: not a reason to start a new conversation
        except RozmovaError:
            return False
        self.conversation_id = conversation_id
        # Shown before the history is read: nothing committed after the read is missed.
        await self.watch(conversation_id)
        await self._welcome(resumed=True, language=None)
        self.seq = last_seq_seen
        after = last_seq_seen
        while True:  # replay everything missed, in order, in pages
            page = await self.service.history(scope=self.scope, conversation_id=conversation_id,
                                              after_seq=after, limit=200)
            await self.push([history_frame(item) for item in page.items])
            if page.next_after_seq is None:
                break
            after = page.next_after_seq
        if latest is not None:
            await self.send(input_frame(self.seq, latest))
        return True

    async def _welcome(self, *, resumed: bool, language: str | None) -> None:
        assert self.conversation_id is not None
        theme = dict(self.bot.settings.get("theme") or {})
        theme.setdefault("title", self.bot.name)
        await self.send({
            "type": "welcome", "v": PROTOCOL_VERSION, "conversation_id": str(self.conversation_id),
            "resume_token": tokens.issue(self.signing_key, self.conversation_id, self.bot.id,
                                         ttl_seconds=self.resume_ttl_seconds),
            "language": language, "resumed": resumed,
            "bot": {"name": self.bot.name, "languages": self.bot.languages,
                    "default_language": self.bot.default_language, "theme": theme,
                    **({"voice": {"max_bytes": MAX_VOICE_BYTES,
                                  "max_seconds": VOICE_MAX_SECONDS}}
                       if self.voice is not None else {})},
        })

    async def answer(self, frame: dict[str, Any]) -> None:
        """A message frame, answered (see chat_socket); never raises."""
        try:
            await self.message(frame)
        except FrameError as exc:
            with contextlib.suppress(Closed):
                await self.error(exc.code, exc.message)
        except Closed:
            pass
        except Exception:  # the socket's reader sees the close and ends
            log.exception("chat.socket.failed")
            await self.error("internal", "something went wrong; reconnect to continue")
            await self.close(1011, "internal error")

    def interrupt(self, frame: dict[str, Any]) -> None:
        """The person wrote while their last message is being answered: an answer being
        written ends where it is (core.streams), so that this one is answered next."""
        client_message_id = frame.get("client_message_id")
        if self.conversation_id is not None:
            self.service.streams.interrupt(
                self.conversation_id,
                client_message_id if isinstance(client_message_id, str) else None)

    async def message(self, frame: dict[str, Any]) -> None:
        assert self.conversation_id is not None
        if frame["type"] == "voice":
            body, event = await self._voice(frame)
        else:
            try:
                body = MessageIn.model_validate({k: v for k, v in frame.items()
                                                 if k != "type"})
            except ValidationError as exc:
                raise FrameError("bad_frame", _first_error(exc)) from None
            if body.text is not None and len(body.text) > MAX_TEXT_CHARS:
                raise FrameError("too_long",
                                 f"a text is limited to {MAX_TEXT_CHARS} characters")
            event = to_event(body)
        typing = None
        if self.batch:
            # Said only if the answer takes a while: most take a few milliseconds.
            typing = asyncio.get_running_loop().call_later(
                TYPING_AFTER_SECONDS, self._say_typing)
        else:
            await self.send({"type": "typing"})
        try:
            answer = await self.service.send(
                scope=self.scope, conversation_id=self.conversation_id, event=event,
                client_message_id=body.client_message_id, origin=self.id)
        except RozmovaError as exc:
            await self.refuse(exc, client_message_id=body.client_message_id)
            return
        except Exception as exc:
            down = outage(exc)
            if down is None:
                raise
            await self.refuse(down, client_message_id=body.client_message_id)
            return
        finally:
            if typing is not None:
                typing.cancel()
        if answer.duplicate:
            self._refund(body.client_message_id)
        ack = {"type": "ack", "seq": answer.inbound_seq or last_seq(answer),
               "client_message_id": body.client_message_id, "duplicate": answer.duplicate}
        frames = answer._frames
        if frames is None:  # a duplicate: the stored answer, rebuilt
            frames = turn_frames(answer, inbound_body(event), body.client_message_id)
        await self.push(frames, first=ack)


    async def _voice(self, frame: dict[str, Any]) -> tuple[MessageIn, InboundEvent]:
        """A voice message: kept (the shared cache, under this conversation) until the
        speech service hears it in the turn; the event names it."""
        from chat.voice import VoiceRejected

        client_message_id = frame.get("client_message_id")
        try:
            body = MessageIn.model_validate({"client_message_id": client_message_id,
                                             "payload": {"type": "audio"}})
        except ValidationError as exc:
            raise FrameError("bad_frame", _first_error(exc)) from None
        if self.voice is None:
            raise FrameError("voice_unavailable", "this server does not take voice messages; "
                             "type the message instead")
        try:
            payload = await self.voice.keep(self.conversation_id, frame["audio"],
                                            frame.get("mime_type"), body.client_message_id)
        except VoiceRejected as exc:
            raise FrameError(exc.code, str(exc)) from None
        return body, InboundEvent(kind="audio", payload=payload)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "frame"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"


@router.websocket("/ws/v1/chat")
async def chat_socket(websocket: WebSocket) -> None:
    app = websocket.app
    runtime = app.state.runtime
    service = conversation_service(app)
    key = websocket.query_params.get("key", "")
    found = await keys_service.resolve(runtime=runtime, key=key) if key else None
    bot = await service.bot(found[0]) if found else None
    if found is None or bot is None or not origin_allowed(websocket, bot):
        # Refused before the upgrade: the browser sees HTTP 403 and no socket opens.
        await websocket.close(code=CLOSE_POLICY)
        return
    hub = realtime_hub(app)
    await hub.ensure_listening()
    await websocket.accept()
    session = Session(websocket, service, bot, ChatScope(org_id=found[1], bot_id=found[0]),
                      runtime.settings.signing_key(), runtime.settings.ws_max_frame_bytes,
                      runtime.settings.ws_resume_token_ttl_seconds, hub, voice_media(app))
    structlog.contextvars.bind_contextvars(socket=session.id, bot_id=str(bot.id))
    try:
        deadline = time.monotonic() + HELLO_SECONDS
        while session.conversation_id is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                await session.close(CLOSE_POLICY, "hello expected")
                return
            try:
                frame = await session.receive(remaining,
                                              on_timeout=(CLOSE_POLICY, "hello expected"))
                if frame["type"] != "hello":
                    raise FrameError("hello_required", "send a hello frame first")
                try:
                    await session.hello(frame)
                except Exception as exc:
                    down = outage(exc)
                    if down is None:
                        raise
                    raise down from exc
            except FrameError as exc:
                await session.error(exc.code, exc.message)
            except ServiceUnavailable as exc:
                # Retryable (a dependency is down or saturated): the socket stays, and the
                # client gets a fresh hello window to send hello again after retry_after.
                session.conversation_id = None
                await session.unwatch()
                await session.refuse(exc)
                deadline = time.monotonic() + HELLO_SECONDS
            except RozmovaError as exc:
                await session.error(exc.code, exc.detail)
                await session.close(CLOSE_POLICY, exc.code)
                return
        # A person's messages are answered one at a time, in order, each by a task (an idle
        # socket keeps none). The next frame is read while one is answered: a message sent
        # while the bot writes an answer ends that answer at once, and is answered next
        # (no further frame is read until then, so a client cannot pile messages up here).
        turn: asyncio.Task[None] | None = None
        while True:
            try:
                frame = await session.receive(IDLE_SECONDS)
                kind = frame["type"]
                if kind == "ping":
                    await session.send({"type": "pong"})
                elif kind == "message" or kind == "voice":
                    if turn is not None and not turn.done():
                        session.interrupt(frame)
                        await turn
                    turn = asyncio.create_task(session.answer(frame), name="chat socket turn")
                elif kind == "hello":
                    raise FrameError("bad_frame", "this socket already has a conversation")
                else:
                    raise FrameError("bad_frame", f"unknown frame type '{kind}'; expected "
                                     "message or ping")
            except FrameError as exc:
                await session.error(exc.code, exc.message)
    except Closed:
        return
    except Exception:  # never an unhandled exception in the server log without context
        log.exception("chat.socket.failed")
        await session.error("internal", "something went wrong; reconnect to continue")
        await session.close(1011, "internal error")
    finally:
        await session.unwatch()
