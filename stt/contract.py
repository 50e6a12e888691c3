"""The speech service's contract: how the composition root builds it (`install`) and what
other services may call (`SttService.live` for a conversation's voice message)."""

from __future__ import annotations

from typing import Any

from stt.jobs import JobFailed, TranscriptionQueue
from stt.service import SttService

__all__ = ["JobFailed", "SttService", "install"]


def install(settings: Any, sessionmaker: Any, cache: Any = None,
            orchestrator: Any = None, redis: Any = None, reports: Any = None) -> SttService:
    """The configured engines (`stt_engines`: "whisper" by default, "google,whisper" for
    Google Cloud Speech with the offline engine as its fallback; models and clients are made
    on the first transcription) on two pools of workers: live voice messages and bulk
    uploads (with `redis`, uploads go through a stream every instance reads: stt.stream;
    `SttService.start` begins reading it). The `transcribe` block's executor goes on the orchestrator's engine; the chat
    service puts the speech service on the dispatcher (it knows where recordings are)."""
    from stt.blocks import EXECUTORS
    from stt.engines import build_engines

    if orchestrator is not None:
        orchestrator.engine.executors.register_missing(EXECUTORS)
    queue = TranscriptionQueue(build_engines(settings), cache=cache,
                               live_workers=settings.stt_live_workers,
                               bulk_workers=settings.stt_bulk_workers)
    uploads = None
    if redis is not None:
        from stt.stream import UploadStream

        uploads = UploadStream(redis, settings.redis_prefix, workers=settings.stt_bulk_workers)
    return SttService(sessionmaker, queue, uploads, reports)
