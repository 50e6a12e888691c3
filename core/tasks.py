"""Background tasks: stopped reliably, and repeated forever.

`task.cancel(); await task` can wait forever on Python 3.11: `asyncio.wait_for` returns the
inner result and drops the cancellation when both happen in the same loop iteration (fixed in
3.12), and redis-py sends every command through `wait_for`. A loop that calls Redis then
takes the lost cancellation as one more round and goes on; a shutdown waiting for it hangs
(measured: about 1 cancellation in 100 of a loop blocked in XREADGROUP). `stop` cancels again
while a task still runs, after a grace period that lets a task's own clean-up finish, and
gives up after a bound with a warning instead of hanging the shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import structlog

log = structlog.get_logger(__name__)

GRACE_SECONDS = 1.0     # a cancelled task's own clean-up (a last write, say) gets this long
RETRY_SECONDS = 0.2     # then it is cancelled again this often
TIMEOUT_SECONDS = 10.0  # and left running, with a warning, after this long


async def stop(tasks: Iterable[asyncio.Task[Any] | None], *,
               grace: float = GRACE_SECONDS, timeout: float = TIMEOUT_SECONDS) -> None:
    """Cancel the tasks and wait until each has ended; never raises for what they raised.
    The caller's own cancellation still propagates."""
    given = [task for task in tasks if task is not None]
    pending = {task for task in given if not task.done()}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    wait = grace
    while pending:
        for task in pending:
            task.cancel()
        remaining = deadline - loop.time()
        if remaining <= 0:
            log.warning("tasks.still_running", tasks=sorted(t.get_name() for t in pending))
            return
        _, pending = await asyncio.wait(pending, timeout=min(wait, remaining))
        wait = RETRY_SECONDS
    for task in given:
        if not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" at exit


async def repeat_forever(action: Callable[[], Awaitable[None]], every_seconds: float,
                         failed: str, *, delay: float = 0.0) -> None:
    """`action` every `every_seconds`, the first after `delay`; a failure is logged as
    `failed` and the loop goes on (a database hiccup must not end a sweeper)."""
    if delay:
        await asyncio.sleep(delay)
    while True:
        try:
            await action()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception(failed)
        await asyncio.sleep(every_seconds)


@contextlib.asynccontextmanager
async def repeating(action: Callable[[], Awaitable[None]], every_seconds: float, *,
                    name: str, failed: str, delay: float = 0.0
                    ) -> AsyncIterator[asyncio.Task[None]]:
    """`repeat_forever` as a task for as long as the context lasts."""
    task = asyncio.create_task(repeat_forever(action, every_seconds, failed, delay=delay),
                               name=name)
    try:
        yield task
    finally:
        await stop([task])
