"""The LLM service's tables: an organization's model providers (where a model is reached and
with which of the organization's secrets) and what the organization's bots spent on them, per
day (tokens and cost), which quotas and reports read."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class LlmProvider(IdMixin, TimestampMixin, Base):
    """A model an organization's scenarios may call by `name`: its kind (openai, azure,
    gemini, anthropic, or any OpenAI-compatible server), the model, the address, the secret
    that holds its key (never the key itself) and the providers to fall back to."""

    __tablename__ = "llm_providers"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200))
    api_base: Mapped[str | None] = mapped_column(String(500))
    api_version: Mapped[str | None] = mapped_column(String(32))
    secret: Mapped[str | None] = mapped_column(String(64))
    fallbacks: Mapped[list[Any]]
    timeout_seconds: Mapped[float] = mapped_column(default=30.0)
    # Dollars per million tokens, for the organization's own accounting where the model's
    # price is not in litellm's table (a local server: 0).
    input_cost: Mapped[float | None]
    output_cost: Mapped[float | None]
    # The provider's own limits (None: none): calls in flight on one server (a bulkhead),
    # and calls a minute across servers. A call past them goes to the fallbacks.
    max_concurrency: Mapped[int | None]
    calls_per_minute: Mapped[int | None]


class LlmUsage(Base):
    """Tokens and cost per organization, bot, provider and UTC day."""

    __tablename__ = "llm_usage"
    __table_args__ = (UniqueConstraint("org_id", "bot_id", "provider", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"))
    bot_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    provider: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    calls: Mapped[int] = mapped_column(default=0)
    cached: Mapped[int] = mapped_column(default=0)
    # A busy bot's day can pass 2^31 tokens: 64-bit sums.
    prompt_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    completion_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    cost: Mapped[float] = mapped_column(default=0.0)


class LlmQuota(Base):
    """An organization's limits on models: calls per minute, tokens per day, dollars per
    month (UTC). None: no limit."""

    __tablename__ = "llm_quotas"

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    calls_per_minute: Mapped[int | None]
    tokens_per_day: Mapped[int | None] = mapped_column(BigInteger)  # up to 10^12
    cost_per_month: Mapped[float | None]
    # Each bot's own share: one runaway bot cannot use up the organization's day.
    bot_tokens_per_day: Mapped[int | None] = mapped_column(BigInteger)


class LlmReport(IdMixin, Base):
    """A conversation summed up by a model (the `report` block), in the conversation's
    language, for the people who follow up on it."""

    __tablename__ = "llm_reports"

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    conversation_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    block_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    messages: Mapped[int] = mapped_column(default=0)  # how many it summed up
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
