"""The transcription queue on its own (a scripted engine, audio passed through): live voice
messages overtake any number of bulk uploads, a result is reused for the same recording,
an engine's failure is retried and then handed to the fallback engine, and an engine's
refusal goes straight to the fallback."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

import pytest

from core.cache import MemoryCache
from stt.engines import EngineError, Transcript, Word
from stt.jobs import Job, JobFailed, TranscriptionQueue


@dataclass
class Passed:
    pcm: bytes
    seconds: float = 1.0


async def passthrough(data: bytes, limits: object) -> Passed:
    return Passed(data)


class Scripted:
    """An engine that takes `delay` seconds (in its worker thread) and says the audio."""

    def __init__(self, name: str = "scripted", delay: float = 0.0,
                 failures: list[Exception] | None = None) -> None:
        self.name = name
        self.delay = delay
        self.failures = list(failures or [])
        self.calls: list[bytes] = []
        self.lock = threading.Lock()

    def transcribe(self, pcm: bytes, language: str | None) -> Transcript:
        with self.lock:
            self.calls.append(pcm)
            failure = self.failures.pop(0) if self.failures else None
        time.sleep(self.delay)
        if failure is not None:
            raise failure
        text = pcm.decode()
        return Transcript(text=text, language=language or "en", confidence=0.9,
                          words=(Word(text, 0.0, 1.0, 0.9),), seconds=1.0, engine=self.name)


def job(audio: bytes, priority: str = "bulk") -> Job:
    return Job(audio=audio, language="en", priority=priority, max_seconds=60)  # type: ignore[arg-type]


async def test_a_live_message_overtakes_a_flood_of_bulk_uploads() -> None:
    engine = Scripted(delay=0.2)
    queue = TranscriptionQueue([engine], normalise=passthrough)
    finished: list[str] = []

    async def run(name: str, priority: str) -> None:
        await queue.transcribe(job(name.encode(), priority))
        finished.append(name)

    bulk = [asyncio.create_task(run(f"bulk{i}", "bulk")) for i in range(10)]
    await asyncio.sleep(0.05)  # the first bulk job is running, nine wait
    await run("live", "live")
    # The live message did not wait for the bulk jobs: at most the one already running
    # (on the other pool) finished before it.
    assert finished.index("live") <= 1, finished
    await asyncio.gather(*bulk)
    assert [f for f in finished if f != "live"] == [f"bulk{i}" for i in range(10)]
    await queue.close()


async def test_the_same_recording_is_transcribed_once() -> None:
    engine = Scripted()
    queue = TranscriptionQueue([engine], cache=MemoryCache(), normalise=passthrough)
    first = await queue.transcribe(job(b"hello there"))
    again = await queue.transcribe(job(b"hello there", "live"))
    assert first == again and first["text"] == "hello there" and len(engine.calls) == 1
    assert first["words"] == [{"text": "hello there", "start": 0.0, "end": 1.0,
                               "confidence": 0.9}]
    await queue.close()


async def test_failures_are_retried_then_the_fallback_engine_answers() -> None:
    flaky = Scripted("flaky", failures=[RuntimeError("model crashed")])
    queue = TranscriptionQueue([flaky], normalise=passthrough)
    assert (await queue.transcribe(job(b"one")))["engine"] == "flaky"  # retried once
    assert len(flaky.calls) == 2

    broken = Scripted("broken", failures=[RuntimeError("down")] * 3)
    spare = Scripted("spare")
    queue = TranscriptionQueue([broken, spare], normalise=passthrough)
    assert (await queue.transcribe(job(b"two")))["engine"] == "spare"
    assert len(broken.calls) == 3  # three tries, then the fallback

    refusing = Scripted("english-only", failures=[EngineError("no Ukrainian model")])
    queue = TranscriptionQueue([refusing, Scripted("multilingual")], normalise=passthrough)
    assert (await queue.transcribe(job(b"three")))["engine"] == "multilingual"
    assert len(refusing.calls) == 1  # a refusal is not retried

    queue = TranscriptionQueue([Scripted("only", failures=[EngineError("no model")])],
                               normalise=passthrough)
    with pytest.raises(JobFailed) as failed:
        await queue.transcribe(job(b"four"))
    assert failed.value.code == "engine_failed" and "only: no model" in str(failed.value)
