"""The chat service's sweepers: one runs scenarios' timeout handlers, one starts delivery
for messenger chats with messages not yet sent (after a restart, or said by a turn no update
caused: a timeout, a deferred job's result, an operator)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import structlog

from chat.conversations.service import ConversationService
from core.tasks import repeating

log = structlog.get_logger("rozmova.chat")


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
