"""Bot endpoints."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from core.http import DbSession, Editor, Viewer, problem_responses
from core.types import Offset
from scenarios.bot import service
from scenarios.bot.schemas import BotCreate, BotPage, BotRead, BotUpdate

router = APIRouter(prefix="/api/v1/bots", tags=["bots"])


@router.get("", response_model=BotPage, responses=problem_responses(401))
async def list_bots(
    principal: Viewer, session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0,
):
    items, total = await service.get_all(session=session, org_id=principal.org_id,
                                         limit=limit, offset=offset)
    return BotPage(items=[BotRead.model_validate(b) for b in items], total=total)


@router.post("", response_model=BotRead, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def create_bot(body: BotCreate, principal: Editor, session: DbSession):
    return await service.create(session=session, org_id=principal.org_id, bot_in=body)


@router.get("/{bot_id}", response_model=BotRead, responses=problem_responses(401, 404))
async def get_bot(bot_id: uuid.UUID, principal: Viewer, session: DbSession):
    return await service.get_or_raise(session=session, org_id=principal.org_id, bot_id=bot_id)


@router.patch("/{bot_id}", response_model=BotRead,
              responses=problem_responses(401, 403, 404, 409, 422))
async def update_bot(bot_id: uuid.UUID, body: BotUpdate, principal: Editor, session: DbSession):
    bot = await service.get_or_raise(session=session, org_id=principal.org_id, bot_id=bot_id)
    return await service.update(session=session, bot=bot, bot_in=body)


@router.delete("/{bot_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404))
async def delete_bot(bot_id: uuid.UUID, principal: Editor, session: DbSession) -> Response:
    """Delete the bot with its scenarios and versions."""
    bot = await service.get_or_raise(session=session, org_id=principal.org_id, bot_id=bot_id)
    await service.delete(session=session, bot=bot)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
