"""First start: the admin account and its organization."""

from __future__ import annotations

from core.config import Settings
from core.db import transaction
from core.runtime import Runtime
from gateway.orgs import service as orgs_service


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
