"""First start: the admin account and its organization."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from core.config import Settings
from core.db import transaction
from core.runtime import Runtime
from core.security import Role
from gateway.auth.models import User
from gateway.orgs import service as orgs_service
from gateway.orgs.models import Membership


async def ensure_admin(runtime: Runtime, settings: Settings) -> tuple[str, str | None] | None:
    """Create the admin when the database has no user. Returns (email, generated password or
    None when the password came from settings), or None when users exist."""
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    async with transaction(runtime.sessionmaker) as session:
        created = await orgs_service.ensure_admin(
            session=session, email=settings.admin_email, password=password,
            organization=settings.admin_organization,
        )
    if created is None:
        return None
    user, generated = created
    return user.email, generated


async def ensure_demo(runtime: Runtime, settings: Settings) -> tuple[uuid.UUID, str] | None:
    """The demo bot in the admin's organization, with its known public chat key."""
    if not settings.seeds_demo:
        return None
    from chat.contract import ensure_chat_key
    from scenarios.contract import seed_demo_bot

    async with transaction(runtime.sessionmaker) as session:
        row = (await session.execute(
            select(Membership.org_id, User.id).join(User, User.id == Membership.user_id)
            .where(User.email == settings.admin_email.lower(), Membership.role == Role.owner)
            .order_by(Membership.created_at).limit(1))).first()
        if row is None:
            return None
        org_id, user_id = row
        bot_id, _ = await seed_demo_bot(session=session, org_id=org_id, author_id=user_id,
                                        shop_url=settings.demo_shop_url)
        await ensure_chat_key(session=session, bot_id=bot_id, org_id=org_id,
                              key=settings.demo_chat_key)
    return bot_id, settings.demo_chat_key
