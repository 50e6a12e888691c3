"""The chat key table."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid, inspect
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, cached_as, utcnow


class ChatKey(Base):
    """A bot's public chat key. It is public by design (it sits in a web page), so it is
    stored as is; it only lets a caller talk to that one bot, never manage it."""

    __tablename__ = "chat_keys"

    bot_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("bots.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def chat_key_cache_key(key: str) -> str:
    return f"chat-key:{key}"


def _cache_keys(row: ChatKey) -> list[str]:
    # A rotation changes the key: both the old key (now unknown) and the new one (perhaps
    # cached as unknown) must be dropped.
    history = inspect(row).attrs.key.history
    keys = {row.key, *(history.deleted or ())}
    return [chat_key_cache_key(k) for k in keys if k]


cached_as(ChatKey, _cache_keys)
