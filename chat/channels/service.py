"""What the messenger channels share (connections, the turn for an update, delivery from the
stored history, pacing, dead letters) and Telegram's connections: connecting a bot (token checked with getMe, webhook set with a secret
token), the webhook (secret checked, update parsed, turn run, 200 only once the turn is
stored), and delivery (what the turns said, read back from the stored history past the chat's
`delivered_seq`, sent in order).

Delivery reads the history rather than a queue of its own: an answer that is stored will be
sent, whatever stops between storing and sending (a crash, a messenger error, a restart);
`delivered_seq` moves only after Telegram accepted a message, and under the chat's lock, so
two instances never send one message twice. Telegram's 429 is waited out (`retry_after`);
a network error or 5xx is retried with backoff and jitter and, past the last try, left for the
next sweep with the connection's `last_error` set; a message Telegram refuses (400) is
skipped with the reason recorded, so one bad message cannot block a chat; a blocked bot (403)
skips that chat; a revoked token marks the connection failed."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import random
import re
import secrets
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chat.channels.errors import NotAnUpdate
from chat.channels.history import SHOWN, message_of, request_of
from chat.channels.models import ChannelChat, ChannelConnection, ChannelReceipt
from chat.channels.telegram.inbound import (
    Skipped,
    TelegramInbound,
    UpdateError,
    parse_update,
)
from chat.channels.telegram.outbound import TelegramCall, render
from chat.channels.telegram.stream import TelegramStream, TelegramStreams
from chat.channels.viber.channel import ViberChannel, disconnect_viber
from chat.channels.viber.inbound import ViberInbound
from chat.conversations.models import Conversation, ConversationMessage, Turn
from chat.conversations.schemas import ConversationStart
from chat.conversations.service import ChatScope, ConversationEnded, ConversationService
from core.crypto import Encryptor
from core.db import transaction, utcnow
from core.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RozmovaError,
    ServiceUnavailable,
)
from core.logging import get_logger
from core.runtime import Runtime
from core.tasks import stop
from orchestrator.contract import InputRequest, OutboundMessage

log = get_logger("rozmova.channels")

Inbound = TelegramInbound | ViberInbound  # what a messenger's update means for a scenario
# A messenger's way to show one stored message (and what the conversation awaits, with its
# last one) in a chat: ("ok" | "stop" | "unreachable", the messenger's message tokens).
Say = Callable[[OutboundMessage, InputRequest | None, int], Awaitable[tuple[str, list[str]]]]

SEND_TRIES = 4
CONNECTION_SECONDS = 2.0   # how long a connection read is used before it is read again
DEAD_LETTERS = 50          # messages given up for good, kept per connection for the API
MENU_SECONDS = 30.0        # how often connected bots' menus are checked against publishes
FILE_SECONDS = 20          # fetching a voice message's recording from the messenger
BOT_RATE = 30.0            # messages a second one bot may send (Telegram's published limit)


# Telegram's published limits per chat: about one message a second in a private chat (short
# bursts are let through), twenty a minute in a group.
CHAT_RATE, GROUP_RATE, CHAT_BURST = 1.0, 20 / 60, 3.0


class _Pace:
    """A token bucket: `wait()` returns once a message may go, at most `rate` a second
    after a burst of `burst` (default `rate`). Per process: instances each keep their own,
    which Telegram's 429 and its retry_after correct."""

    __slots__ = ("burst", "rate", "tokens", "when")

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate, self.burst, self.when = rate, burst or rate, 0.0
        self.tokens = self.burst

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            self.tokens = min(self.burst, self.tokens + (now - self.when) * self.rate)
            self.when = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)
POLL_SECONDS = 20          # getUpdates' long-poll wait
POLL_LEASE_SECONDS = 60.0  # how long a poller's claim on a bot lasts without renewal
DRAIN_SECONDS = 10.0       # on shutdown, how long deliveries under way may take to finish
MAX_RETRY_AFTER = 60.0
DELIVERY_BATCH = 50
RECEIPT_DAYS = 30          # how long a sent message's receipt is kept


def token_context(connection_id: uuid.UUID) -> bytes:
    return b"channel-token:" + connection_id.bytes


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def telegram_bot(runtime: Runtime, token: str) -> Any:
    """python-telegram-bot's client for `token`, at the configured Bot API, with timeouts."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    base = runtime.settings.telegram_api_url.rstrip("/")
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
               request=HTTPXRequest(connect_timeout=5, read_timeout=10, write_timeout=10,
                                    pool_timeout=5))


# --- connecting -----------------------------------------------------------------------------

def scenario_commands(document: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A scenario's `/commands` as Telegram's menu (name, description): the target block's
    name where the author gave one. Names Telegram would refuse are left out."""
    if not document:
        return []
    blocks = {b.get("id"): b for b in document.get("blocks", []) if isinstance(b, dict)}
    commands = []
    for name, target in (document.get("entry", {}).get("commands") or {}).items():
        if re.fullmatch(r"[a-z0-9_]{1,32}", str(name)):
            label = (blocks.get(target) or {}).get("name") or name
            commands.append((name, str(label)[:256]))
    return commands[:100]


