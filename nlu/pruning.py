"""Removing stored intent models nothing uses any more.

A model is stored under the digest of its examples whenever a set of intents is trained: on
publish, by the first message of a preview, by trying a phrase in the builder. Every edit of
an intent's phrases makes a new set, so the table grows while authors work. A model that no
published version's intent blocks train (old versions included: a conversation pinned to one
still runs it) and that has not changed for a while is removed; were it needed again (a
preview reopened), it is trained again on first use, as any missing model is."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import utcnow
from core.tasks import repeating
from nlu.blocks import intent_models
from nlu.models import IntentModel
from scenarios.contract import published_documents

BATCH = 200
# A server prunes this often, the first time a while after it starts (not in its start-up).
EVERY_SECONDS = 6 * 3600.0
FIRST_AFTER_SECONDS = 600.0

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PruneReport:
    in_use: int          # models published versions train
    kept: int            # stored models kept (in use, recent, or training)
    removed: int
    bytes_removed: int


async def prune_models(sessionmaker: async_sessionmaker[AsyncSession], *,
                       older_than: timedelta, dry_run: bool = False) -> PruneReport:
    """Removes the stored models no published version uses that have not changed for
    `older_than` (never one being trained); `dry_run` counts them only."""
    in_use: set[str] = set()
    documents: list[Any] = []
    async for document in published_documents(sessionmaker, batch=BATCH):
        documents.append(document)
        if len(documents) == BATCH:
            in_use |= await asyncio.to_thread(_trained_by, documents)
            documents = []
    in_use |= await asyncio.to_thread(_trained_by, documents)
    cutoff = utcnow() - older_than
    async with sessionmaker() as session:
        rows = (await session.execute(select(
            IntentModel.digest, IntentModel.status, IntentModel.updated_at,
            IntentModel.size))).all()
    unused = [(digest, size) for digest, status, updated, size in rows
              if digest not in in_use and status != "training" and updated < cutoff]
    if not dry_run:
        for start in range(0, len(unused), BATCH):
            digests = [digest for digest, _ in unused[start:start + BATCH]]
            async with sessionmaker() as session, session.begin():
                # Checked again in the statement: a model trained meanwhile is kept.
                await session.execute(delete(IntentModel).where(
                    IntentModel.digest.in_(digests), IntentModel.updated_at < cutoff,
                    IntentModel.status != "training"))
    return PruneReport(in_use=len(in_use), kept=len(rows) - len(unused), removed=len(unused),
                       bytes_removed=sum(size or 0 for _, size in unused))


def _trained_by(documents: list[Any]) -> set[str]:
    """The digests of the models these documents' intent blocks train. Each document is
    validated as a scenario: milliseconds apiece, never on the event loop."""
    return {plan["model"] for document in documents for _, plan in intent_models(document)}


def pruning(sessionmaker: async_sessionmaker[AsyncSession], *, unused_days: float,
            every_seconds: float = EVERY_SECONDS, first_after: float = FIRST_AFTER_SECONDS
            ) -> contextlib.AbstractAsyncContextManager[asyncio.Task[None]]:
    """A server's background pruning (settings.nlu_prune_unused_days), for as long as the
    context lasts. Several instances may prune at once: each removal is checked again in its
    statement, so they remove nothing twice and nothing in use."""
    async def prune() -> None:
        report = await prune_models(sessionmaker, older_than=timedelta(days=unused_days))
        if report.removed:
            log.info("nlu.models_pruned", removed=report.removed, kept=report.kept,
                     megabytes=round(report.bytes_removed / 1e6, 1))

    return repeating(prune, every_seconds, name="nlu-prune", failed="nlu.prune_failed",
                     delay=first_after)
