"""The bot table."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, cached_as


class Bot(IdMixin, TimestampMixin, Base):
    __tablename__ = "bots"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(2000))
    default_language: Mapped[str] = mapped_column(String(8))
    languages: Mapped[list[Any]]
    settings: Mapped[dict[str, Any]]
    # The scenario a new conversation starts in; the bot's first scenario by default. No
    # foreign key: bots and scenarios would reference each other in a cycle; the service
    # clears it when that scenario is deleted.
    main_scenario_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


# Instances cache bot facts (languages, settings, main scenario) for every turn; any change
# to the row drops those copies everywhere when it commits.
cached_as(Bot, lambda bot: [bot_cache_key(bot.id)])


BOT_CACHE_PREFIX = "bot:"


def bot_cache_key(bot_id: uuid.UUID) -> str:
    return f"{BOT_CACHE_PREFIX}{bot_id}"
