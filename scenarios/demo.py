"""The demo bot seeded on first start, so that a newcomer can chat right after `make run`."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.security import Principal, Role
from scenarios.bot import service as bot_service
from scenarios.bot.models import Bot
from scenarios.bot.schemas import BotCreate
from scenarios.scenario import service as scenario_service

DEMO_BOT_NAME = "Demo"
DEMO_DOCUMENT = Path(__file__).with_name("demo-bot.json")


async def ensure_demo_bot(*, session: AsyncSession, org_id: uuid.UUID,
                          author_id: uuid.UUID | None,
                          shop_url: str | None = None) -> tuple[uuid.UUID, bool]:
    """(bot id, created now?) of the organization's demo bot, published and live. Its orders
    go to the coffee shop's till at `shop_url` (`scenarios.demo_shop`; the document names
    the default port)."""
    existing = await session.scalar(select(Bot.id).where(Bot.org_id == org_id,
                                                         Bot.name == DEMO_BOT_NAME))
    if existing is not None:
        return existing, False
    bot = await bot_service.create(session=session, org_id=org_id, bot_in=BotCreate(
        name=DEMO_BOT_NAME, description="Orders a coffee: try it in the REST API or widget.",
        default_language="uk", languages=["uk", "en"]))
    document = json.loads(DEMO_DOCUMENT.read_text(encoding="utf-8"))
    if shop_url is not None:
        for block in document["blocks"]:
            if block["id"] == "place_order":
                block["settings"]["url"] = f"{shop_url}/orders"
    scenario, _ = await scenario_service.create(session=session, bot=bot, name="main",
                                                description=document.get("description"),
                                                document=document, require_valid=True)
    await scenario_service.publish(
        session=session, scenario=scenario, bot=bot,
        principal=Principal(org_id=org_id, role=Role.owner, user_id=author_id),
        changelog="Demo scenario", expected_revision=None)
    return bot.id, True
