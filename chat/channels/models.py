"""A bot's connections to messengers, and each messenger chat's conversation and delivery."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
    true,
)
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
    kind: Mapped[str] = mapped_column(String(16))          # "telegram" | "viber"
    mode: Mapped[str] = mapped_column(String(16))          # "webhook" | "polling" (Telegram)
    token_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    token_key_id: Mapped[str] = mapped_column(String(16))
    token_hint: Mapped[str] = mapped_column(String(8))     # the token's last characters
    webhook_secret_sha256: Mapped[str | None] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(64))       # @username (Telegram), name (Viber)
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
    # Viber: whether the person is subscribed (sends to one who is not are passed over).
    subscribed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The update that started the current conversation (/start, conversation_started): a
    # resend of it is recognised and does not start another.
    started_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChannelReceipt(Base):
    """A message sent to a messenger that reports on it (Viber): its token there, which
    chat and history seq it said, and how far it got (sent, delivered, seen, failed)."""

    __tablename__ = "channel_receipts"
    __table_args__ = (Index("ix_channel_receipts_chat", "connection_id", "chat_id", "seq"),)

    connection_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("channel_connections.id", ondelete="CASCADE"), primary_key=True)
    # Viber's message_token: a 64-bit integer, kept as its decimal text (exact everywhere).
    message_token: Mapped[str] = mapped_column(String(24), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="sent")
    reason: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
