"""The scenarios service's public contract: what other services may know of bots and published
versions, and the client they use to ask. Nothing else in this package is imported from
outside it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scenarios.bot.models import Bot
# Callers that keep BotInfo copies key them with bot_cache_key: a committed change to the bot
# drops that key everywhere (core.invalidation).
from scenarios.bot.models import BOT_CACHE_PREFIX as BOT_CACHE_PREFIX
from scenarios.bot.models import bot_cache_key as bot_cache_key
from scenarios.scenario.models import Scenario, ScenarioPreview, ScenarioVersion


async def seed_demo_bot(
    *, session: AsyncSession, org_id: uuid.UUID, author_id: uuid.UUID | None,
    shop_url: str | None = None,
) -> tuple[uuid.UUID, bool]:
    """Create (once) the organization's published demo bot, placing its orders with the demo
    till at `shop_url`; returns (bot id, created now)."""
    from scenarios.demo import ensure_demo_bot

    return await ensure_demo_bot(session=session, org_id=org_id, author_id=author_id,
                                 shop_url=shop_url)


class BotInfo(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: uuid.UUID
    org_id: uuid.UUID
    name: str
    default_language: str
    languages: list[str]
    settings: dict[str, Any]
    main_scenario_id: uuid.UUID | None


class PublishedVersion(BaseModel):
    """An immutable published scenario version: safe to compile once and cache by id."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    scenario_id: uuid.UUID
    scenario_name: str
    bot_id: uuid.UUID
    org_id: uuid.UUID
    number: int                    # 0 for a preview of the draft
    document: dict[str, Any]
    document_hash: str
    # A preview: the draft revision it froze (None for a published version).
    preview_revision: int | None = None


class ScenariosClient(Protocol):
    async def get_bot(self, bot_id: uuid.UUID) -> BotInfo | None: ...
    async def get_live_version(self, scenario_id: uuid.UUID) -> PublishedVersion | None: ...
    async def get_live_version_by_name(
        self, bot_id: uuid.UUID, scenario_name: str
    ) -> PublishedVersion | None: ...
    async def get_version(self, scenario_id: uuid.UUID, number: int) -> PublishedVersion | None: ...
    async def get_version_by_id(self, version_id: uuid.UUID) -> PublishedVersion | None: ...
    async def preview_version(
        self, *, org_id: uuid.UUID, scenario_id: uuid.UUID, number: int | None, author: str
    ) -> PublishedVersion: ...


class InProcessScenariosClient:
    """The embedded implementation: reads the database directly, in its own short session."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def get_bot(self, bot_id: uuid.UUID) -> BotInfo | None:
        async with self._sessionmaker() as session:
            bot = await session.get(Bot, bot_id)
            return None if bot is None else BotInfo.model_validate(bot)

    async def _version(self, session: AsyncSession, *where: Any) -> PublishedVersion | None:
        row = (await session.execute(
            select(ScenarioVersion, Scenario.name)
            .join(Scenario, Scenario.id == ScenarioVersion.scenario_id).where(*where)
        )).first()
        if row is None:
            return None
        version, name = row
        return PublishedVersion(
            id=version.id, scenario_id=version.scenario_id, scenario_name=name,
            bot_id=version.bot_id, org_id=version.org_id, number=version.number,
            document=version.document, document_hash=version.document_hash,
        )

    async def get_live_version(self, scenario_id: uuid.UUID) -> PublishedVersion | None:
        async with self._sessionmaker() as session:
            return await self._version(session, ScenarioVersion.scenario_id == scenario_id,
                                       ScenarioVersion.number == Scenario.live_version)

    async def get_live_version_by_name(
        self, bot_id: uuid.UUID, scenario_name: str
    ) -> PublishedVersion | None:
        async with self._sessionmaker() as session:
            return await self._version(session, Scenario.bot_id == bot_id,
                                       Scenario.name == scenario_name,
                                       ScenarioVersion.number == Scenario.live_version)

    async def get_version(self, scenario_id: uuid.UUID, number: int) -> PublishedVersion | None:
        async with self._sessionmaker() as session:
            return await self._version(session, ScenarioVersion.scenario_id == scenario_id,
                                       ScenarioVersion.number == number)

    async def get_version_by_id(self, version_id: uuid.UUID) -> PublishedVersion | None:
        """A published version, or a preview's frozen draft (conversations pin either)."""
        async with self._sessionmaker() as session:
            found = await self._version(session, ScenarioVersion.id == version_id)
            if found is not None:
                return found
            row = (await session.execute(
                select(ScenarioPreview, Scenario.name)
                .join(Scenario, Scenario.id == ScenarioPreview.scenario_id)
                .where(ScenarioPreview.id == version_id))).first()
        return None if row is None else _preview(*row)

    async def preview_version(
        self, *, org_id: uuid.UUID, scenario_id: uuid.UUID, number: int | None, author: str
    ) -> PublishedVersion:
        """What a preview conversation runs: version `number` of the scenario, or (None) its
        draft as it is now, validated as a publish would validate it (InvalidInput with
        each error's JSON pointer when it is not runnable) and frozen once per revision.
        NotFound outside the organization."""
        from scenarios.scenario import service

        async with self._sessionmaker() as session:
            scenario, bot = await service.get_or_raise(session=session, org_id=org_id,
                                                       scenario_id=scenario_id)
            if number is not None:
                version = await service.get_version_or_raise(session=session,
                                                             scenario=scenario, number=number)
                found = await self._version(session, ScenarioVersion.id == version.id)
                assert found is not None
                return found
            existing = await session.scalar(select(ScenarioPreview).where(
                ScenarioPreview.scenario_id == scenario.id,
                ScenarioPreview.revision == scenario.revision))
            if existing is not None:
                return _preview(existing, scenario.name)
            targets = await service.jump_targets(session=session, bot=bot,
                                                 current=scenario.name)
            document, _ = await service.checked_document(
                scenario.draft, bot, require_valid=True, scenarios=targets, name=scenario.name)
            preview = ScenarioPreview(
                org_id=scenario.org_id, bot_id=scenario.bot_id, scenario_id=scenario.id,
                revision=scenario.revision, document=document,
                document_hash=service.document_hash(document), author=author[:80])
            session.add(preview)
            try:
                await session.commit()
            except IntegrityError:  # the same revision frozen meanwhile: that one
                await session.rollback()
                preview = await session.scalar(select(ScenarioPreview).where(
                    ScenarioPreview.scenario_id == scenario.id,
                    ScenarioPreview.revision == scenario.revision))
                assert preview is not None
            return _preview(preview, scenario.name)


