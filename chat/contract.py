"""The chat service's public contract: the answer a turn produces, seeding a bot's chat key
(used by the first-start demo), and reading a conversation's transcript (LLM blocks give a
model the conversation so far)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chat.conversations.schemas import MessageOut, TurnAnswer
from core.runtime import Runtime

__all__ = [
    "HOT_ROUTES",
    "WS_MAX_VOICE_FRAME",
    "Transcript",
    "MessageOut",
    "TurnAnswer",
    "background",
    "ensure_chat_key",
    "fast_path",
]

HOT_ROUTES = frozenset({
    "/api/v1/conversations", "/api/v1/bots/{bot_id}/conversations",
    "/api/v1/conversations/{conversation_id}/messages",
})
"""The chat API's per-message routes: the access log keeps quiet about their successes (see
the `access_log` setting)."""

WS_MAX_VOICE_FRAME = 1024 * 1024 + 1024 + 1
"""The largest WebSocket frame the chat socket reads: a voice message (chat.voice
MAX_VOICE_BYTES, its header and a newline). The server's WebSocket limit is at least this."""


@asynccontextmanager
async def background(app: Any) -> AsyncIterator[None]:
    """The chat service's work beside requests: the inactivity sweeper and the messenger
    delivery sweeper while the app runs, and on shutdown, telling every socket to reconnect
    elsewhere."""
    from chat.dependencies import channels, conversation_service, realtime_hub
    from chat.timeouts import running_delivery, running_sweeper

    runtime: Runtime = app.state.runtime
    try:
        async with running_sweeper(conversation_service(app),
                                   runtime.settings.timeout_sweep_seconds), \
                running_delivery(channels(app), max(1.0, runtime.settings.timeout_sweep_seconds)):
            yield
    finally:
        try:
            await realtime_hub(app).close("shutdown")
        finally:
            await conversation_service(app).close()


async def ensure_chat_key(*, session: AsyncSession, bot_id: uuid.UUID, org_id: uuid.UUID,
                          key: str) -> None:
    """Give the bot exactly this chat key (idempotent)."""
    from chat.keys import service

    current = await service.get(session=session, bot_id=bot_id)
    if current is None or current.key != key:
        await service.rotate(session=session, bot_id=bot_id, org_id=org_id, key=key)


def fast_path() -> type:
    """The ASGI middleware answering chat-key messages without FastAPI's routing (see
    chat.conversations.fast_path); add it inside CORS and the observability middleware."""
    from chat.conversations.fast_path import ChatFastPath

    return ChatFastPath


MAX_TRANSCRIPT = 200


class Transcript:
    """The last messages said in a conversation, oldest first, as a model reads them: the
    person's as `user`, the bot's and operators' as `assistant`; messages without text (a
    photo, a button press without a label) are left out."""

    def __init__(self, sessionmaker: Any) -> None:
        self._sessionmaker = sessionmaker

    async def owner(self, conversation_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID] | None:
        """The conversation's organization and bot; None when there is no such conversation."""
        from sqlalchemy import select

        from chat.conversations.models import Conversation

        async with self._sessionmaker() as session:
            row = (await session.execute(select(Conversation.org_id, Conversation.bot_id)
                                         .where(Conversation.id == conversation_id))).first()
        return (row[0], row[1]) if row is not None else None

    async def __call__(self, conversation_id: uuid.UUID, limit: int) -> list[dict[str, str]]:
        from sqlalchemy import select

        from chat.conversations.models import ConversationMessage

        limit = max(0, min(limit, MAX_TRANSCRIPT))
        if limit == 0:
            return []
        async with self._sessionmaker() as session:
            rows = list(await session.execute(
                select(ConversationMessage.direction, ConversationMessage.body)
                .where(ConversationMessage.conversation_id == conversation_id)
                .order_by(ConversationMessage.seq.desc()).limit(limit)))
        out = []
        for direction, body in reversed(rows):
            text = body.get("text") if isinstance(body, dict) else None
            if isinstance(text, str) and text.strip():
                out.append({"role": "user" if direction == "in" else "assistant",
                            "content": text})
        return out
