"""The speech service's table: recordings uploaded for transcription, their state and their
transcripts (the audio itself is not kept: it lives in the job while it runs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class Transcription(IdMixin, TimestampMixin, Base):
    """One uploaded recording: queued, running, done (with its transcript) or failed (with
    a reason the uploader can act on)."""

    __tablename__ = "transcriptions"

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    language: Mapped[str | None] = mapped_column(String(16))
    bytes: Mapped[int] = mapped_column(default=0)
    audio_sha256: Mapped[str] = mapped_column(String(64))
    progress: Mapped[float] = mapped_column(default=0.0)
    text: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None]  # words with times and confidence, the engine
    error_code: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[datetime | None]


class SpeechSettings(Base):
    """An organization's choice of speech engines: the order they are asked in (the first,
    then its fallbacks), among those this server runs. No row: the server's order."""

    __tablename__ = "speech_settings"

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    engines: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
