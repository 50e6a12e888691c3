"""Organizations and memberships: create, rename, invite, remove members, change roles. An
organization always keeps at least one owner, and nobody joins one without accepting an
invitation made to their email address."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import flush_unique, utcnow
from core.errors import Conflict, Forbidden, NotFound
from core.security import Principal, Role, hash_secret, new_secret
from gateway.auth import service as auth_service
from gateway.auth.models import User
from gateway.orgs.models import Invitation, InvitationStatus, Membership, Organization

INVITATION_PREFIX = "rzi_"


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


# --- invitations -------------------------------------------------------------------------------

def invitation_status(invitation: Invitation, now: datetime | None = None) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.accepted
    if invitation.revoked_at is not None:
        return InvitationStatus.revoked
    if invitation.expires_at <= (now or utcnow()):
        return InvitationStatus.expired
    return InvitationStatus.pending


def _check_invitable(principal: Principal, role: Role) -> None:
    if not principal.role.allows(role):
        raise Forbidden(f"you cannot invite with the {role.value} role: it is above yours")


async def create_invitation(
    *, session: AsyncSession, principal: Principal, email: str, role: Role, ttl_seconds: int,
) -> tuple[Invitation, str]:
    """Invite an email address to the principal's organization. The answer is the same whether
    or not the address has an account (only the person who accepts learns anything), and a
    new invitation to the same address replaces a pending one."""
    _check_invitable(principal, role)
    email = auth_service.normalize_email(email)
    if await session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(Membership.org_id == principal.org_id, User.email == email)
    ):
        raise Conflict(f"{email} is already a member; change the role instead")
    now = utcnow()
    await session.execute(
        update(Invitation)
        .where(Invitation.org_id == principal.org_id, Invitation.email == email,
               Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    token = new_secret(INVITATION_PREFIX)
    invitation = Invitation(
        org_id=principal.org_id, email=email, role=role, token_hash=hash_secret(token),
        invited_by=principal.user_id, expires_at=now + timedelta(seconds=ttl_seconds),
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


async def get_all_invitations(*, session: AsyncSession, org_id: uuid.UUID) -> list[Invitation]:
    result = await session.scalars(
        select(Invitation).where(Invitation.org_id == org_id)
        .order_by(Invitation.created_at.desc(), Invitation.email)
    )
    return list(result)


async def revoke_invitation(
    *, session: AsyncSession, principal: Principal, invitation_id: uuid.UUID
) -> Invitation:
    invitation = await session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.org_id == principal.org_id))
    if invitation is None:
        raise NotFound(f"no invitation {invitation_id} in your organization")
    if not principal.role.allows(invitation.role):
        raise Forbidden(f"you cannot revoke an invitation with the {invitation.role.value} "
                        "role: it is above yours")
    if invitation_status(invitation) is InvitationStatus.pending:
        invitation.revoked_at = utcnow()
        await session.flush()
    return invitation


async def _usable_invitation(*, session: AsyncSession, token: str) -> Invitation:
    invitation = await session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_secret(token)))
    if invitation is None:
        raise NotFound("no such invitation; check the token you were given")
    status = invitation_status(invitation)
    if status is not InvitationStatus.pending:
        raise Conflict({
            InvitationStatus.accepted: "this invitation was already used",
            InvitationStatus.revoked: "this invitation was withdrawn; ask for a new one",
            InvitationStatus.expired: "this invitation has expired; ask for a new one",
        }[status])
    return invitation


async def _join(
    *, session: AsyncSession, invitation: Invitation, user: User
) -> tuple[Membership, Organization]:
    # Spend the invitation with one conditional write, so that two requests with the same
    # token cannot both use it (on SQLite too, where row locks do not exist).
    spent = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by=user.id)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise Conflict("this invitation was already used or withdrawn")
    membership = Membership(org_id=invitation.org_id, user_id=user.id, role=invitation.role)
    session.add(membership)
    await flush_unique(session, "you are already a member of that organization")
    organization = await session.get(Organization, invitation.org_id)
    return membership, organization


async def accept_invitation(
    *, session: AsyncSession, user_id: uuid.UUID, token: str
) -> tuple[Membership, Organization]:
    """The invited person, logged in, joins the organization with the invitation's role."""
    invitation = await _usable_invitation(session=session, token=token)
    user = await session.get(User, user_id)
    if user is None or user.email != invitation.email:
        raise Forbidden("this invitation was made to another email address; log in as that "
                        "account to accept it")
    if await session.scalar(select(Membership.id).where(
        Membership.org_id == invitation.org_id, Membership.user_id == user.id
    )):
        raise Conflict("you are already a member of that organization")
    return await _join(session=session, invitation=invitation, user=user)


async def register_with_invitation(
    *, session: AsyncSession, token: str, password: str, name: str | None
) -> tuple[User, Membership, Organization]:
    """A person without an account creates one for the invited address and joins."""
    invitation = await _usable_invitation(session=session, token=token)
    if await auth_service.get_user_by_email(session=session, email=invitation.email):
        raise Conflict("an account with this email address exists already; log in and accept "
                       "the invitation with POST /api/v1/invitations/accept")
    user = await auth_service.create_user(session=session, email=invitation.email,
                                          password=password, name=name)
    membership, organization = await _join(session=session, invitation=invitation, user=user)
    return user, membership, organization


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
