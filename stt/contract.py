"""The speech service's contract: how the composition root builds it (`install`) and what
other services may call (`SttService.live` for a conversation's voice message)."""

from __future__ import annotations

from typing import Any

from stt.jobs import JobFailed, TranscriptionQueue
from stt.service import SttService

__all__ = ["JobFailed", "SttService", "install"]


def install(settings: Any, sessionmaker: Any, cache: Any = None) -> SttService:
    """The offline engine (faster-whisper; its model loaded on the first transcription) on
    two pools of workers: live voice messages and bulk uploads."""
    from stt.engines import WhisperEngine

    engine = WhisperEngine(settings.stt_whisper_model or None)
    queue = TranscriptionQueue([engine], cache=cache, live_workers=settings.stt_live_workers,
                               bulk_workers=settings.stt_bulk_workers)
    return SttService(sessionmaker, queue)
