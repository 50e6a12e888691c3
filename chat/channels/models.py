"""A bot's connections to messengers, and each messenger chat's conversation and delivery."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, utcnow


class ChannelConnection(IdMixin, Base):
    """A bot connected to a messenger. The token is encrypted at rest (`core.crypto`, bound
    to this row) and never returned or logged; the webhook's secret is kept as its SHA-256
    only (the messenger sends it back on every update; it is compared, never shown)."""

    __tablename__ = "channel_connections"
    __table_args__ = (UniqueConstraint("bot_id", "kind"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bots.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))          # "telegram"
    mode: Mapped[str] = mapped_column(String(16))          # "webhook" | "polling"
    token_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    token_key_id: Mapped[str] = mapped_column(String(16))
    token_hint: Mapped[str] = mapped_column(String(8))     # the token's last characters
    webhook_secret_sha256: Mapped[str | None] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(64))       # the bot's @username there
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | failed
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Messages given up for good (Telegram refused them), newest last, at most 50.
    dead_letters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The scenario version whose /commands Telegram's menu shows (refreshed after a publish).
    commands_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    sent: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChannelChat(Base):
    """One messenger chat: its current conversation, and how far its messages were
    delivered (history seq). Delivery reads the stored history past `delivered_seq`, so an
    answer stored is an answer that will be sent, whatever stops in between."""

    __tablename__ = "channel_chats"

    connection_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("channel_connections.id", ondelete="CASCADE"), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    delivered_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
