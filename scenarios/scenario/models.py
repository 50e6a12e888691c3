"""Scenario, version and preview tables. A version row is immutable once written; so is a
preview (a draft revision as an author tests it, never published)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, Uuid, event
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class Scenario(IdMixin, TimestampMixin, Base):
    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("bot_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    bot_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("bots.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(2000))
    draft: Mapped[dict[str, Any]]
    # Bumped by every draft save; a save must name the revision it started from (If-Match).
    revision: Mapped[int] = mapped_column(default=1)
    latest_version: Mapped[int] = mapped_column(default=0)
    live_version: Mapped[int | None]


class ScenarioVersion(IdMixin, Base):
    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    bot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bots.id", ondelete="CASCADE"))
    scenario_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    document: Mapped[dict[str, Any]]
    document_hash: Mapped[str] = mapped_column(String(64))
    changelog: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(80))
    rolled_back_from: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(ScenarioVersion, "before_update")
def _versions_are_immutable(_mapper: Any, _connection: Any, target: ScenarioVersion) -> None:
    # Conversations pin a version; changing one under them would change a running bot.
    raise RuntimeError(f"scenario version {target.number} is immutable")


class ScenarioPreview(IdMixin, Base):
    """A draft revision frozen for testing: a preview conversation runs it as it would a
    version (pinned by id), without publishing anything. One per scenario and revision."""

    __tablename__ = "scenario_previews"
    __table_args__ = (UniqueConstraint("scenario_id", "revision"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    bot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bots.id", ondelete="CASCADE"))
    scenario_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int]
    document: Mapped[dict[str, Any]]
    document_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(ScenarioPreview, "before_update")
def _previews_are_immutable(_mapper: Any, _connection: Any, target: ScenarioPreview) -> None:
    raise RuntimeError(f"the preview of revision {target.revision} is immutable")
