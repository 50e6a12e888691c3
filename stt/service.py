"""Uploaded recordings transcribed in the background (`POST /api/v1/transcriptions`): the
row is stored before the upload is acknowledged, the job runs on the bulk pool, and the row
tells its progress and, at the end, its transcript or why there is none."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from typing import Any, Protocol

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import transaction, utcnow
from core.errors import InvalidInput, ServiceUnavailable
from core.tasks import stop
from stt.jobs import Job, JobFailed, TranscriptionQueue
from stt.models import SpeechSettings, Transcription
from stt.stream import UploadStream

log = structlog.get_logger(__name__)

BULK_MAX_SECONDS = 3 * 3600.0   # an upload: a meeting, a call
LIVE_MAX_SECONDS = 120.0        # a voice message in a conversation
PROGRESS_STEP = 0.05            # an upload's progress is written when it moved this much...
PROGRESS_SECONDS = 5.0          # ...or this long after the last write
SETTINGS_SECONDS = 5.0          # an organization's engine order is read again after this


class Reports(Protocol):
    """What an upload's report needs of the LLM and notify services (given by the
    composition root)."""

    async def check(self, org_id: uuid.UUID, provider: str) -> None:
        """Raises ValueError with the reason when the organization cannot use `provider`."""

    async def write(self, *, org_id: uuid.UUID, recording_id: uuid.UUID, provider: str,
                    text: str, instructions: str | None, language: str) -> dict[str, Any]:
        """{text, provider, model}; raises with the reason."""

    def notify(self, *, org_id: uuid.UUID, recording_id: uuid.UUID, language: str,
               summary: str) -> None: ...


class SttService:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 queue: TranscriptionQueue, uploads: UploadStream | None = None,
                 reports: Reports | None = None) -> None:
        self._sessionmaker = sessionmaker
        self.queue = queue
        # An upload may end in a language model's report and a notice (the composition root
        # gives the LLM and notify services' entry points: stt reaches neither itself).
        self.reports = reports
        # Organizations' engine orders, read at most SETTINGS_SECONDS ago (this instance's
        # own changes at once: `forget_settings`).
        self._orders: dict[uuid.UUID, tuple[float, tuple[str, ...] | None]] = {}
        # With Redis: uploads go through a stream every instance reads (stt.stream), and
        # survive the instance that took them; without, they run here.
        self.uploads = uploads
        self._tasks: set[asyncio.Task[None]] = set()
        self._recovered = False
        self._recovering = asyncio.Lock()
        self._started_at = utcnow()

    def start(self) -> None:
        """Begin taking uploads from the shared stream (the distributed mode)."""
        if self.uploads is not None:
            self.uploads.start(self._work, self._give_up)

    async def close(self) -> None:
        if self.uploads is not None:
            await self.uploads.close()
        await stop(list(self._tasks))
        await self.queue.close()

    async def recover(self) -> int:
        """Jobs a stopped server had under way are lost with their audio (it is not kept):
        their rows say so, and the uploader sends the file again. Once, and only for rows
        older than this process (the first uploads arrive together)."""
        async with self._recovering:
            if self._recovered:
                return 0
            return await self._recover()

    async def _recover(self) -> int:
        async with transaction(self._sessionmaker) as session:
            result = await session.execute(update(Transcription).where(
                Transcription.status.in_(("queued", "running")),
                Transcription.created_at < self._started_at).values(
                status="failed", error_code="interrupted", finished_at=utcnow(),
                error="the server restarted before this recording was transcribed; "
                      "upload it again"))
        self._recovered = True
        return int(result.rowcount or 0)

    async def submit(self, *, org_id: uuid.UUID, user_id: uuid.UUID | None, audio: bytes,
                     language: str | None, report: str | None = None,
                     instructions: str | None = None) -> Transcription:
        """Store the upload's row (committed before this returns), then transcribe it in
        the background; with `report` (one of the organization's LLM providers), a report
        on the transcript follows, and a `recording_report` notice."""
        if report is not None:
            if self.reports is None:
                raise InvalidInput("reports on recordings need the LLM service, which this "
                                   "server does not run")
            try:
                await self.reports.check(org_id, report)
            except ValueError as exc:
                raise InvalidInput(f"report: {exc}") from None
        from stt.audio import AudioRejected, Limits, check

        try:  # what is not usable audio is refused now, with its reason, and not stored
            await check(audio, Limits(max_bytes=max(len(audio), 1),
                                      max_seconds=BULK_MAX_SECONDS))
        except AudioRejected as exc:
            raise InvalidInput(f"{exc.code}: {exc}") from None
        if not self._recovered and self.uploads is None:
            # (With the stream, interrupted uploads are taken over, not given up.)
            await self.recover()
        row = Transcription(org_id=org_id, created_by=user_id, status="queued",
                            language=language, bytes=len(audio),
                            audio_sha256=hashlib.sha256(audio).hexdigest(),
                            result={"report": {"status": "requested", "provider": report,
                                               "instructions": instructions}}
                            if report is not None else None)
        async with transaction(self._sessionmaker) as session:
            session.add(row)
            await session.flush()
            session.expunge(row)
        if self.uploads is not None:
            self.start()  # (an app run without its lifespan starts reading here)
            try:
                await self.uploads.add(row.id, audio, language)
            except Exception as exc:  # noqa: BLE001  (the row says so; the uploader retries)
                await self._give_up(row.id, "not_queued", "the queue was unavailable; upload "
                                    "the recording again")
                raise ServiceUnavailable("the transcription queue is unavailable; try again "
                                         "shortly", dependency="redis") from exc
            return row
        task = asyncio.create_task(self._work(row.id, audio, language), name="stt upload")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return row

    async def live(self, audio: bytes, language: str | None,
                   org_id: uuid.UUID | None = None) -> dict[str, Any]:
        """A voice message of a conversation: first in line, on its own pool, through the
        organization's engines."""
        return await self.queue.transcribe(Job(
            audio=audio, language=language, priority="live", max_seconds=LIVE_MAX_SECONDS,
            engines=await self.engines_for(org_id) if org_id is not None else None))

    async def engines_for(self, org_id: uuid.UUID) -> tuple[str, ...] | None:
        """The organization's order of engines, or None for the server's."""
        now = time.monotonic()
        kept = self._orders.get(org_id)
        if kept is not None and kept[0] > now:
            return kept[1]
        try:
            async with self._sessionmaker() as session:
                row = await session.get(SpeechSettings, org_id)
        except Exception as exc:  # noqa: BLE001  (the server's order still hears it)
            log.warning("stt.settings_unavailable", error=type(exc).__name__)
            return kept[1] if kept is not None else None
        order = tuple(row.engines) if row is not None and row.engines else None
        if len(self._orders) > 10_000:
            self._orders.clear()
        self._orders[org_id] = (now + SETTINGS_SECONDS, order)
        return order

    def forget_settings(self, org_id: uuid.UUID) -> None:
        self._orders.pop(org_id, None)

    async def _work(self, transcription_id: uuid.UUID, audio: bytes,
                    language: str | None) -> None:
        progress_task: list[asyncio.Task[None]] = []
        last = [0.0, 0.0]  # progress written, when

        def progress(value: float) -> None:
            # A write per few percent or seconds: a three-hour file has thousands of segments.
            now = time.monotonic()
            if value - last[0] < PROGRESS_STEP and now - last[1] < PROGRESS_SECONDS:
                return
            last[:] = [value, now]
            progress_task[:] = [t for t in progress_task if not t.done()]
            progress_task.append(asyncio.ensure_future(self._update(
                transcription_id, progress=round(value, 3))))

        def started() -> None:  # a worker took it: no longer waiting in the queue
            progress_task.append(asyncio.ensure_future(self._update(
                transcription_id, status="running")))

        try:
            row = await self._row(transcription_id)
            result = await self.queue.transcribe(Job(
                audio=audio, language=language, priority="bulk",
                max_seconds=BULK_MAX_SECONDS, progress=progress, started=started,
                engines=await self.engines_for(row.org_id) if row is not None else None))
        except JobFailed as exc:
            await self._update(transcription_id, status="failed", error_code=exc.code,
                               error=str(exc)[:500], finished_at=utcnow())
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001  (the row must not stay "running")
            log.exception("stt.job_crashed")
            await self._update(transcription_id, status="failed", error_code="internal",
                               error=f"internal error: {type(exc).__name__}",
                               finished_at=utcnow())
            return
        await asyncio.gather(*progress_task, return_exceptions=True)
        wanted = (row.result or {}).get("report") if row is not None else None
        if isinstance(wanted, dict) and wanted.get("status") == "requested":
            result = {**result, "report": {**wanted, "status": "running"}}
        await self._update(transcription_id, status="done", progress=1.0,
                           text=result["text"], result=result, finished_at=utcnow())
        if row is not None and "report" in result:
            await self._report(row, result)

    async def _row(self, transcription_id: uuid.UUID) -> Transcription | None:
        async with self._sessionmaker() as session:
            return await session.get(Transcription, transcription_id)

    async def _report(self, row: Transcription, result: dict[str, Any]) -> None:
        """The language model's report on the transcript, kept with it, then the notice."""
        wanted = result["report"]
        language = (row.language or result.get("language") or "en")[:2].lower()
        report: dict[str, Any] = {"provider": wanted.get("provider"),
                                  "instructions": wanted.get("instructions")}
        if self.reports is None:
            report.update(status="failed", error="the LLM service does not run here")
        elif not (result.get("text") or "").strip():
            report.update(status="failed", error="nothing was said in the recording")
        else:
            try:
                made = await self.reports.write(
                    org_id=row.org_id, recording_id=row.id, provider=str(wanted["provider"]),
                    text=result["text"], instructions=wanted.get("instructions"),
                    language=language)
                report.update(status="done", **made)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001  (the transcript stays; the report says why)
                report.update(status="failed", error=str(exc)[:500] or type(exc).__name__)
        await self._update(row.id, result={**result, "report": report})
        if report["status"] == "done" and self.reports is not None:
            self.reports.notify(org_id=row.org_id, recording_id=row.id, language=language,
                                summary=report["text"])

    async def _give_up(self, transcription_id: uuid.UUID, code: str, reason: str) -> None:
        await self._update(transcription_id, status="failed", error_code=code, error=reason,
                           finished_at=utcnow())

    async def _update(self, transcription_id: uuid.UUID, **values: Any) -> None:
        try:
            async with transaction(self._sessionmaker) as session:
                await session.execute(update(Transcription).where(
                    Transcription.id == transcription_id).values(
                    **values, updated_at=utcnow()))
        except Exception as exc:  # noqa: BLE001  (logged; the next update may pass)
            log.warning("stt.update_failed", error=type(exc).__name__)
