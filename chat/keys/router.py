"""Chat key management: read and rotate a bot's public chat key."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel

from chat.dependencies import own_bot
from chat.keys import service
from core.http import DbSession, Editor, Viewer, problem_responses

router = APIRouter(prefix="/api/v1/bots/{bot_id}/chat-key", tags=["chat"])


class ChatKeyRead(BaseModel):
    bot_id: uuid.UUID
    key: str


@router.get("", response_model=ChatKeyRead, responses=problem_responses(401, 404))
async def get_chat_key(bot_id: uuid.UUID, request: Request, principal: Viewer,
                       session: DbSession):
    """The bot's public chat key (created on first read). It is meant for web pages: it
    lets a caller chat with this bot and nothing else."""
    await own_bot(request, bot_id, principal.org_id)
    key = await service.get(session=session, bot_id=bot_id)
    if key is None:
        key = await service.rotate(session=session, bot_id=bot_id,
                                   org_id=principal.org_id)
    return ChatKeyRead(bot_id=bot_id, key=key.key)


@router.post("/rotate", response_model=ChatKeyRead, responses=problem_responses(401, 403, 404))
async def rotate_chat_key(bot_id: uuid.UUID, request: Request, principal: Editor,
                          session: DbSession):
    """Replace the chat key; the old one stops working."""
    await own_bot(request, bot_id, principal.org_id)
    key = await service.rotate(session=session, bot_id=bot_id,
                               org_id=principal.org_id)
    return ChatKeyRead(bot_id=bot_id, key=key.key)
