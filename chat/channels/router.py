"""A bot's messenger connections (`/api/v1/bots/{bot_id}/channels`: the list; `.../telegram`
and `.../viber`: connect, status, disconnect; `.../{kind}/receipts`: what became of sent
messages; editors write, viewers read; a token is never returned) and the messengers'
webhooks: `/webhooks/telegram/{connection_id}` (403 without the connection's secret token)
and `/webhooks/viber/{connection_id}` (403 without the body's signature); 400 for a body that
is not an update, 200 once the update's turn is stored or the update is skipped."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy import select

from chat.channels import service
from chat.channels.errors import NotAnUpdate
from chat.channels.models import ChannelConnection
from chat.channels.viber import channel as viber
from chat.dependencies import channels, conversation_service, own_bot
from core.db import commit
from core.errors import InvalidInput, NotFound
from core.http import DbSession, Editor, RuntimeDep, Viewer, problem_responses

router = APIRouter(tags=["channels"])


class TelegramConnect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: SecretStr = Field(description="The bot's token from @BotFather; stored encrypted, "
                             "never returned.")
    mode: Literal["webhook", "polling"] = Field(
        "webhook", description="`webhook`: Telegram posts updates here (needs an address it "
        "reaches); `polling`: this platform asks for them (a laptop without one).")
    public_url: str | None = Field(
        None, max_length=500, pattern=r"^https?://[!-.0-~]+(/[!-~]*)?$",
        description="Where Telegram reaches this platform (ASCII: an international domain in "
        "its xn-- form); default ROZMOVA_PUBLIC_URL.")


class ViberConnect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: SecretStr = Field(description="The bot's token from the Viber admin panel; stored "
                             "encrypted, never returned.")
    public_url: str | None = Field(
        None, max_length=500, pattern=r"^https?://[!-.0-~]+(/[!-~]*)?$",
        description="Where Viber reaches this platform (Viber needs https; ASCII: an "
        "international domain in its xn-- form); default ROZMOVA_PUBLIC_URL.")


class Receipt(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    message_token: str = Field(description="The messenger's id of the message (Viber's is a "
                               "64-bit integer, given as text to stay exact).")
    chat_id: str
    seq: int = Field(description="The conversation history's seq of the message.")
    status: Literal["sent", "delivered", "seen", "failed"]
    reason: str | None
    updated_at: datetime


class DeadLetter(BaseModel):
    at: datetime
    method: str
    chat_id: str | None
    seq: int | None
    reason: str


class ChannelRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bot_id: uuid.UUID
    kind: str
    mode: Literal["webhook", "polling"]
    account: str = Field(description="The bot's @username on Telegram, its name on Viber.")
    token_hint: str = Field(description="The token's last four characters.")
    status: Literal["active", "failed"]
    last_error: str | None
    dead_letters: list[DeadLetter] = Field(
        description="Messages given up for good (the messenger refused them), newest last, at "
        "most 50: when, which chat and history seq, which call, and why.")
    received: int = Field(description="Updates accepted (a resend of one included); the "
                          "counters are written about every second.")
    sent: int = Field(description="Messages delivered.")
    created_at: datetime
    updated_at: datetime


Kind = Literal["telegram", "viber"]
_NAMES = {"telegram": "Telegram", "viber": "Viber"}


async def _connection(session: Any, bot_id: uuid.UUID, kind: str = "telegram"
                      ) -> ChannelConnection:
    connection = await session.scalar(select(ChannelConnection).where(
        ChannelConnection.bot_id == bot_id, ChannelConnection.kind == kind))
    if connection is None:
        raise NotFound(f"the bot is not connected to {_NAMES.get(kind, kind)}")
    return connection


def _token(secret: SecretStr, example: str) -> str:
    token = secret.get_secret_value().strip()
    if not token or len(token) > 100 or not token.isascii() or not token.isprintable() \
            or any(c.isspace() for c in token):
        raise InvalidInput("that is not a bot token", errors=[
            {"path": "/token", "message": f"a token looks like {example}"}])
    return token


@router.get("/api/v1/bots/{bot_id}/channels", response_model=list[ChannelRead],
            responses=problem_responses(401, 404), summary="The bot's messenger connections")
async def list_channels(bot_id: uuid.UUID, request: Request, principal: Viewer,
                        session: DbSession):
    await own_bot(request, bot_id, principal.org_id)
    return list(await session.scalars(select(ChannelConnection).where(
        ChannelConnection.bot_id == bot_id).order_by(ChannelConnection.kind)))


@router.put("/api/v1/bots/{bot_id}/channels/telegram", response_model=ChannelRead,
            responses=problem_responses(401, 403, 404, 422),
            summary="Connect the bot to Telegram (or replace its connection)")
async def connect_telegram(bot_id: uuid.UUID, body: TelegramConnect, request: Request,
                           principal: Editor, session: DbSession, runtime: RuntimeDep):
    """Checks the token with Telegram (getMe) and, in webhook mode, sets the webhook with a
    new secret token. People then chat with the bot's published scenario in Telegram."""
    await own_bot(request, bot_id, principal.org_id)
    token = _token(body.token, "123456:ABC-DEF…")
    version = await _live_version(request, bot_id)
    connection = await service.connect_telegram(
        runtime=runtime, session=session, org_id=principal.org_id, bot_id=bot_id,
        token=token, mode=body.mode, public_url=body.public_url,
        commands=service.scenario_commands(version.document if version else None),
        commands_version_id=version.id if version else None)
    await commit(session)  # before the answer, and before this instance reads it again
    channels(request.app).forget(connection.id)
    return connection