class DraftEdit(BaseModel):
    """A draft saved by `edit_draft`: its new revision and what validation says of it (a draft
    may be saved with errors; publishing refuses them)."""

    model_config = ConfigDict(frozen=True)

    scenario_id: uuid.UUID
    scenario_name: str
    revision: int
    errors: list[str]
    warnings: list[str]


async def edit_draft(sessionmaker: async_sessionmaker[AsyncSession], scenario_id: uuid.UUID,
                     edit: Callable[[dict[str, Any]], dict[str, Any]], *,
                     attempts: int = 3) -> DraftEdit | None:
    """Applies `edit` to a copy of the scenario's draft and saves the result as the builder
    does (validated, compare-and-set on the revision); an editor saving meanwhile makes it
    read the new draft and edit again, up to `attempts` times. None: no such scenario. For
    operators' tools on the server's database (no organization scope: whoever runs them has
    the database)."""
    import copy

    from core.errors import StaleRevision
    from scenarios.scenario import service

    for attempt in range(attempts):
        async with sessionmaker() as session, session.begin():
            scenario = await session.get(Scenario, scenario_id)
            if scenario is None:
                return None
            bot = await session.get(Bot, scenario.bot_id)
            assert bot is not None  # a scenario's bot is deleted with it
            document = edit(copy.deepcopy(scenario.draft))
            try:
                saved, report = await service.save_draft(
                    session=session, scenario=scenario, bot=bot, document=document,
                    expected_revision=scenario.revision)
            except StaleRevision:
                if attempt + 1 == attempts:
                    raise
                continue
            return DraftEdit(
                scenario_id=saved.id, scenario_name=saved.name, revision=saved.revision,
                errors=[f"{i.path or '/'}: {i.message}" for i in report.errors],
                warnings=[f"{i.path or '/'}: {i.message}" for i in report.warnings])
    return None


async def published_documents(sessionmaker: async_sessionmaker[AsyncSession], *,
                              batch: int = 200) -> AsyncIterator[dict[str, Any]]:
    """The document of every published version of every scenario (old ones too: a
    conversation pinned to one still runs it), a batch of rows read at a time. For
    operators' tools on the server's database (no organization scope)."""
    after: uuid.UUID | None = None
    while True:
        async with sessionmaker() as session:
            query = select(ScenarioVersion.id, ScenarioVersion.document).order_by(
                ScenarioVersion.id).limit(batch)
            if after is not None:
                query = query.where(ScenarioVersion.id > after)
            rows = (await session.execute(query)).all()
        for _, document in rows:
            yield document
        if len(rows) < batch:
            return
        after = rows[-1][0]


def _preview(preview: ScenarioPreview, name: str) -> PublishedVersion:
    return PublishedVersion(
        id=preview.id, scenario_id=preview.scenario_id, scenario_name=name,
        bot_id=preview.bot_id, org_id=preview.org_id, number=0, document=preview.document,
        document_hash=preview.document_hash, preview_revision=preview.revision)
