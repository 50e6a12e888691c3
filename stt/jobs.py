"""Transcription jobs with priorities: a person waiting in a live conversation first, bulk
uploads after, each kind on its own worker pool, so that fifty long recordings queued never
delay a live voice message by more than the machine's sharing of its cores.

A job normalises its audio (ffmpeg, stt.audio), then runs the engine (CPU-bound, in the
pool's threads: CTranslate2 releases the GIL while it computes). Results are kept by the
audio's hash, engine and language (the shared cache: Redis when configured), so the same
recording is transcribed once. A failing engine is retried with backoff (twice), then the
fallback engine is asked (when one is configured), then the job fails with the reason.

This is the embedded mode's queue (in process): jobs under way are lost with the process
(an upload's row says so when the server starts again; see stt.service). The distributed
mode's queue (a Redis stream with consumer groups) takes the same jobs."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
import structlog
from prometheus_client import Counter, Gauge, Histogram

from core.metrics import registry

log = structlog.get_logger(__name__)

Priority = Literal["live", "bulk"]
CACHE_PREFIX = "stt:result:"
CACHE_SECONDS = 7 * 86_400
RETRIES = 2

jobs_total = Counter("rozmova_stt_jobs", "Transcription jobs by priority and outcome.",
                     ["priority", "outcome"], registry=registry)
waiting = Gauge("rozmova_stt_waiting", "Transcription jobs waiting for a worker.",
                ["priority"], registry=registry)
seconds = Histogram("rozmova_stt_job_seconds", "From queued to transcribed, by priority.",
                    ["priority"], registry=registry,
                    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 900))


class JobFailed(Exception):
    """The job could not be done; the message says why (for the uploader or the trace)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Job:
    audio: bytes
    language: str | None
    priority: Priority
    max_seconds: float
    progress: Callable[[float], None] | None = None
    queued_at: float = field(default_factory=time.monotonic)
    # The organization's order of engines (by name); None or none known here: the server's.
    engines: tuple[str, ...] | None = None
    # Called on the event loop when a worker takes the job (an upload's row says "running").
    started: Callable[[], None] | None = None


class TranscriptionQueue:
    """Two pools of workers (`live_workers`, `bulk_workers` threads) and an engine chain."""

    def __init__(self, engines: Sequence[Any], *, cache: Any = None, live_workers: int = 1,
                 bulk_workers: int = 1, normalise: Callable[..., Any] | None = None) -> None:
        if not engines:
            raise ValueError("at least one engine")
        self.engines = list(engines)
        self._cache = cache
        self._pools = {
            "live": ThreadPoolExecutor(live_workers, thread_name_prefix="stt-live"),
            "bulk": ThreadPoolExecutor(bulk_workers, thread_name_prefix="stt-bulk")}
        # Jobs admitted per pool: the asyncio side waits here, not in the executor's queue,
        # so that a cancelled job (its conversation moved on) never reaches a thread.
        self._slots = {"live": asyncio.Semaphore(live_workers),
                       "bulk": asyncio.Semaphore(bulk_workers)}
        if normalise is None:
            from stt.audio import normalise as ffmpeg_normalise

            normalise = ffmpeg_normalise
        self._normalise = normalise

    def names(self) -> list[str]:
        """The engines this server runs, in its own order."""
        return [engine.name for engine in self.engines]

    def _chain(self, job: Job) -> list[Any]:
        if not job.engines:
            return self.engines
        by_name = {engine.name: engine for engine in self.engines}
        chosen = [by_name[name] for name in job.engines if name in by_name]
        return chosen or self.engines

    async def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)

    async def transcribe(self, job: Job) -> Any:
        """The transcript (stt.engines.Transcript as a dict), or JobFailed."""
        from stt.audio import AudioRejected, Limits

        started = time.monotonic()
        key = self._key(job)
        cached = await self._cached(key)
        if cached is not None:
            jobs_total.labels(job.priority, "cached").inc()
            return cached
        try:
            audio = await self._normalise(job.audio, Limits(max_seconds=job.max_seconds))
        except AudioRejected as exc:
            jobs_total.labels(job.priority, "rejected").inc()
            raise JobFailed(exc.code, str(exc)) from None
        if job.progress is not None:
            job.progress(0.1)
        result = await self._run(job, audio)
        seconds.labels(job.priority).observe(time.monotonic() - started)
        jobs_total.labels(job.priority, "ok").inc()
        await self._remember(key, result)
        return result

    async def _run(self, job: Job, audio: Any) -> dict[str, Any]:
        from stt.engines import EngineError

        reasons: list[str] = []
        pool, slots = self._pools[job.priority], self._slots[job.priority]
        waiting.labels(job.priority).inc()
        try:
            await slots.acquire()
        finally:
            waiting.labels(job.priority).dec()
        if job.started is not None:
            job.started()
        try:
            loop = asyncio.get_running_loop()
            report = None
            if job.progress is not None:
                on_progress = job.progress

                def report(value: float) -> None:  # from the worker thread
                    loop.call_soon_threadsafe(on_progress, 0.1 + 0.85 * value)

            for engine in self._chain(job):
                work = functools.partial(engine.transcribe, audio.pcm, job.language)
                if report is not None and getattr(engine, "reports_progress", False):
                    work = functools.partial(work, progress=report)
                for attempt in range(RETRIES + 1):
                    try:
                        transcript = await loop.run_in_executor(pool, work)
                    except EngineError as exc:
                        reasons.append(f"{engine.name}: {exc}")
                        break  # what the engine refuses, it refuses again: the next one
                    except Exception as exc:  # noqa: BLE001  (retried, then the next)
                        reasons.append(f"{engine.name}: {type(exc).__name__}: {exc}")
                        if attempt < RETRIES:
                            await asyncio.sleep(0.2 * 2 ** attempt)
                            continue
                        break
                    return _as_dict(transcript)
        finally:
            slots.release()
        jobs_total.labels(job.priority, "failed").inc()
        raise JobFailed("engine_failed", "; ".join(reasons[-4:]) or "no engine answered")

    def _key(self, job: Job) -> str:
        digest = hashlib.sha256(job.audio).hexdigest()
        engines = ",".join(e.name for e in self._chain(job))
        return f"{CACHE_PREFIX}{engines}:{job.language or '-'}:{digest}"

    async def _cached(self, key: str) -> dict[str, Any] | None:
        if self._cache is None:
            return None
        try:
            raw = await self._cache.get(key)
        except Exception as exc:  # noqa: BLE001  (a cache outage costs a transcription)
            log.warning("stt.cache_unavailable", error=type(exc).__name__)
            return None
        return orjson.loads(raw) if raw else None

    async def _remember(self, key: str, result: dict[str, Any]) -> None:
        if self._cache is None:
            return
        try:
            await self._cache.set(key, orjson.dumps(result), ttl_seconds=CACHE_SECONDS)
        except Exception as exc:  # noqa: BLE001
            log.warning("stt.cache_unavailable", error=type(exc).__name__)


def _as_dict(transcript: Any) -> dict[str, Any]:
    return {"text": transcript.text, "language": transcript.language,
            "confidence": round(float(transcript.confidence), 4),
            "seconds": round(float(transcript.seconds), 3), "engine": transcript.engine,
            "words": [{"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3),
                       "confidence": round(float(w.confidence), 4)} for w in transcript.words]}
