"""Viber connections: connecting a bot (token checked with get_account_info, webhook set),
the webhook (signature checked, callback parsed, turn run, 200 only once it is stored), and
delivery of what the turns said.

Delivery works as Telegram's does (`chat.channels.service`: the stored history past the
chat's `delivered_seq`, under the chat's delivery lock), with Viber's rules:

- A person who opens the bot's chat is not subscribed yet, and Viber lets the bot answer that
  `conversation_started` with one message only, in the webhook's own answer: the start turn
  is folded into that one welcome message, and marked delivered once the answer is built.
- A person who has not subscribed, or unsubscribed, is sent nothing: their messages are passed
  over (Viber refuses them anyway) until they write again, which subscribes them.
- Each sent message's token is kept (`channel_receipts`) and Viber's `delivered`, `seen`
  and `failed` callbacks are recorded against it; a failed one is also a dead letter.
- `tooManyRequests` and a Viber that does not answer are retried with backoff and jitter; a
  refused token (invalid, blocked, suspended account) marks the connection failed; a message
  Viber refuses (bad data) is a dead letter, so one bad message cannot block a chat."""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.channels.errors import NotAnUpdate
from chat.channels.history import message_of, request_of
from chat.channels.models import ChannelChat, ChannelConnection, ChannelReceipt
from chat.channels.viber.client import (
    TOKEN_REFUSED,
    TOO_MANY,
    UNREACHABLE,
    ViberClient,
    ViberError,
    ViberUnavailable,
)
from chat.channels.viber.inbound import (
    CallbackError,
    Receipt,
    Skipped,
    Subscription,
    ViberInbound,
    parse_callback,
    verified,
)
from chat.channels.viber.outbound import ViberSend, render, welcome
from chat.conversations.models import Turn
from core.crypto import Encryptor
from core.db import transaction
from core.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RozmovaError,
    ServiceUnavailable,
)
from core.logging import get_logger
from core.runtime import Runtime
from orchestrator.contract import InputRequest, OutboundMessage

if TYPE_CHECKING:
    from chat.channels.service import Channels

log = get_logger("rozmova.channels.viber")

SEND_TRIES = 4
# Viber publishes no per-second limit for bots (it answers `tooManyRequests` past its own,
# which is backed off): this keeps one busy bot's bursts within reason.
BOT_RATE = 100.0
EVENT_TYPES = ["delivered", "seen", "failed", "subscribed", "unsubscribed",
               "conversation_started"]
_PROGRESS = {"sent": 0, "delivered": 1, "seen": 2, "failed": 3}
WEBHOOK_NOT_SET = 10


def viber_client(runtime: Runtime, token: str) -> ViberClient:
    return ViberClient(runtime.settings.viber_api_url, token)


async def connect_viber(*, runtime: Runtime, session: AsyncSession, org_id: uuid.UUID,
                        bot_id: uuid.UUID, token: str, public_url: str | None,
                        context: Any) -> ChannelConnection:
    """Check the token (get_account_info) and set the webhook (Viber checks it at once with a
    `webhook` callback, which the webhook answers before this connection is stored);
    replaces an earlier Viber connection of the bot. `context(connection_id)` makes the
    token's encryption context."""
    base = (public_url or runtime.settings.public_url or "").rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise InvalidInput("Viber posts to a webhook: give public_url (the address Viber "
                           "reaches this platform at), or set ROZMOVA_PUBLIC_URL", errors=[
                               {"path": "/public_url", "message": "required for Viber"}])
    existing = await session.scalar(select(ChannelConnection).where(
        ChannelConnection.bot_id == bot_id, ChannelConnection.kind == "viber"))
    connection = existing or ChannelConnection(id=uuid.uuid4(), org_id=org_id, bot_id=bot_id,
                                               kind="viber")
    client = viber_client(runtime, token)
    try:
        account = await client.call("get_account_info")
        await client.call("set_webhook", {
            "url": f"{base}/webhooks/viber/{connection.id}", "event_types": EVENT_TYPES,
            "send_name": True, "send_photo": False})
    except ViberError as exc:
        if exc.status in TOKEN_REFUSED:
            raise InvalidInput("Viber refused the token (check it in the Viber admin panel)",
                               errors=[{"path": "/token", "message": exc.message}]) from None
        raise InvalidInput(f"Viber answered: {exc.message}") from None
    except ViberUnavailable as exc:
        raise ServiceUnavailable(f"Viber did not answer ({exc}); try again shortly") from None
    finally:
        await client.shutdown()
    encryptor = Encryptor.from_settings(runtime.settings)
    connection.mode = "webhook"
    connection.token_ciphertext = encryptor.encrypt(token.encode(),
                                                    context=context(connection.id))
    connection.token_key_id = encryptor.key_id
    connection.token_hint = token[-4:]
    connection.webhook_secret_sha256 = None  # Viber signs each callback with the token
    connection.account = str(account.get("name") or "Viber bot")[:64]
    connection.status, connection.last_error = "active", None
    if existing is None:
        session.add(connection)
    await session.flush()
    log.info("channels.connected", bot_id=str(bot_id), kind="viber",
             account=connection.account)
    return connection


