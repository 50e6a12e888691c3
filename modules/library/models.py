"""Module and module-version tables. A version row is immutable once written."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, Uuid, event
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class Module(IdMixin, TimestampMixin, Base):
    """An organization's module: its name, and the draft being edited."""

    __tablename__ = "org_modules"
    # The unique index leads with org_id, so it also serves an organization's listing.
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(2000), default="")
    code: Mapped[str] = mapped_column(Text)
    input_schema: Mapped[dict[str, Any]]
    output_schema: Mapped[dict[str, Any]]
    test_cases: Mapped[list[Any]]
    # Bumped by every draft save; a save must name the revision it started from (If-Match).
    revision: Mapped[int] = mapped_column(default=1)
    latest_version: Mapped[int] = mapped_column(default=0)
    # Results kept per input for this long (0: never): for modules whose output depends on
    # their input alone.
    cache_seconds: Mapped[int] = mapped_column(default=0, server_default="0")


class ModuleVersion(IdMixin, Base):
    __tablename__ = "org_module_versions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_modules.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    code: Mapped[str] = mapped_column(Text)
    input_schema: Mapped[dict[str, Any]]
    output_schema: Mapped[dict[str, Any]]
    changelog: Mapped[str] = mapped_column(Text, default="")
    cache_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    published_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(ModuleVersion, "before_update")
def _versions_are_immutable(_mapper: Any, _connection: Any, target: ModuleVersion) -> None:
    # Running conversations call a version by number; changing it would change their bots.
    raise RuntimeError(f"module version {target.number} is immutable")
