"""Trained intent models, stored so that a model is trained once (on publish, or on the first
message that needs it) and every instance and every restart loads it instead of training
again. A model is named by the digest of its training data: the versions (and blocks) that
share intents share it, and a new version's model never replaces an older one's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class IntentModel(Base):
    __tablename__ = "nlu_models"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # training, ready, failed
    progress: Mapped[float] = mapped_column(default=0.0)
    phase: Mapped[str] = mapped_column(String(32), default="")
    examples: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[float | None]
    warnings: Mapped[list[Any]]
    error: Mapped[str | None] = mapped_column(String(500))
    blob: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
