"""Organizations and memberships: create, rename, add and remove members, change roles. An
organization always keeps at least one owner."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, Forbidden, NotFound
from core.security import Principal, Role
from gateway.auth import service as auth_service
from gateway.auth.models import User
from gateway.orgs.models import Membership, Organization


# Ukrainian national transliteration (2010), so that "Київ Ботс" becomes "kyiv-bots".
_UK_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "’": "",
})


def _slug_base(name: str) -> str:
    latin = name.lower().translate(_UK_LATIN)
    ascii_name = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:48]
    return slug or "org"


async def create(*, session: AsyncSession, name: str, owner_id: uuid.UUID) -> Organization:
    base = _slug_base(name)
    slug = base
    while await session.scalar(select(Organization.id).where(Organization.slug == slug)):
        slug = f"{base}-{secrets.token_hex(3)}"
    org = Organization(name=name, slug=slug)
    session.add(org)
    await session.flush()
    session.add(Membership(org_id=org.id, user_id=owner_id, role=Role.owner))
    await session.flush()
    return org


async def get_all_for_user(*, session: AsyncSession, user_id: uuid.UUID) -> list[Organization]:
    result = await session.scalars(
        select(Organization).join(Membership, Membership.org_id == Organization.id)
        .where(Membership.user_id == user_id).order_by(Organization.name)
    )
    return list(result)


async def get_members(*, session: AsyncSession, org_id: uuid.UUID) -> list[tuple[Membership, User]]:
    rows = await session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org_id).order_by(User.email)
    )
    return [(m, u) for m, u in rows]


async def _get_membership(
    *, session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[Membership, User]:
    row = (await session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org_id, Membership.user_id == user_id)
    )).first()
    if row is None:
        raise NotFound(f"user {user_id} is not a member of your organization")
    return row[0], row[1]


def _check_grant(principal: Principal, role: Role) -> None:
    if role is Role.owner and principal.role is not Role.owner:
        raise Forbidden("only an owner can grant or take away the owner role")


async def add_member(
    *, session: AsyncSession, principal: Principal, email: str, role: Role,
    name: str | None, password: str | None,
) -> tuple[Membership, User, str | None]:
    _check_grant(principal, role)
    user = await auth_service.get_user_by_email(session=session, email=email)
    generated = None
    if user is None:
        generated = None if password else secrets.token_urlsafe(12)
        user = await auth_service.create_user(
            session=session, email=email, password=password or generated, name=name
        )
    elif await session.scalar(select(Membership.id).where(
        Membership.org_id == principal.org_id, Membership.user_id == user.id
    )):
        raise Conflict(f"{user.email} is already a member; change the role instead")
    membership = Membership(org_id=principal.org_id, user_id=user.id, role=role)
    session.add(membership)
    await session.flush()
    return membership, user, generated


async def _owner_count(*, session: AsyncSession, org_id: uuid.UUID) -> int:
    return await session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.org_id == org_id, Membership.role == Role.owner)
    ) or 0


async def update_member(
    *, session: AsyncSession, principal: Principal, user_id: uuid.UUID, role: Role
) -> tuple[Membership, User]:
    membership, user = await _get_membership(session=session, org_id=principal.org_id,
                                             user_id=user_id)
    _check_grant(principal, role)
    if membership.role is Role.owner:
        _check_grant(principal, membership.role)
        if role is not Role.owner and await _owner_count(session=session,
                                                         org_id=principal.org_id) == 1:
            raise Conflict("this is the organization's last owner; make someone else owner first")
    membership.role = role
    await session.flush()
    return membership, user


async def remove_member(*, session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> None:
    membership, _ = await _get_membership(session=session, org_id=principal.org_id,
                                          user_id=user_id)
    if membership.role is Role.owner:
        _check_grant(principal, Role.owner)
        if await _owner_count(session=session, org_id=principal.org_id) == 1:
            raise Conflict("this is the organization's last owner; make someone else owner first")
    await session.delete(membership)
    await session.flush()


async def ensure_admin(
    *, session: AsyncSession, email: str, password: str | None, organization: str
) -> tuple[User, str | None] | None:
    """First start: when no user exists, create the admin (owner of a first organization).
    Returns the user and the generated password (None when one was given), or None when
    users exist already."""
    if await session.scalar(select(func.count()).select_from(User)):
        return None
    generated = None if password else secrets.token_urlsafe(12)
    user = await auth_service.create_user(session=session, email=email,
                                          password=password or generated, name="Admin")
    await create(session=session, name=organization, owner_id=user.id)
    return user, generated