async def disconnect_viber(runtime: Runtime, token: str) -> None:
    client = viber_client(runtime, token)
    try:
        await client.call("set_webhook", {"url": ""})  # Viber's way to remove it
    except (ViberError, ViberUnavailable) as exc:  # a revoked token has no webhook to remove
        log.info("channels.disconnect_unacknowledged", error=str(exc))
    finally:
        await client.shutdown()


class ViberChannel:
    """The Viber half of an app's channel layer (`Channels` keeps what both share)."""

    def __init__(self, channels: Channels) -> None:
        self.channels = channels
        self.runtime = channels.runtime

    async def client(self, connection: ChannelConnection) -> ViberClient:
        async def make(token: str) -> ViberClient:
            return viber_client(self.runtime, token)

        return await self.channels.client(connection, make)

    async def media(self, payload: Any, max_bytes: int) -> bytes:
        """A file the person sent (its `media` URL, from a signed callback): downloaded
        over HTTPS (or from the configured API's own host: the fake in tests), at most
        `max_bytes`, no redirects."""
        import httpx

        from orchestrator.extension import ServiceCallError

        url = payload.get("media") if isinstance(payload, dict) else None
        if not isinstance(url, str):
            raise ServiceCallError("the message names no file")
        own = httpx.URL(self.runtime.settings.viber_api_url)
        target = httpx.URL(url)
        if target.scheme != "https" and target.host != own.host:
            raise ServiceCallError("Viber's files are fetched over HTTPS only")
        data = bytearray()
        async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0),
                                     follow_redirects=False, trust_env=False) as http:
            try:
                async with http.stream("GET", target) as response:
                    if response.status_code != 200:
                        raise ServiceCallError(f"Viber's file answered HTTP "
                                               f"{response.status_code}")
                    async for chunk in response.aiter_bytes():
                        data += chunk
                        if len(data) > max_bytes:
                            raise ServiceCallError(
                                f"the file is over {max_bytes // 1024} KB")
            except httpx.HTTPError as exc:
                raise ServiceCallError(f"Viber's file could not be fetched: "
                                       f"{type(exc).__name__}") from None
        return bytes(data)

    # --- the webhook ------------------------------------------------------------------------

    async def callback(self, connection_id: uuid.UUID, raw: bytes,
                       signature: str | None) -> dict[str, Any] | None:
        """Handle one callback; returns the welcome message to answer it with, if any.
        Raises NotFound (no such connection), Forbidden (wrong signature), NotAnUpdate (not
        a callback). Returns only once what it acknowledges is stored."""
        try:
            # orjson: message tokens (past 2^53, within 64 bits) stay exact ints; a lone
            # surrogate (which no encoder could store back) or nesting past 1,024 levels is
            # refused here rather than failing later.
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise NotAnUpdate(f"the body is not JSON that can be stored: {exc}"[:300]) from None
        if isinstance(data, dict) and data.get("event") == "webhook":
            # Viber's check while set_webhook runs, before the connection is stored: it
            # changes nothing and reveals nothing, so it is answered without a lookup.
            return None
        connection = await self.channels.connection(connection_id)
        if connection is None or connection.kind != "viber":
            raise NotFound("no such Viber connection (disconnected?)")
        if not verified(self.channels.token(connection), raw, signature):
            raise Forbidden("the callback's X-Viber-Content-Signature is wrong")
        try:
            parsed = parse_callback(data)
        except CallbackError as exc:
            raise NotAnUpdate(str(exc)) from None
        if isinstance(parsed, Skipped):
            log.info("channels.callback_skipped", reason=parsed.reason)
            return None
        if isinstance(parsed, Subscription):
            known = await self.channels.subscribe(connection.id, parsed.user_id,
                                                  parsed.subscribed)
            log.info("channels.subscription", subscribed=parsed.subscribed, known_chat=known)
            return None
        if isinstance(parsed, Receipt):
            await self._receipt(connection, parsed)
            return None
        try:
            if parsed.starts and not parsed.subscribed:
                return await self._welcome(connection, parsed)
            if parsed.starts and await self._has_chat(connection.id, parsed.chat_id):
                return None  # a subscriber reopened the chat: their conversation goes on
            await self.channels.handle(connection, parsed)
        except ServiceUnavailable:
            raise  # 503: Viber sends the callback again later
        except RozmovaError as exc:
            log.warning("channels.update_failed", error=exc.detail)
        return None

    async def _has_chat(self, connection_id: uuid.UUID, chat_id: str) -> bool:
        async with self.runtime.sessionmaker() as session:
            return await session.get(ChannelChat, (connection_id, chat_id)) is not None

    async def _welcome(self, connection: ChannelConnection,
                       inbound: ViberInbound) -> dict[str, Any] | None:
        """Start the conversation and fold its first turn into the one message Viber lets a
        bot send someone who has not subscribed: the answer to `conversation_started`."""
        key = (connection.id, inbound.chat_id)
        # False for a resend (Viber had no 200 for the first, or lost it): the same welcome
        # again, from the stored start turn; nothing is started or marked twice.
        started = await self.channels.handle(connection, inbound, deliver=False)
        async with self.runtime.sessionmaker() as session:
            chat = await session.get(ChannelChat, key)
            first = None if chat is None else await session.scalar(
                select(Turn.response).where(Turn.conversation_id == chat.conversation_id)
                .order_by(Turn.seq).limit(1))
        if not isinstance(first, dict):
            return None
        said = [m for m in first.get("messages") or [] if isinstance(m, dict)]
        body = welcome([message_of(m) for m in said], request_of(first),
                       sender=connection.account)
        if started:
            last = max((m["seq"] for m in said if isinstance(m.get("seq"), int)), default=0)
            # Answered here, so marked delivered. No delivery lock is needed: the chat is
            # not subscribed, so a sweep that finds it meanwhile sends nothing either.
            if last:
                await self.channels.delivered(connection.id, inbound.chat_id, last)
            if body is not None:
                self.channels.count(connection.id, sent=1)
        return body

    async def _receipt(self, connection: ChannelConnection, receipt: Receipt) -> None:
        async with transaction(self.runtime.sessionmaker) as session:
            row = await session.get(ChannelReceipt, (connection.id, str(receipt.message_token)))
            if row is None:
                log.info("channels.receipt_unknown", status=receipt.status)
                return
            if row.status == "failed" or _PROGRESS[receipt.status] <= _PROGRESS[row.status]:
                return  # late or repeated: a message seen stays seen
            row.status, row.reason = receipt.status, receipt.reason
            where = (row.chat_id, row.seq)
        if receipt.status == "failed":
            await self.channels.note(
                connection, f"Viber could not deliver it: {receipt.reason or 'no reason given'}",
                dead=(where, "send_message"))

    # --- delivery -------------------------------------------------------------------------

    def sayer(self, client: ViberClient, connection: ChannelConnection, chat_id: str) -> Any:
        """Viber's `say` for the chat (see `chat.channels.service.Say`): a stored message
        as its send_message calls; the tokens Viber gives them are kept as receipts."""
        async def say(message: OutboundMessage, request: InputRequest | None,
                      seq: int) -> tuple[str, list[str]]:
            tokens: list[str] = []
            for send in render([message], request, sender=connection.account):
                outcome, token = await self._send(client, connection, chat_id, send, seq)
                if outcome in ("stop", "unreachable"):
                    return outcome, tokens
                if token is not None:
                    tokens.append(token)
            return "ok", tokens

        return say

    async def _send(self, client: ViberClient, connection: ChannelConnection, chat_id: str,
                    send: ViberSend, seq: int) -> tuple[str, str | None]:
        """One send_message with Viber's rules for retrying: ("ok", its token), ("skip",
        None) (refused for good: a dead letter), ("unreachable", None) (the person is not
        subscribed or has no Viber now) or ("stop", None) (nothing more can be sent now)."""
        if send.wait_seconds:
            await asyncio.sleep(min(send.wait_seconds, 5.0))
        pace = self.channels.pace(connection.id, BOT_RATE)
        for attempt in range(SEND_TRIES):
            await pace.wait()
            try:
                answer = await client.call("send_message", {"receiver": chat_id, **send.body})
            except ViberUnavailable as exc:
                problem = str(exc)
            except ViberError as exc:
                if exc.status in TOKEN_REFUSED:
                    await self.channels.fail(connection,
                                             f"Viber refused the token ({exc.message})")
                    return "stop", None
                if exc.status in UNREACHABLE:
                    log.info("channels.chat_unreachable", error=exc.message)
                    return "unreachable", None
                if exc.status == WEBHOOK_NOT_SET:
                    await self.channels.note(connection, "Viber has no webhook for the bot: "
                                             "connect it again")
                    return "stop", None
                if exc.status != TOO_MANY:
                    await self.channels.note(connection, f"send_message refused: {exc}",
                                             dead=((chat_id, seq), "send_message"))
                    return "skip", None
                problem = str(exc)
            else:
                token = answer.get("message_token")
                return "ok", (str(token) if isinstance(token, int) and
                              not isinstance(token, bool) else None)
            if attempt == SEND_TRIES - 1:
                await self.channels.note(connection, f"send_message failed: {problem}")
                return "stop", None
            await asyncio.sleep(min(8.0, 0.25 * 2 ** attempt) * (0.5 + random.random()))
        return "stop", None


def receipts_query(connection_id: uuid.UUID, chat_id: str | None, limit: int) -> Any:
    query = select(ChannelReceipt).where(ChannelReceipt.connection_id == connection_id)
    if chat_id is not None:
        query = query.where(ChannelReceipt.chat_id == chat_id)
    return query.order_by(ChannelReceipt.updated_at.desc()).limit(limit)

