"""Who is calling: a bearer access token (JWT) or an organization API key, checked against the
current membership so that a removed member or a revoked key stops working at once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.db import utcnow
from core.errors import Unauthorized
from core.security import API_KEY_PREFIX, Principal, hash_secret, read_access_token
from gateway.auth.models import ApiKey, User
from gateway.orgs.models import Membership

# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


class CredentialResolver:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def resolve(self, request: Request, session: AsyncSession) -> Principal:
        credential = request.headers.get("x-api-key")
        if credential is None:
            authorization = request.headers.get("authorization", "")
            scheme, _, credential = authorization.partition(" ")
            if scheme.lower() != "bearer" or not credential:
                raise Unauthorized(
                    "send 'Authorization: Bearer <access token or API key>' "
                    "(log in at POST /api/v1/auth/login)"
                )
        credential = credential.strip()
        if credential.startswith(API_KEY_PREFIX):
            return await self._api_key(session, credential)
        return await self._access_token(session, credential)

    async def _api_key(self, session: AsyncSession, secret: str) -> Principal:
        key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_secret(secret)))
        if key is None or key.revoked_at is not None:
            raise Unauthorized("the API key is not valid or was revoked")
        now = utcnow()
        if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
            key.last_used_at = now
        return Principal(org_id=key.org_id, role=key.role, api_key_id=key.id)

    async def _access_token(self, session: AsyncSession, token: str) -> Principal:
        claims = read_access_token(self._settings.signing_key(), token)
        try:
            user_id, org_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["org"])
        except ValueError:
            raise Unauthorized("the access token is not valid") from None
        row = (await session.execute(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.user_id == user_id, Membership.org_id == org_id, User.is_active)
        )).first()
        if row is None:
            raise Unauthorized("this account can no longer act in that organization")
        return Principal(org_id=org_id, role=row[0], user_id=user_id)
