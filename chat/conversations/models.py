"""Conversation, message, turn and variable tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, utcnow


class Conversation(IdMixin, Base):
    __tablename__ = "conversations"
    __table_args__ = (Index(None, "bot_id", "end_user_id"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bots.id", ondelete="CASCADE"))
    scenario_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # pinned at start
    end_user_id: Mapped[str | None] = mapped_column(String(128))
    # Whose user-scoped variables this conversation reads: end_user_id, or for a person the
    # channel does not identify, this conversation alone.
    user_key: Mapped[str] = mapped_column(String(160))
    channel: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))  # active, waiting, handoff, ended
    state: Mapped[dict[str, Any]]
    message_seq: Mapped[int] = mapped_column(default=0)
    turn_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the scenario's timeout handler is due: armed while the conversation waits for the
    # person, cleared once it fired (it fires once per silence, not every period).
    timeout_at: Mapped[datetime | None] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]


class ConversationMessage(IdMixin, Base):
    """Everything said in a conversation, numbered per conversation: the person's messages
    (``in``), the bot's (``out``) and operators' (``operator``)."""

    __tablename__ = "conversation_messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int]
    direction: Mapped[str] = mapped_column(String(8))
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Turn(IdMixin, Base):
    """One inbound event and what it produced: the answer (replayed for a duplicate
    client_message_id) and the trace for debugging."""

    __tablename__ = "conversation_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),
                      UniqueConstraint("conversation_id", "client_message_id"))

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int]
    client_message_id: Mapped[str | None] = mapped_column(String(128))
    version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    event: Mapped[dict[str, Any]]
    response: Mapped[dict[str, Any]]
    trace: Mapped[list[Any]]
    errors: Mapped[list[Any]]
    variable_changes: Mapped[dict[str, Any]]
    duration_ms: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserVariables(Base):
    """User-scoped variables: they follow one end user across their conversations with a bot."""

    __tablename__ = "user_variables"

    bot_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("bots.id", ondelete="CASCADE"), primary_key=True)
    end_user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    values: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BotVariables(Base):
    """Bot-scoped variables, shared by every conversation of the bot."""

    __tablename__ = "bot_variables"

    bot_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("bots.id", ondelete="CASCADE"), primary_key=True)
    values: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
