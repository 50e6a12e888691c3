"""Notices to an organization's targets, from the services that have something to say (a
conversation reported, handed to an operator, failed): the targets for the event and the bot
are read, their credentials taken from the organization's secrets, and the notice is sent in
the background, so the conversation's turn never waits for an SMTP server or a webhook."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import utcnow
from notify.models import NotificationTarget
from notify.sender import EmailTarget, Notice, Sender, WebhookTarget

log = structlog.get_logger(__name__)
# What a notice about no bot names instead of one (an upload's report).
UPLOADS = {"uk": "Завантажені записи", "en": "Uploaded recordings"}


class Notifier:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], secrets: Any,
                 bots: Any = None, address_check: Any = None, *, retries: int = 3,
                 backoff: float = 1.0, http: Any = None) -> None:
        self._sessionmaker = sessionmaker
        self._secrets = secrets
        self._bots = bots  # the scenarios client: a bot's name for the notice
        self._address_check = address_check
        self._http = http  # httpx client for webhooks (pinned by the composition root)
        self._sender = Sender(retries=retries, backoff=backoff, address_check=address_check,
                              http=http)
        self._tasks: set[asyncio.Task[Any]] = set()

    def notify(self, event: str, *, org_id: uuid.UUID, bot_id: uuid.UUID | None,
               conversation_id: uuid.UUID, language: str, summary: str | None = None,
               link: str | None = None, occurred_at: datetime | None = None) -> None:
        """Send in the background; what came of it is logged (and counted in /metrics)."""
        task = asyncio.create_task(self._send(
            event, org_id, bot_id, conversation_id, language, summary, link,
            occurred_at or utcnow()), name=f"notify-{event}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for notices under way (tests; a stopping server gives them a moment)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    async def close(self) -> None:
        await self.drain(5.0)
        for task in list(self._tasks):
            task.cancel()
        if self._http is not None:
            await self._http.aclose()

    async def _send(self, event: str, org_id: uuid.UUID, bot_id: uuid.UUID | None,
                    conversation_id: uuid.UUID, language: str, summary: str | None,
                    link: str | None, occurred_at: datetime) -> None:
        try:
            async with self._sessionmaker() as session:
                # A notice about no bot (an upload's report) reaches the organization's
                # targets for all bots only.
                rows = list(await session.scalars(select(NotificationTarget).where(
                    NotificationTarget.org_id == org_id,
                    NotificationTarget.bot_id.is_(None) if bot_id is None else or_(
                        NotificationTarget.bot_id.is_(None),
                        NotificationTarget.bot_id == bot_id))))
            rows = [r for r in rows if event in (r.events or [])]
            if not rows:
                return
            bot = await self._bots.get_bot(bot_id) \
                if self._bots is not None and bot_id is not None else None
            notice = Notice(event=event, org_id=org_id, bot_id=bot_id,  # type: ignore[arg-type]
                            bot_name=getattr(bot, "name", None) or (
                                str(bot_id) if bot_id is not None else UPLOADS[
                                    "uk" if language == "uk" else "en"]),
                            conversation_id=conversation_id, language=language,
                            summary=summary, link=link, occurred_at=occurred_at)
            targets = [await self._target(org_id, row) for row in rows]
            for delivery in await self._sender.send(notice, [t for t in targets if t]):
                log.info("notify.delivered" if delivery.ok else "notify.failed",
                         event=event, target=delivery.target, attempts=delivery.attempts,
                         error=delivery.error)
        except Exception:  # a notice must never take anything else down
            log.exception("notify.send_failed", event=event)

    async def _target(self, org_id: uuid.UUID, row: NotificationTarget
                      ) -> EmailTarget | WebhookTarget | None:
        secret = await self._secrets.reveal(org_id, row.secret) if row.secret else None
        if row.secret and secret is None:
            log.warning("notify.secret_missing", target=row.name, secret=row.secret)
            return None
        if row.kind == "webhook":
            return WebhookTarget(url=row.url or "", secret=secret or "")
        if self._address_check is not None:
            # The SMTP server is an address the platform connects to for the organization:
            # the same policy as webhooks and HTTP blocks.
            try:
                await self._address_check(f"smtp://{row.host}:{row.port or 25}")
            except Exception as exc:
                log.warning("notify.smtp_refused", target=row.name, error=str(exc))
                return None
        return EmailTarget(host=row.host or "", port=row.port or 25, sender=row.sender or "",
                           recipients=tuple(row.recipients or ()), username=row.username,
                           password=secret, starttls=row.starttls, use_tls=row.use_tls)
