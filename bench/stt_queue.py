"""Live voice messages while bulk uploads flood the speech queue: the time a live message
waits for its transcript when idle, and with 50 long recordings queued ahead of it.

    .venv/bin/python bench/stt_queue.py [--bulk 50] [--live 10]

The real path: ffmpeg normalises each recording, faster-whisper (tiny.en, int8) transcribes
it, one worker thread for live messages and one for bulk uploads (the defaults on a
2-core machine). Recordings: ../shared/data/audio/en/jfk.flac (11 s) as the long one, its
first 3 s as the live one; each bulk copy is made distinct (a different gain) so that the
result cache does not answer for it."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SPEECH = ROOT.parent / "shared" / "data" / "audio" / "en" / "jfk.flac"


def encoded(args: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.ogg"
        subprocess.run(["ffmpeg", "-v", "error", *args, "-ac", "1", "-c:a", "libopus",
                        str(out)], check=True)
        return out.read_bytes()


def recordings(bulk: int) -> tuple[list[bytes], bytes]:
    if SPEECH.is_file():
        source = ["-i", str(SPEECH)]
    else:  # no speech at hand: a tone of the same length (the engine still works on it)
        print(f"({SPEECH} is absent: using an 11 s tone)")
        source = ["-f", "lavfi", "-i", "sine=frequency=300:duration=11"]
    long = [encoded([*source, "-af", f"volume={1 - i * 0.001:.3f}"]) for i in range(bulk)]
    live = encoded([*source, "-t", "3"])
    return long, live


async def main(bulk: int, live_count: int) -> None:
    from stt.engines import WhisperEngine
    from stt.jobs import Job, TranscriptionQueue

    long, live = recordings(bulk)
    engine = WhisperEngine()
    engine.load()
    queue = TranscriptionQueue([engine], live_workers=1, bulk_workers=1)

    async def live_once(n: int) -> float:
        started = time.perf_counter()
        # Each live message distinct too (its own id in the cache key's audio).
        await queue.transcribe(Job(audio=live + bytes(n), language="en", priority="live",
                                   max_seconds=60))
        return time.perf_counter() - started

    idle = [await live_once(n) for n in range(3)]
    started = time.perf_counter()
    flood = [asyncio.create_task(queue.transcribe(Job(audio=a, language="en",
                                                      priority="bulk", max_seconds=600)))
             for a in long]
    await asyncio.sleep(1.0)
    loaded = []
    for n in range(live_count):
        loaded.append(await live_once(100 + n))
        await asyncio.sleep(1.0)
    done_bulk = sum(t.done() for t in flood)
    for task in flood:
        task.cancel()
    await asyncio.gather(*flood, return_exceptions=True)
    await queue.close()
    print(f"\nspeech queue: {bulk} bulk recordings of 11 s queued, then {live_count} live "
          "messages of 3 s, one a second")
    print(f"live message, queue idle:   p50 {statistics.median(idle) * 1000:7.0f} ms  "
          f"max {max(idle) * 1000:7.0f} ms")
    print(f"live message, bulk flooded: p50 {statistics.median(loaded) * 1000:7.0f} ms  "
          f"max {max(loaded) * 1000:7.0f} ms  ({done_bulk} of {bulk} bulk recordings done "
          f"in {time.perf_counter() - started:.0f} s meanwhile)")
    print("reproduce: .venv/bin/python bench/stt_queue.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bulk", type=int, default=50)
    parser.add_argument("--live", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.bulk, args.live))
