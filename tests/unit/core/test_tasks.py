"""core.tasks.stop: background tasks end even when a cancellation is lost (Python 3.11's
asyncio.wait_for inside redis-py drops one now and then), a task's own clean-up gets its
grace period, and a task that never ends cannot hang a shutdown."""

from __future__ import annotations

import asyncio
import time

import pytest

from core.tasks import stop


async def test_a_task_that_loses_a_cancellation_is_stopped_all_the_same() -> None:
    rounds = 0

    async def loop() -> None:
        nonlocal rounds
        lost = False
        while True:
            rounds += 1
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                if lost:
                    raise
                lost = True  # as wait_for does when its inner call ends at the same time

    task = asyncio.create_task(loop())
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await stop([task], grace=0.1)
    assert task.cancelled()
    assert time.monotonic() - started < 1.0
    # The plain way would have waited for ever: the task went on after the first cancel.
    assert rounds > 5


async def test_clean_up_after_a_cancellation_gets_its_grace() -> None:
    saved: list[str] = []

    async def training() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            await asyncio.sleep(0.2)  # a last write
            saved.append("failed: the server shut down")
            raise

    task = asyncio.create_task(training())
    await asyncio.sleep(0)
    await stop([task], grace=1.0)
    assert saved == ["failed: the server shut down"] and task.cancelled()


async def stubborn(release: asyncio.Event) -> None:
    """Takes no cancellation at all: runs until `release` is set."""
    while not release.is_set():
        try:
            await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            pass


async def test_a_task_that_never_ends_is_left_after_the_bound() -> None:
    release = asyncio.Event()
    task = asyncio.create_task(stubborn(release), name="stubborn")
    await asyncio.sleep(0.02)
    started = time.monotonic()
    await stop([task], grace=0.05, timeout=0.3)
    assert 0.25 < time.monotonic() - started < 2.0
    assert not task.done()
    release.set()
    await task


async def test_what_the_tasks_raised_is_not_raised_and_none_is_skipped() -> None:
    async def failing() -> None:
        raise RuntimeError("broken")

    done = asyncio.create_task(failing())
    await asyncio.sleep(0)
    running = asyncio.create_task(asyncio.sleep(60))
    await stop([None, done, running])
    assert running.cancelled() and isinstance(done.exception(), RuntimeError)
    await stop([])


async def test_the_callers_own_cancellation_still_propagates() -> None:
    release = asyncio.Event()
    inner = asyncio.create_task(stubborn(release))
    outer = asyncio.create_task(stop([inner], grace=5, timeout=5))
    await asyncio.sleep(0.05)
    outer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await outer
    release.set()
    await inner
