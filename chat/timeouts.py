"""The inactivity sweeper: a background task that runs scenarios' timeout handlers."""

from __future__ import annotations

import asyncio
import contextlib

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
