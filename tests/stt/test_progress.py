"""Progress of long transcriptions: the engine reports how much of the audio it has decoded
(from its worker thread), the queue hands it to the event loop, and an upload's row shows it
growing (written every few percent, not per segment)."""

from __future__ import annotations

import asyncio
import threading

from stt.engines import Transcript
from stt.jobs import Job, TranscriptionQueue
from tests.stt.test_jobs import passthrough
from tests.stt.spoken import spoken


class Stepping:
    """Reports ten steps of progress from the worker thread."""

    name = "stepping"
    reports_progress = True

    def __init__(self) -> None:
        self.threads: set[str] = set()

    def transcribe(self, pcm: bytes, language: str | None, progress=None) -> Transcript:  # type: ignore[no-untyped-def]
        for step in range(1, 11):
            self.threads.add(threading.current_thread().name)
            if progress is not None:
                progress(step / 10)
        return Transcript(text="done", language="en", confidence=1.0, words=(), seconds=1.0,
                          engine=self.name)


async def test_progress_reaches_the_event_loop_in_order() -> None:
    engine = Stepping()
    queue = TranscriptionQueue([engine], normalise=passthrough)
    seen: list[tuple[float, str]] = []
    result = await queue.transcribe(Job(
        audio=b"\x00" * 320, language="en", priority="bulk", max_seconds=60,
        progress=lambda value: seen.append((value, threading.current_thread().name))))
    await asyncio.sleep(0)  # the last callbacks scheduled from the thread
    assert result["text"] == "done"
    values = [v for v, _ in seen]
    assert values[0] == 0.1 and values == sorted(values) and len(values) == 11
    assert abs(values[-1] - 0.95) < 1e-9  # the engine's 100 % is not "done": the row says so
    assert {t for _, t in seen} == {threading.main_thread().name}  # never from the worker
    assert all(t.startswith("stt-bulk") for t in engine.threads)
    await queue.close()


async def test_whisper_reports_progress_per_segment() -> None:
    from stt.audio import Limits, normalise
    from stt.engines import WhisperEngine

    # About twenty seconds of speech in several sentences: several segments.
    audio = await normalise(spoken(
        "The first train leaves at seven in the morning. The second one leaves at noon. "
        "Tickets can be bought at the station or online. Children travel for half the price. "
        "Please keep your ticket until the end of the journey.", "wav"),
        Limits(max_seconds=120))
    seen: list[float] = []
    transcript = WhisperEngine(None).transcribe(audio.pcm, "en", progress=seen.append)
    assert "train" in transcript.text.lower()
    assert len(seen) >= 2 and seen == sorted(seen) and 0 < seen[0] < seen[-1] <= 1.0
