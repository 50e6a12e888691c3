"""The chat service's sweepers: one runs scenarios' timeout handlers, one starts delivery
for messenger chats with messages not yet sent (after a restart, or said by a turn no update
caused: a timeout, a deferred job's result, an operator)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog

from chat.conversations.service import ConversationService

log = structlog.get_logger("rozmova.chat")


async def sweep_forever(service: ConversationService, every_seconds: float) -> None:
    while True:
        try:
            fired = await service.fire_due_timeouts()
            if fired:
                log.info("chat.timeout.fired", conversations=fired)
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup must not end the sweeper
            log.exception("chat.timeout.sweep_failed")
        await asyncio.sleep(every_seconds)


@contextlib.asynccontextmanager
async def running_sweeper(service: ConversationService, every_seconds: float):  # type: ignore[no-untyped-def]
    task = asyncio.create_task(sweep_forever(service, every_seconds), name="timeout-sweeper")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def deliver_forever(channels: Any, every_seconds: float) -> None:
    while True:
        try:
            await channels.ensure_pollers()
            await channels.deliver_pending()
            await channels.flush_counts()
            await channels.refresh_menus()
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup must not end the sweeper
            log.exception("channels.sweep_failed")
        await asyncio.sleep(every_seconds)


@contextlib.asynccontextmanager
async def running_delivery(channels: Any, every_seconds: float):  # type: ignore[no-untyped-def]
    task = asyncio.create_task(deliver_forever(channels, every_seconds),
                               name="channel-delivery-sweeper")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await channels.close()
