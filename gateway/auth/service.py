"""Identity logic: users, password login, rotating refresh tokens, API keys."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.db import flush_unique, utcnow
from core.errors import Forbidden, NotFound, TokenReused, Unauthorized
from core.security import (
    API_KEY_PREFIX, Principal, Role, hash_password, hash_secret, issue_access_token,
    new_secret, password_needs_rehash, verify_password,
)
from gateway.auth.models import ApiKey, RefreshToken, User
from gateway.orgs.models import Membership, Organization


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def get_user_by_email(*, session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def create_user(
    *, session: AsyncSession, email: str, password: str, name: str | None = None
) -> User:
    user = User(email=normalize_email(email), password_hash=hash_password(password), name=name)
    session.add(user)
    await flush_unique(session, f"a user with the email {user.email} already exists")
    return user


@dataclass
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    organization: Organization
    role: Role


async def _issue(
    *, session: AsyncSession, settings: Settings, user: User, membership: Membership,
    organization: Organization, family_id: uuid.UUID | None = None,
) -> IssuedTokens:
    access, _ = issue_access_token(
        settings.signing_key(), user_id=user.id, org_id=organization.id,
        ttl_seconds=settings.access_token_ttl_seconds,
    )
    refresh = new_secret("rzr_")
    now = utcnow()
    session.add(RefreshToken(
        user_id=user.id, org_id=organization.id, family_id=family_id or uuid.uuid4(),
        token_hash=hash_secret(refresh), created_at=now,
        expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
    ))
    await session.flush()
    return IssuedTokens(access, refresh, settings.access_token_ttl_seconds, organization,
                        membership.role)


async def issue_tokens(
    *, session: AsyncSession, settings: Settings, user: User, membership: Membership,
    organization: Organization,
) -> IssuedTokens:
    """A new login (a fresh refresh-token family) for a user acting in an organization."""
    return await _issue(session=session, settings=settings, user=user, membership=membership,
                        organization=organization)


async def _membership(
    *, session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID | None
) -> tuple[Membership, Organization] | None:
    query = (
        select(Membership, Organization)
        .join(Organization, Organization.id == Membership.org_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at, Organization.name)
    )
    if org_id is not None:
        query = query.where(Membership.org_id == org_id)
    row = (await session.execute(query.limit(1))).first()
    return None if row is None else (row[0], row[1])


async def login(
    *, session: AsyncSession, settings: Settings, email: str, password: str,
    org_id: uuid.UUID | None = None,
) -> IssuedTokens:
    user = await get_user_by_email(session=session, email=email)
    # Always verify (against a dummy hash for unknown accounts) so timing tells nothing.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthorized("wrong email or password")
    if not user.is_active:
        raise Unauthorized("this account is disabled")
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    found = await _membership(session=session, user_id=user.id, org_id=org_id)
    if found is None:
        raise Forbidden(
            "you are not a member of that organization" if org_id
            else "your account belongs to no organization yet"
        )
    return await _issue(session=session, settings=settings, user=user, membership=found[0],
                        organization=found[1])


async def refresh(*, session: AsyncSession, settings: Settings, token: str,
                  org_id: uuid.UUID | None = None) -> IssuedTokens:
    """A new pair for a refresh token (spent here), for its organization or for `org_id`,
    another one the user belongs to (checked before the token is spent)."""
    stored = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token))
    )
    now = utcnow()
    if stored is None or stored.revoked_at is not None:
        raise Unauthorized("the refresh token is not valid; log in again")
    if stored.used_at is not None:
        await _reused(session=session, family_id=stored.family_id)
    if stored.expires_at <= now:
        raise Unauthorized("the refresh token has expired; log in again")
    target = org_id or stored.org_id
    if org_id is not None and org_id != stored.org_id and await _membership(
            session=session, user_id=stored.user_id, org_id=org_id) is None:
        raise Forbidden("you are not a member of that organization")
    # Spend the token with one conditional write that only one caller can win, on every
    # database: SQLite ignores FOR UPDATE, so two requests could both read "unused" and both
    # rotate. The loser (and any later caller) finds it spent: someone holds a copy.
    spent = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None),
               RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        await _reused(session=session, family_id=stored.family_id)
    user = await session.get(User, stored.user_id)
    found = await _membership(session=session, user_id=stored.user_id, org_id=target)
    if user is None or not user.is_active or found is None:
        raise Unauthorized("this account can no longer act in that organization")
    return await _issue(session=session, settings=settings, user=user, membership=found[0],
                        organization=found[1], family_id=stored.family_id)


async def _reused(*, session: AsyncSession, family_id: uuid.UUID) -> NoReturn:
    """A spent token came back: someone holds a copy. End the whole chain."""
    await _revoke_family(session=session, family_id=family_id)
    raise TokenReused("the refresh token was already used; every session from that "
                      "login is now signed out; log in again")


async def _revoke_family(*, session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def logout(*, session: AsyncSession, token: str) -> None:
    stored = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token))
    )
    if stored is not None:
        await _revoke_family(session=session, family_id=stored.family_id)


# --- API keys ---------------------------------------------------------------------------------

async def create_api_key(
    *, session: AsyncSession, principal: Principal, name: str, role: Role
) -> tuple[ApiKey, str]:
    if not principal.role.allows(role):
        raise Forbidden(f"you cannot create a key with the {role.value} role: it is above yours")
    secret = new_secret(API_KEY_PREFIX)
    key = ApiKey(
        org_id=principal.org_id, name=name, role=role, prefix=secret[: len(API_KEY_PREFIX) + 6],
        key_hash=hash_secret(secret), created_by=principal.user_id,
    )
    session.add(key)
    await session.flush()
    return key, secret


async def get_all_api_keys(*, session: AsyncSession, org_id: uuid.UUID) -> list[ApiKey]:
    result = await session.scalars(
        select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at)
    )
    return list(result)


async def revoke_api_key(*, session: AsyncSession, org_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = await session.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.org_id == org_id))
    if key is None:
        raise NotFound(f"no API key {key_id} in your organization")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key