async def connect_telegram(*, runtime: Runtime, session: AsyncSession, org_id: uuid.UUID,
                           bot_id: uuid.UUID, token: str, mode: str, public_url: str | None,
                           commands: list[tuple[str, str]] = (),  # type: ignore[assignment]
                           commands_version_id: uuid.UUID | None = None) -> ChannelConnection:
    """Check the token (getMe), then in webhook mode set the webhook with a new secret token,
    and give Telegram the scenario's commands for its menu; replaces an earlier Telegram
    connection of the bot."""
    from telegram.error import InvalidToken, TelegramError

    base = (public_url or runtime.settings.public_url or "").rstrip("/")
    if mode == "webhook" and not base.startswith(("https://", "http://")):
        raise InvalidInput("webhook mode needs the address Telegram reaches this platform at: "
                           "give public_url, or set ROZMOVA_PUBLIC_URL", errors=[
                               {"path": "/public_url", "message": "required in webhook mode"}])
    existing = await session.scalar(select(ChannelConnection).where(
        ChannelConnection.bot_id == bot_id, ChannelConnection.kind == "telegram"))
    connection = existing or ChannelConnection(id=uuid.uuid4(), org_id=org_id, bot_id=bot_id,
                                               kind="telegram")
    secret = secrets.token_urlsafe(32)
    try:
        async with telegram_bot(runtime, token) as bot:  # initialising asks getMe
            username = bot.username
            if mode == "webhook":
                await bot.set_webhook(f"{base}/webhooks/telegram/{connection.id}",
                                      secret_token=secret,
                                      allowed_updates=["message", "callback_query"])
            else:
                await bot.delete_webhook()
            if commands:
                await bot.set_my_commands(list(commands))
    except InvalidToken:
        raise InvalidInput("Telegram refused the token (check it with @BotFather)", errors=[
            {"path": "/token", "message": "refused by Telegram"}]) from None
    except TelegramError as exc:
        raise InvalidInput(f"Telegram answered: {exc.message}") from None
    encryptor = Encryptor.from_settings(runtime.settings)
    connection.mode = mode
    connection.token_ciphertext = encryptor.encrypt(token.encode(),
                                                    context=token_context(connection.id))
    connection.token_key_id = encryptor.key_id
    connection.token_hint = token[-4:]
    connection.webhook_secret_sha256 = _digest(secret) if mode == "webhook" else None
    connection.account = username
    connection.status, connection.last_error = "active", None
    connection.commands_version_id = commands_version_id
    if existing is None:
        session.add(connection)
    await session.flush()
    log.info("channels.connected", bot_id=str(bot_id), kind="telegram", mode=mode,
             account=username)
    return connection


async def disconnect(*, runtime: Runtime, session: AsyncSession,
                     connection: ChannelConnection) -> None:
    from telegram.error import TelegramError

    if connection.kind == "viber":
        await disconnect_viber(runtime, token_of(runtime, connection))
    else:
        try:
            async with telegram_bot(runtime, token_of(runtime, connection)) as bot:
                await bot.delete_webhook()
        except TelegramError as exc:  # a revoked token has no webhook to delete
            log.info("channels.disconnect_unacknowledged", error=str(exc))
    await session.delete(connection)
    await session.flush()
    log.info("channels.disconnected", bot_id=str(connection.bot_id), kind=connection.kind)


def token_of(runtime: Runtime, connection: ChannelConnection) -> str:
    return Encryptor.from_settings(runtime.settings).decrypt(
        connection.token_ciphertext, context=token_context(connection.id)).decode()


# --- the webhook ------------------------------------------------------------------------------

