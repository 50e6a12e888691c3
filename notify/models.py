"""Where an organization's notices go: its targets (e-mail through its SMTP server, or a
webhook), each for some events and all its bots or one. Credentials stay in the
organization's secrets; a target names them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin


class NotificationTarget(IdMixin, TimestampMixin, Base):
    __tablename__ = "notification_targets"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))        # email, webhook
    events: Mapped[list[Any]]                             # handoff, report, conversation_failed, recording_report
    bot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # None: every bot
    # email
    host: Mapped[str | None] = mapped_column(String(255))
    port: Mapped[int | None]
    sender: Mapped[str | None] = mapped_column(String(320))
    recipients: Mapped[list[Any]]
    username: Mapped[str | None] = mapped_column(String(255))
    starttls: Mapped[bool] = mapped_column(default=False)
    use_tls: Mapped[bool] = mapped_column(default=False)
    # webhook
    url: Mapped[str | None] = mapped_column(String(2048))
    # The secret holding the SMTP password, or the webhook's signing key.
    secret: Mapped[str | None] = mapped_column(String(64))
