"""Bot logic: create, read, update, delete, always within the caller's organization."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import flush_unique
from core.errors import InvalidInput, NotFound
from scenarios.bot.models import Bot
from scenarios.bot.schemas import BotCreate, BotSettings, BotUpdate


async def get(*, session: AsyncSession, org_id: uuid.UUID, bot_id: uuid.UUID) -> Bot | None:
    return await session.scalar(select(Bot).where(Bot.id == bot_id, Bot.org_id == org_id))


async def get_or_raise(*, session: AsyncSession, org_id: uuid.UUID, bot_id: uuid.UUID) -> Bot:
    bot = await get(session=session, org_id=org_id, bot_id=bot_id)
    if bot is None:
        # Another organization's bot answers exactly like a missing one.
        raise NotFound(f"no bot {bot_id} in your organization")
    return bot


async def get_all(
    *, session: AsyncSession, org_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[Bot], int]:
    total = await session.scalar(select(func.count()).select_from(Bot).where(Bot.org_id == org_id))
    result = await session.scalars(
        select(Bot).where(Bot.org_id == org_id).order_by(Bot.name).limit(limit).offset(offset)
    )
    return list(result), total or 0


async def _flush_unique(session: AsyncSession, name: str) -> None:
    await flush_unique(session, f"a bot named '{name}' already exists in your organization; "
                                "choose another name")


async def create(*, session: AsyncSession, org_id: uuid.UUID, bot_in: BotCreate) -> Bot:
    bot = Bot(
        org_id=org_id, name=bot_in.name, description=bot_in.description,
        default_language=bot_in.default_language, languages=list(bot_in.languages),
        settings=bot_in.settings.model_dump(mode="json"),
    )
    session.add(bot)
    await _flush_unique(session, bot_in.name)
    return bot


async def update(*, session: AsyncSession, bot: Bot, bot_in: BotUpdate) -> Bot:
    changes = bot_in.model_dump(exclude_unset=True)
    languages = changes.get("languages", bot.languages)
    default = changes.get("default_language", bot.default_language)
    if len(set(languages)) != len(languages):
        raise InvalidInput("languages must not repeat")
    if default not in languages:
        raise InvalidInput(f"default_language '{default}' must be one of languages {languages}")
    if "main_scenario_id" in changes and changes["main_scenario_id"] is not None:
        from scenarios.scenario.models import Scenario  # same service; avoids a cycle

        owner = await session.scalar(select(Scenario.bot_id).where(
            Scenario.id == changes["main_scenario_id"]))
        if owner != bot.id:
            raise InvalidInput("main_scenario_id must be a scenario of this bot")
    for field, value in changes.items():
        if field == "settings":
            # A PATCH changes the settings it names and keeps the others (two authors editing
            # different settings do not undo each other's work).
            value = _merged_settings(bot.settings, bot_in.settings)
        setattr(bot, field, value)
    await _flush_unique(session, bot.name)
    return bot


def _merged_settings(current: dict[str, Any], sent: BotSettings) -> dict[str, Any]:
    merged = {**(current or {}), **sent.model_dump(mode="json", exclude_unset=True)}
    try:
        return BotSettings.model_validate(merged).model_dump(mode="json")
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "/settings/" + "/".join(str(p) for p in error["loc"])
        raise InvalidInput(f"settings: {error['msg']} (with the settings already stored)",
                           errors=[{"path": where, "message": error["msg"]}]) from None


async def delete(*, session: AsyncSession, bot: Bot) -> None:
    await session.delete(bot)
    await session.flush()