_RELEASE_LEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Channels:
    """The channel layer of one app: turns for inbound updates, delivery of what they said."""

    poll_lease_seconds = POLL_LEASE_SECONDS
    poll_seconds = POLL_SECONDS
    drain_seconds = DRAIN_SECONDS

    def __init__(self, runtime: Runtime, conversations: ConversationService,
                 scenarios: Any = None) -> None:
        self.runtime = runtime
        self.conversations = conversations
        self.scenarios = scenarios  # the scenarios client: live versions, for menus
        self._menus_checked = 0.0
        self._deliveries: dict[tuple[uuid.UUID, str], asyncio.Task[None]] = {}
        self._again: set[tuple[uuid.UUID, str]] = set()
        # Buttons pressed since the chat's delivery last looked (acknowledged by the next one).
        self._presses: dict[tuple[uuid.UUID, str], list[tuple[str | None, int | None]]] = {}
        self._pollers: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._instance = secrets.token_hex(8)
        # One client per connection, made once: a client holds its connection pool (and
        # making one costs milliseconds of CPU: an SSL context). Keyed by the ciphertext, so
        # a new token gets a new client.
        self._clients: dict[uuid.UUID, tuple[bytes, Any]] = {}
        # Connections as read a moment ago (every update needs its own), and the counters
        # not yet added to the table (written by the sweeper, not by every update).
        self._connections: dict[uuid.UUID, tuple[float, ChannelConnection | None]] = {}
        self._counts: dict[uuid.UUID, list[int]] = {}
        self._paces: dict[uuid.UUID, _Pace] = {}
        self._chat_paces: dict[tuple[uuid.UUID, str], _Pace] = {}
        self._receipts_pruned = float("-inf")
        self.viber = ViberChannel(self)
        # Answers shown in Telegram chats while they were written, until delivered.
        self.telegram_streams = TelegramStreams()

    async def connection(self, connection_id: uuid.UUID) -> ChannelConnection | None:
        """The connection, read at most `CONNECTION_SECONDS` ago (a change made on another
        instance shows within that time; this instance's own changes at once: `forget`)."""
        now = asyncio.get_running_loop().time()
        cached = self._connections.get(connection_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        async with self.runtime.sessionmaker() as session:
            connection = await session.get(ChannelConnection, connection_id)
        if len(self._connections) > 10_000:
            self._connections.clear()
        self._connections[connection_id] = (now + CONNECTION_SECONDS, connection)
        return connection

    def forget(self, connection_id: uuid.UUID) -> None:
        self._connections.pop(connection_id, None)

    def token(self, connection: ChannelConnection) -> str:
        return token_of(self.runtime, connection)

    def _chat_pace(self, connection_id: uuid.UUID, chat_id: str) -> _Pace:
        """A Telegram chat's pace (a group's is slower: its ids are negative)."""
        key = (connection_id, chat_id)
        pace = self._chat_paces.get(key)
        if pace is None:
            if len(self._chat_paces) > 50_000:  # idle chats' buckets are full: forgotten
                self._chat_paces.clear()
            pace = self._chat_paces[key] = _Pace(
                GROUP_RATE if chat_id.startswith("-") else CHAT_RATE, CHAT_BURST)
        return pace

    def pace(self, connection_id: uuid.UUID, rate: float = BOT_RATE) -> _Pace:
        """The connection's send pace in this process (`rate` a second)."""
        pace = self._paces.get(connection_id)
        if pace is None:
            pace = self._paces[connection_id] = _Pace(rate)
        return pace

    def count(self, connection_id: uuid.UUID, received: int = 0, sent: int = 0) -> None:
        counts = self._counts.setdefault(connection_id, [0, 0])
        counts[0] += received
        counts[1] += sent

    async def flush_counts(self) -> None:
        counts, self._counts = self._counts, {}
        for connection_id, (received, sent) in counts.items():
            await self._update(connection_id, received=ChannelConnection.received + received,
                               sent=ChannelConnection.sent + sent)

    async def _update(self, connection_id: uuid.UUID, **values: Any) -> None:
        """Change the connection's row in a transaction of its own."""
        async with transaction(self.runtime.sessionmaker) as session:
            await session.execute(update(ChannelConnection).where(
                ChannelConnection.id == connection_id).values(**values))

    async def client(self, connection: ChannelConnection,
                     make: Callable[[str], Awaitable[Any]]) -> Any:
        """The connection's messenger client (`make(token)` builds one: python-telegram-bot's
        `Bot`, a `ViberClient`), kept while the token stays the same."""
        cached = self._clients.get(connection.id)
        if cached is not None and cached[0] == connection.token_ciphertext:
            return cached[1]
        await self.forget_client(connection.id)
        client = await make(token_of(self.runtime, connection))
        self._clients[connection.id] = (connection.token_ciphertext, client)
        return client

    async def forget_client(self, connection_id: uuid.UUID) -> None:
        cached = self._clients.pop(connection_id, None)
        if cached is not None:
            await _shutdown(cached[1])

    async def _bot(self, connection: ChannelConnection) -> Any:
        async def make(token: str) -> Any:
            bot = telegram_bot(self.runtime, token)
            await bot.initialize()
            return bot

        return await self.client(connection, make)

    async def voice_file(self, conversation_id: uuid.UUID, bot_id: uuid.UUID,
                         payload: Mapping[str, Any], max_bytes: int) -> bytes:
        """The recording of a voice message (or an audio file) the person sent through the
        messenger the conversation runs on: Telegram's getFile, Viber's media URL. Bounded
        in size and time; the error says why it cannot be had (chat.voice)."""
        from chat.voice import stored_chat_connection
        from orchestrator.extension import ServiceCallError

        connection_id = await stored_chat_connection(self.runtime, conversation_id)
        connection = await self.connection(connection_id) if connection_id else None
        if connection is None or connection.bot_id != bot_id:
            raise ServiceCallError("the conversation's messenger is no longer connected")
        try:
            async with asyncio.timeout(FILE_SECONDS):
                if connection.kind == "telegram":
                    data = await self._telegram_file(connection, payload, max_bytes)
                else:
                    data = await self.viber.media(payload, max_bytes)
        except TimeoutError:
            raise ServiceCallError(f"{connection.kind} did not give the recording within "
                                   f"{FILE_SECONDS} s") from None
        if len(data) > max_bytes:
            raise ServiceCallError(f"the recording is over {max_bytes // 1024} KB")
        return data

    async def _telegram_file(self, connection: ChannelConnection, payload: Mapping[str, Any],
                             max_bytes: int) -> bytes:
        from telegram.error import TelegramError

        from orchestrator.extension import ServiceCallError

        bot = await self._bot(connection)
        try:
            file = await bot.get_file(str(payload.get("file_id")))
            if file.file_size and file.file_size > max_bytes:
                raise ServiceCallError(f"the recording is {file.file_size // 1024} KB; voice "
                                       f"messages are heard up to {max_bytes // 1024} KB")
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise ServiceCallError(f"Telegram did not give the recording: {exc}") from None

    async def close(self) -> None:
        try:
            await self.flush_counts()
        except Exception:  # noqa: BLE001  (counters only; the database may be gone)
            log.warning("channels.counts_lost")
        polled = list(self._pollers)
        pollers = list(self._pollers.values())
        await stop(pollers)  # no new updates taken from here on
        # Deliveries under way finish: one cut between a send and its delivered mark would
        # have the next instance say that message again.
        deliveries = list(self._deliveries.values())
        if deliveries:
            await asyncio.wait(deliveries, timeout=self.drain_seconds)
        await stop(deliveries)
        for connection_id in polled:  # another instance takes over now, not at the lease's end
            await self._release_lease(connection_id)
        for connection_id in list(self._clients):
            await self.forget_client(connection_id)

    async def telegram_update(self, connection_id: uuid.UUID, secret: str | None,
                              data: Any) -> str:
        """Handle one webhook delivery; returns what became of it (for the log). Raises
        NotFound (no such connection), Forbidden (wrong secret), NotAnUpdate (not an
        update). Returns only once the turn is stored."""
        connection = await self.connection(connection_id)
        if connection is None or connection.kind != "telegram":
            raise NotFound("no such Telegram connection (disconnected?)")
        expected = connection.webhook_secret_sha256
        if expected is None or secret is None or not hmac.compare_digest(
                _digest(secret), expected):
            raise Forbidden("the update's secret token is wrong")
        try:
            inbound = parse_update(data, bot_username=connection.account)
        except UpdateError as exc:
            raise NotAnUpdate(str(exc)) from None
        if isinstance(inbound, Skipped):
            log.info("channels.update_skipped", update_id=inbound.update_id,
                     reason=inbound.reason)
            return inbound.reason
        try:
            await self.handle(connection, inbound)
        except ServiceUnavailable:
            raise  # 503: Telegram sends the update again later
        except RozmovaError as exc:
            # The bot cannot take it (no published scenario, say): answered 200 so that
            # Telegram does not resend it forever; the reason is logged.
            log.warning("channels.update_failed", update_id=inbound.update_id,
                        error=exc.detail)
            return exc.detail
        return "handled"

    async def handle(self, connection: ChannelConnection, inbound: Inbound, *,
                     deliver: bool = True) -> bool:
        """The turn for one update (its conversation found or started), then delivery.
        Returns False for a resend of the update that started the chat's conversation
        (nothing is started twice)."""
        chat_id = str(inbound.chat_id)
        scope = ChatScope(org_id=connection.org_id, bot_id=connection.bot_id)
        is_start = getattr(inbound, "starts", False) or (
            inbound.event.kind == "command" and inbound.event.command == "start")
        async with self.runtime.locks.hold(f"channel:{connection.id}:{chat_id}",
                                           wait_seconds=10, lease_seconds=60):
            chats = ChannelChat.__table__
            async with self.runtime.engine.connect() as db:  # once per update: no ORM
                chat = (await db.execute(select(
                    chats.c.conversation_id, chats.c.started_by, chats.c.subscribed).where(
                    chats.c.connection_id == connection.id, chats.c.chat_id == chat_id))).first()
            conversation_id = chat.conversation_id if chat is not None else None
            resent = is_start and chat is not None and \
                chat.started_by == inbound.client_message_id
            unsubscribed = chat is not None and not chat.subscribed
            if resent:
                if deliver:  # the first time may have stopped before its delivery
                    self.deliver_soon(connection.id, chat_id)
                return False
            if unsubscribed and getattr(inbound, "subscribed", True):
                await self.subscribe(connection.id, chat_id, True)  # writing subscribes
            started = conversation_id is None or is_start
            # A language model's answer shows in the chat as it is written (Telegram edits
            # the message as it grows); the delivery below makes it final.
            shown = TelegramStream(lambda: self._bot(connection), int(chat_id),
                                   self.pace(connection.id)) \
                if connection.kind == "telegram" else None
            sinks = [shown.sink] if shown is not None else None
            if not started:
                try:
                    await self.conversations.send(
                        scope=scope, conversation_id=conversation_id,  # type: ignore[arg-type]
                        event=inbound.event, client_message_id=inbound.client_message_id,
                        sinks=sinks)
                except (ConversationEnded, NotFound):
                    started = True
            if started:
                bot = await self.conversations.bot(connection.bot_id)
                language = _language(inbound.language)
                answer = await self.conversations.start(
                    scope=scope, bot_id=connection.bot_id, body=ConversationStart(
                        language=language if bot is not None and language in bot.languages
                        else None, end_user_id=inbound.end_user_id, channel=connection.kind))
                async with transaction(self.runtime.sessionmaker) as session:
                    chat = await session.get(ChannelChat, (connection.id, chat_id))
                    if chat is None:
                        chat = ChannelChat(connection_id=connection.id, chat_id=chat_id,
                                           conversation_id=answer.conversation_id)
                        session.add(chat)
                    else:  # a new conversation for the chat; the old one was delivered
                        chat.conversation_id, chat.delivered_seq = answer.conversation_id, 0
                    chat.started_by = inbound.client_message_id if is_start else None
                    chat.subscribed = getattr(inbound, "subscribed", True)
                if not is_start:
                    await self.conversations.send(
                        scope=scope, conversation_id=answer.conversation_id,
                        event=inbound.event, client_message_id=inbound.client_message_id,
                        sinks=sinks)
            if shown is not None:
                self.telegram_streams.keep(connection.id, chat_id, shown)
        self.count(connection.id, received=1)
        if deliver:
            self.deliver_soon(connection.id, chat_id, inbound.callback_query_id,
                              inbound.message_id)
        return True

    async def subscribe(self, connection_id: uuid.UUID, chat_id: str, subscribed: bool
                         ) -> bool:
        """Mark the chat (un)subscribed; False when there is no such chat."""
        async with transaction(self.runtime.sessionmaker) as session:
            result = await session.execute(update(ChannelChat).where(
                ChannelChat.connection_id == connection_id, ChannelChat.chat_id == chat_id)
                .values(subscribed=subscribed))
        return bool(result.rowcount)

    # --- delivery -------------------------------------------------------------------------

    def deliver_soon(self, connection_id: uuid.UUID, chat_id: str,
                     callback_query_id: str | None = None,
                     pressed_message_id: int | None = None) -> None:
        """Send what the chat has not been sent yet, in the background, one delivery per chat
        at a time (one that arrives meanwhile runs once the current one is done, with every
        button pressed meanwhile acknowledged)."""
        key = (connection_id, chat_id)
        if callback_query_id is not None or pressed_message_id is not None:
            self._presses.setdefault(key, []).append((callback_query_id, pressed_message_id))
        if key in self._deliveries:
            self._again.add(key)
            return
        task = asyncio.create_task(self._deliver_loop(key), name="channel-delivery")
        self._deliveries[key] = task

    async def _deliver_loop(self, key: tuple[uuid.UUID, str]) -> None:
        try:
            while True:
                self._again.discard(key)
                presses = self._presses.pop(key, [])
                try:
                    await self.deliver(*key, presses=presses)
                except Exception as exc:  # noqa: BLE001  (left for the next sweep)
                    log.warning("channels.delivery_failed", chat=key[1],
                                error=type(exc).__name__)
                if key not in self._again:
                    return
        finally:
            self._deliveries.pop(key, None)
            self._presses.pop(key, None)

    async def deliver(self, connection_id: uuid.UUID, chat_id: str, *,
                      presses: list[tuple[str | None, int | None]] = ()  # type: ignore[assignment]
                      ) -> int:
        """Send the chat's undelivered messages; returns how many were sent. Each pressed
        button (callback query id, the message it was on) is acknowledged first, and its
        keyboard taken off that message (so the same choice cannot be pressed twice)."""
        async with self.runtime.locks.hold(f"channel-delivery:{connection_id}:{chat_id}",
                                           wait_seconds=30, lease_seconds=120):
            connection = await self.connection(connection_id)
            if connection is None or connection.status != "active":
                return 0
            if presses and connection.kind == "telegram":
                # Acknowledged even when there is nothing left to send (the sweeper may have
                # sent the answer already): Telegram spins on the button until then.
                await self._acknowledge(connection, chat_id, presses)
            async with self.runtime.sessionmaker() as session:
                chat = await session.get(ChannelChat, (connection_id, chat_id))
                if chat is None:
                    return 0
                rows = list(await session.scalars(
                    select(ConversationMessage).where(
                        ConversationMessage.conversation_id == chat.conversation_id,
                        ConversationMessage.seq > chat.delivered_seq)
                    .order_by(ConversationMessage.seq).limit(DELIVERY_BATCH)))
                latest = await session.scalar(
                    select(Turn.response).where(Turn.conversation_id == chat.conversation_id)
                    .order_by(Turn.seq.desc()).limit(1))
            if not rows:
                return 0
            if not chat.subscribed:  # (Viber) nothing goes to someone not subscribed
                await self.delivered(connection_id, chat_id, rows[-1].seq)
                log.info("channels.unsubscribed_passed_over", messages=len(rows))
                return 0
            if connection.kind == "viber":
                say = self.viber.sayer(await self.viber.client(connection), connection, chat_id)
            else:
                say = await self._telegram_sayer(connection, chat_id)
            sent, finished = await self._send_rows(connection_id, chat, rows, latest, say)
            self.count(connection_id, sent=sent)
            if finished and len(rows) == DELIVERY_BATCH:
                self._again.add((connection_id, chat_id))
            return sent

    async def _send_rows(self, connection_id: uuid.UUID, chat: ChannelChat,
                         rows: list[ConversationMessage], latest: Any, say: Say
                         ) -> tuple[int, bool]:
        """Send the chat's undelivered history `rows` in order with the messenger's `say`;
        returns how many were sent and whether all of them were dealt with."""
        chat_id = chat.chat_id
        last_out = max((r.seq for r in rows if r.direction in SHOWN), default=None)
        sent, done = 0, chat.delivered_seq
        for row in rows:
            if row.direction not in SHOWN:
                continue
            request = request_of(latest) if row.seq == last_out else None
            outcome, receipts = await say(message_of(row.body), request, row.seq)
            if outcome == "stop":
                return sent, False
            if outcome == "unreachable":  # not subscribed after all: the rest passed over
                await self.subscribe(connection_id, chat_id, False)
                await self.delivered(connection_id, chat_id, rows[-1].seq)
                return sent, False
            sent += 1
            # Recorded after each message the messenger took: a crash resends one at most.
            await self.delivered(connection_id, chat_id, row.seq, receipts=receipts)
            done = row.seq
        if rows[-1].seq > done:  # the person's own messages, passed over
            await self.delivered(connection_id, chat_id, rows[-1].seq)
        return sent, True

    async def _acknowledge(self, connection: ChannelConnection, chat_id: str,
                           presses: list[tuple[str | None, int | None]]) -> None:
        """Each pressed button (callback query id, the message it was on) is acknowledged
        and its keyboard taken off that message (so the same choice cannot be pressed
        twice)."""
        bot = await self._bot(connection)
        for callback_query_id, pressed_message_id in presses:
            if callback_query_id is not None:
                await self._call(bot, connection, TelegramCall(
                    "answerCallbackQuery", {"callback_query_id": callback_query_id}))
            if pressed_message_id is not None:
                await self._call(bot, connection, TelegramCall(
                    "editMessageReplyMarkup", {"chat_id": int(chat_id),
                                               "message_id": pressed_message_id,
                                               "reply_markup": {"inline_keyboard": []}}))

    async def _telegram_sayer(self, connection: ChannelConnection, chat_id: str) -> Say:
        """Telegram's `say` for the chat."""
        bot = await self._bot(connection)

        async def say(message: OutboundMessage, request: InputRequest | None,
                      seq: int) -> tuple[str, list[str]]:
            calls = render(int(chat_id), [message], request)
            if message.stream_id is not None:  # shown while written: edited into place
                calls = await self.telegram_streams.finish(connection.id, chat_id,
                                                           message.stream_id, calls)
            for call in calls:
                if await self._call(bot, connection, call, (chat_id, seq)) == "stop":
                    return "stop", []
            return "ok", []

        return say

    async def _call(self, bot: Any, connection: ChannelConnection, call: TelegramCall,
                    where: tuple[str, int] | None = None) -> str:
        """One Bot API call with Telegram's rules for retrying; "ok", "skip" (the message is
        refused for good) or "stop" (nothing more can be sent now)."""
        from telegram.error import (
            BadRequest,
            EndPointNotFound,
            InvalidToken,
            NetworkError,
            RetryAfter,
            TelegramError,
        )
        from telegram.error import (
            Forbidden as TelegramForbidden,
        )

        if call.wait_seconds:
            await asyncio.sleep(min(call.wait_seconds, 5.0))
        pace = self.pace(connection.id)
        chat_pace = self._chat_pace(connection.id, where[0]) \
            if where is not None and call.method != "sendChatAction" else None
        for attempt in range(SEND_TRIES):
            if chat_pace is not None:
                await chat_pace.wait()
            await pace.wait()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "use Bot.send_message": by design
                    await bot.do_api_request(call.method, api_kwargs=call.params)
                return "ok"
            except RetryAfter as exc:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # its type changes in a later release
                    wait = exc.retry_after
                seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else wait
                await asyncio.sleep(min(float(seconds), MAX_RETRY_AFTER))
            except (InvalidToken, EndPointNotFound):
                # Every method called here exists: "not found" (401/404) is the token's.
                await self.fail(connection, "Telegram refused the token (revoked?)")
                return "stop"
            except TelegramForbidden as exc:
                log.info("channels.chat_unreachable", error=exc.message)
                return "skip"  # blocked by the person: their messages are dropped
            except BadRequest as exc:
                log.warning("channels.message_refused", method=call.method, error=exc.message)
                await self.note(connection, f"{call.method} refused: {exc.message}",
                                 dead=(where, call.method))
                return "skip"
            except (NetworkError, TelegramError) as exc:
                if attempt == SEND_TRIES - 1:
                    await self.note(connection, f"{call.method} failed: {exc}")
                    return "stop"
                await asyncio.sleep(min(8.0, 0.25 * 2 ** attempt) * (0.5 + random.random()))
        return "stop"

    async def delivered(self, connection_id: uuid.UUID, chat_id: str, seq: int, *,
                        receipts: list[str] = ()) -> None:  # type: ignore[assignment]
        """The chat's history up to `seq` was sent (with the messenger's tokens for what
        it reports on later, kept in the same transaction). Written once per message sent,
        so statements on a connection of the pool, not through an ORM session."""
        chats, sent = ChannelChat.__table__, ChannelReceipt.__table__
        async with self.runtime.engine.begin() as connection:
            await connection.execute(update(chats).where(
                chats.c.connection_id == connection_id, chats.c.chat_id == chat_id,
                chats.c.delivered_seq < seq).values(delivered_seq=seq, updated_at=utcnow()))
            if receipts:
                now = utcnow()
                await connection.execute(insert(sent), [
                    {"connection_id": connection_id, "message_token": token,
                     "chat_id": chat_id, "seq": seq, "status": "sent", "updated_at": now}
                    for token in receipts])

    async def note(self, connection: ChannelConnection, error: str,
                    dead: tuple[tuple[str, int] | None, str] | None = None) -> None:
        """Record `error` as the connection's last; with `dead` (where, method), also as a
        dead letter: a message given up for good, kept in the list the API shows (the last
        `DEAD_LETTERS`)."""
        async with transaction(self.runtime.sessionmaker) as session:
            values: dict[str, Any] = {"last_error": error[:500]}
            if dead is not None:
                row = await session.get(ChannelConnection, connection.id)
                letters = list(row.dead_letters or []) if row is not None else []
                where, method = dead
                letters.append({"at": utcnow().isoformat(), "method": method,
                                "chat_id": where[0] if where else None,
                                "seq": where[1] if where else None, "reason": error[:500]})
                values["dead_letters"] = letters[-DEAD_LETTERS:]
            await session.execute(update(ChannelConnection).where(
                ChannelConnection.id == connection.id).values(**values))

    async def fail(self, connection: ChannelConnection, error: str) -> None:
        await self.forget_client(connection.id)
        self.forget(connection.id)
        await self._update(connection.id, status="failed", last_error=error[:500])
        log.warning("channels.connection_failed", bot_id=str(connection.bot_id), error=error)

    # --- polling ----------------------------------------------------------------------------

    async def ensure_pollers(self) -> None:
        """A poller for every active connection in polling mode (one per bot across instances:
        the one holding the bot's lease in Redis), none for the others."""
        async with self.runtime.sessionmaker() as session:
            wanted = set(await session.scalars(select(ChannelConnection.id).where(
                ChannelConnection.kind == "telegram", ChannelConnection.mode == "polling",
                ChannelConnection.status == "active")))
        for connection_id, task in list(self._pollers.items()):
            if connection_id not in wanted or task.done():
                task.cancel()
                self._pollers.pop(connection_id, None)
        for connection_id in wanted - set(self._pollers):
            self._pollers[connection_id] = asyncio.create_task(
                self._poll(connection_id), name="telegram-poller")

    async def _poll(self, connection_id: uuid.UUID) -> None:
        """getUpdates in a loop while this instance holds the bot's lease; each update's turn
        is stored before the offset moves past it (a crash repeats it; its id replays it)."""
        from telegram.error import EndPointNotFound, InvalidToken, TelegramError

        offset: int | None = None
        failures = 0
        while True:
            if not await self._lease(connection_id):
                await asyncio.sleep(self.poll_lease_seconds / 3)
                continue
            async with self.runtime.sessionmaker() as session:
                connection = await session.get(ChannelConnection, connection_id)
            if connection is None or connection.mode != "polling" or \
                    connection.status != "active":
                return
            try:
                bot = await self._bot(connection)
                while await self._lease(connection_id):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        updates = await bot.do_api_request("getUpdates", api_kwargs={
                            "offset": offset, "timeout": self.poll_seconds,
                            "allowed_updates": ["message", "callback_query"]},
                            read_timeout=self.poll_seconds + 10)
                    failures = 0
                    for data in updates if isinstance(updates, list) else ():
                        update_id = data.get("update_id") if isinstance(data, dict) else None
                        if not isinstance(update_id, int):
                            continue
                        try:
                            inbound = parse_update(data, bot_username=connection.account)
                        except UpdateError:
                            inbound = Skipped(update_id, "not an update")
                        if isinstance(inbound, Skipped):
                            log.info("channels.update_skipped", update_id=update_id,
                                     reason=inbound.reason)
                        else:
                            try:
                                await self.handle(connection, inbound)
                            except ServiceUnavailable:
                                raise  # asked again after the backoff
                            except RozmovaError as exc:
                                log.warning("channels.update_failed",
                                            update_id=update_id, error=exc.detail)
                        offset = update_id + 1
            except (InvalidToken, EndPointNotFound):
                await self.fail(connection, "Telegram refused the token (revoked?)")
                return
            except asyncio.CancelledError:
                raise
            except (TelegramError, OSError) as exc:
                failures += 1
                await self.note(connection, f"getUpdates failed: {exc}")
                await asyncio.sleep(min(30.0, 0.5 * 2 ** failures) * (0.5 + random.random()))
            except Exception:
                failures += 1
                log.exception("channels.poll_failed", connection=str(connection_id))
                await asyncio.sleep(min(30.0, 0.5 * 2 ** failures))

    async def _lease(self, connection_id: uuid.UUID) -> bool:
        """Whether this instance polls the bot: always without Redis (one process), else
        the holder of a lease it renews as it goes."""
        redis = self.runtime.redis
        if redis is None:
            return True
        key = f"{self.runtime.settings.redis_prefix}poller:{connection_id}"
        ttl = int(self.poll_lease_seconds * 1000)
        taken = await redis.set(key, self._instance, nx=True, px=ttl)
        if taken:
            return True
        holder = await redis.get(key)
        if holder is not None and (holder.decode() if isinstance(holder, bytes)
                                   else holder) == self._instance:
            await redis.pexpire(key, ttl)
            return True
        return False

    async def _release_lease(self, connection_id: uuid.UUID) -> None:
        redis = self.runtime.redis
        if redis is None:
            return
        try:
            await redis.eval(_RELEASE_LEASE, 1,
                             f"{self.runtime.settings.redis_prefix}poller:{connection_id}",
                             self._instance)
        except Exception:  # noqa: BLE001  (the lease ends by itself)
            log.info("channels.lease_not_released", connection=str(connection_id))

    async def prune_receipts(self, *, every_seconds: float = 3600.0,
                             keep_days: float = RECEIPT_DAYS) -> int:
        """Forget receipts untouched for `keep_days` (checked every `every_seconds`): Viber
        reports on a message within days, and the table would otherwise grow with every
        message sent. Returns how many were removed."""
        now = asyncio.get_running_loop().time()
        if now - self._receipts_pruned < every_seconds:
            return 0
        self._receipts_pruned = now
        cutoff = utcnow() - timedelta(days=keep_days)
        async with transaction(self.runtime.sessionmaker) as session:
            result = await session.execute(delete(ChannelReceipt).where(
                ChannelReceipt.updated_at < cutoff))
        return int(result.rowcount or 0)

    async def refresh_menus(self, *, every_seconds: float = MENU_SECONDS) -> int:
        """Give Telegram the /commands of each connected bot's live main scenario where a
        publish changed the version since (checked every `every_seconds`); returns how many
        menus were set. Every instance may do it: setting a menu twice is harmless."""
        now = asyncio.get_running_loop().time()
        if self.scenarios is None or now - self._menus_checked < every_seconds:
            return 0
        self._menus_checked = now
        async with self.runtime.sessionmaker() as session:
            connections = list(await session.scalars(select(ChannelConnection).where(
                ChannelConnection.kind == "telegram", ChannelConnection.status == "active")))
        updated = 0
        for connection in connections:
            bot_info = await self.conversations.bot(connection.bot_id)
            if bot_info is None or bot_info.main_scenario_id is None:
                continue
            version = await self.scenarios.get_live_version(bot_info.main_scenario_id)
            if version is None or version.id == connection.commands_version_id:
                continue
            commands = scenario_commands(version.document)
            bot = await self._bot(connection)
            if await self._call(bot, connection, TelegramCall(
                    "setMyCommands", {"commands": [{"command": name, "description": text}
                                                   for name, text in commands]})) != "ok":
                continue
            await self._update(connection.id, commands_version_id=version.id)
            updated += 1
        return updated

    async def deliver_pending(self, limit: int = 200) -> int:
        """Start delivery for chats whose conversation has messages past what was delivered
        (after a restart, or for turns no update caused: timeouts, deferred jobs)."""
        async with self.runtime.sessionmaker() as session:
            rows = list(await session.execute(
                select(ChannelChat.connection_id, ChannelChat.chat_id)
                .join(Conversation, Conversation.id == ChannelChat.conversation_id)
                .where(Conversation.message_seq > ChannelChat.delivered_seq).limit(limit)))
        for connection_id, chat_id in rows:
            self.deliver_soon(connection_id, chat_id)
        return len(rows)


async def _shutdown(bot: Any) -> None:
    try:
        await bot.shutdown()
    except Exception:  # noqa: BLE001  (closing a client that is broken already)
        log.debug("channels.client_close_failed")


def _language(code: str | None) -> str | None:
    """Telegram's `language_code` (uk, en-US) as a language code, or None."""
    return code.split("-")[0].lower() if code else None