@router.get("/api/v1/bots/{bot_id}/channels/telegram", response_model=ChannelRead,
            responses=problem_responses(401, 404), summary="The bot's Telegram connection")
async def get_telegram(bot_id: uuid.UUID, request: Request, principal: Viewer,
                       session: DbSession):
    """Status, last error and counters; never the token."""
    await own_bot(request, bot_id, principal.org_id)
    return await _connection(session, bot_id)


@router.delete("/api/v1/bots/{bot_id}/channels/telegram", status_code=204,
               responses=problem_responses(401, 403, 404),
               summary="Disconnect the bot from Telegram")
async def disconnect_telegram(bot_id: uuid.UUID, request: Request, principal: Editor,
                              session: DbSession, runtime: RuntimeDep) -> Response:
    await own_bot(request, bot_id, principal.org_id)
    connection = await _connection(session, bot_id)
    await service.disconnect(runtime=runtime, session=session, connection=connection)
    await commit(session)
    channels(request.app).forget(connection.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/api/v1/bots/{bot_id}/channels/viber", response_model=ChannelRead,
            responses=problem_responses(401, 403, 404, 422, 503),
            summary="Connect the bot to Viber (or replace its connection)")
async def connect_viber(bot_id: uuid.UUID, body: ViberConnect, request: Request,
                        principal: Editor, session: DbSession, runtime: RuntimeDep):
    """Checks the token with Viber (get_account_info) and sets the webhook. People then chat
    with the bot's published scenario in Viber."""
    await own_bot(request, bot_id, principal.org_id)
    connection = await viber.connect_viber(
        runtime=runtime, session=session, org_id=principal.org_id, bot_id=bot_id,
        token=_token(body.token, "4a1b2c3d4e5f6a7b-…"), public_url=body.public_url,
        context=service.token_context)
    await commit(session)
    channels(request.app).forget(connection.id)
    return connection


@router.get("/api/v1/bots/{bot_id}/channels/viber", response_model=ChannelRead,
            responses=problem_responses(401, 404), summary="The bot's Viber connection")
async def get_viber(bot_id: uuid.UUID, request: Request, principal: Viewer,
                    session: DbSession):
    """Status, last error and counters; never the token."""
    await own_bot(request, bot_id, principal.org_id)
    return await _connection(session, bot_id, "viber")


@router.delete("/api/v1/bots/{bot_id}/channels/viber", status_code=204,
               responses=problem_responses(401, 403, 404),
               summary="Disconnect the bot from Viber")
async def disconnect_viber(bot_id: uuid.UUID, request: Request, principal: Editor,
                           session: DbSession, runtime: RuntimeDep) -> Response:
    await own_bot(request, bot_id, principal.org_id)
    connection = await _connection(session, bot_id, "viber")
    await service.disconnect(runtime=runtime, session=session, connection=connection)
    await commit(session)
    channels(request.app).forget(connection.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/v1/bots/{bot_id}/channels/{kind}/receipts", response_model=list[Receipt],
            responses=problem_responses(401, 404, 422),
            summary="What became of messages sent through a messenger")
async def list_receipts(bot_id: uuid.UUID, kind: Kind, request: Request, principal: Viewer,
                        session: DbSession,
                        chat_id: Annotated[str | None, Query(max_length=64)] = None,
                        limit: Annotated[int, Query(ge=1, le=500)] = 50):
    """Newest first: each sent message's token there, its chat and history seq, and how far
    it got (Viber reports delivered, seen and failed; Telegram reports nothing, so its list
    stays empty)."""
    await own_bot(request, bot_id, principal.org_id)
    connection = await _connection(session, bot_id, kind)
    return list(await session.scalars(viber.receipts_query(connection.id, chat_id, limit)))


@router.post("/webhooks/viber/{connection_id}", include_in_schema=False)
async def viber_webhook(
    connection_id: uuid.UUID, request: Request,
    signature: Annotated[str | None, Header(alias="X-Viber-Content-Signature")] = None,
) -> Response:
    welcome = await channels(request.app).viber.callback(
        connection_id, await request.body(), signature)
    return Response(orjson.dumps(welcome or {}), media_type="application/json")


@router.post("/webhooks/telegram/{connection_id}", include_in_schema=False)
async def telegram_webhook(
    connection_id: uuid.UUID, request: Request,
    secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> Response:
    try:
        data = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise NotAnUpdate("the body is not JSON") from None
    await channels(request.app).telegram_update(connection_id, secret, data)
    return Response(b"{}", media_type="application/json")


async def _live_version(request: Request, bot_id: uuid.UUID) -> Any:
    """The bot's live main scenario version (its /commands make Telegram's menu), or None."""
    bot = await conversation_service(request.app).bot(bot_id)
    if bot is None or bot.main_scenario_id is None:
        return None
    return await request.app.state.clients["scenarios"].get_live_version(bot.main_scenario_id)
