"""Uploads a stopped server had under way are marked interrupted when it starts again (their
audio is gone), once, and never the new uploads arriving together at the start."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from core.db import transaction, utcnow
from core.security import Role
from stt.engines import Transcript
from stt.jobs import TranscriptionQueue
from stt.models import Transcription
from stt.service import SttService
from tests.stt.spoken import spoken
from tests.stt.test_jobs import passthrough


class Slow:
    name = "slow"

    def transcribe(self, pcm: bytes, language: str | None) -> Transcript:
        import time

        time.sleep(0.2)
        return Transcript(text="heard", language="en", confidence=1.0, words=(), seconds=1.0,
                          engine=self.name)


async def test_only_the_last_servers_uploads_are_interrupted(runtime, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    async with transaction(runtime.sessionmaker) as session:
        old = Transcription(org_id=owner.org_id, status="running", bytes=1,
                            audio_sha256="0" * 64,
                            created_at=utcnow() - timedelta(minutes=5))
        session.add(old)
        await session.flush()
        old_id = old.id
    service = SttService(runtime.sessionmaker, TranscriptionQueue(
        [Slow()], normalise=passthrough, bulk_workers=1))
    audio = spoken("hello there")
    fresh = await asyncio.gather(*[service.submit(org_id=owner.org_id, user_id=None,
                                                  audio=audio, language="en")
                                   for _ in range(6)])
    for _ in range(100):
        async with runtime.sessionmaker() as session:
            rows = {r.id: r for r in await session.scalars(select(Transcription).where(
                Transcription.org_id == owner.org_id))}
        if all(rows[r.id].status == "done" for r in fresh):
            break
        await asyncio.sleep(0.1)
    assert rows[old_id].status == "failed" and rows[old_id].error_code == "interrupted"
    assert [rows[r.id].status for r in fresh] == ["done"] * 6
    assert await service.recover() == 0  # once
    await service.close()
