"""The chat service's sweepers: one runs scenarios' timeout handlers, one starts delivery
for messenger chats with messages not yet sent (after a restart, or said by a turn no update
caused: a timeout, a deferred job's result, an operator)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import structlog

from chat.conversations.service import ConversationService
from core.tasks import stop

log = structlog.get_logger("rozmova.chat")


async def repeat_forever(action: Callable[[], Awaitable[None]], every_seconds: float,
                         failed: str) -> None:
    """`action` every `every_seconds`; a failure is logged as `failed` and the loop goes on
    (a database hiccup must not end a sweeper)."""
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
                    name: str, failed: str) -> AsyncIterator[asyncio.Task[None]]:
    """`repeat_forever` as a task for as long as the context lasts."""
    task = asyncio.create_task(repeat_forever(action, every_seconds, failed), name=name)
    try:
        yield task
    finally:
        await stop([task])


def running_sweeper(service: ConversationService, every_seconds: float
                    ) -> contextlib.AbstractAsyncContextManager[asyncio.Task[None]]:
    async def sweep() -> None:
        fired = await service.fire_due_timeouts()
        if fired:
            log.info("chat.timeout.fired", conversations=fired)

    return repeating(sweep, every_seconds, name="timeout-sweeper",
                     failed="chat.timeout.sweep_failed")


@contextlib.asynccontextmanager
async def running_delivery(channels: Any, every_seconds: float
                           ) -> AsyncIterator[asyncio.Task[None]]:
    async def sweep() -> None:
        await channels.ensure_pollers()
        await channels.deliver_pending()
        await channels.flush_counts()
        await channels.refresh_menus()
        await channels.prune_receipts()

    try:
        async with repeating(sweep, every_seconds, name="channel-delivery-sweeper",
                             failed="channels.sweep_failed") as task:
            yield task
    finally:
        await channels.close()
