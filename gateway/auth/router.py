"""Auth endpoints: login, refresh, logout, who-am-I, and API keys."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import select

from core.errors import Forbidden
from core.http import Admin, CurrentPrincipal, DbSession, RuntimeDep, problem_responses
from gateway.auth import service
from gateway.auth.models import User
from gateway.auth.schemas import (
    ApiKeyCreate, ApiKeyCreated, ApiKeyRead, LoginRequest, MeRead, MembershipRead,
    OrganizationBrief, RefreshRequest, RefreshWithSwitch, TokenPair, UserRead,
)
from gateway.orgs.models import Membership, Organization

router = APIRouter(prefix="/api/v1", tags=["auth"])


def _pair(tokens: service.IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=tokens.access_token, refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        organization=OrganizationBrief.model_validate(tokens.organization), role=tokens.role,
    )


@router.post("/auth/login", response_model=TokenPair,
             responses=problem_responses(400, 401, 403, 422, 429))
async def login(body: LoginRequest, request: Request, session: DbSession, runtime: RuntimeDep):
    """Exchange email and password for an access token and a refresh token. Limited per
    account and client address, per account, and per client address."""
    settings = runtime.settings
    address = request.client.host if request.client else "unknown"
    email = service.normalize_email(body.email)
    # The account-wide count comes last: attempts already refused for their address do not
    # use up the account's looser budget, which the owner elsewhere still needs.
    await runtime.limiter.hit(settings.login_rate_per_address, "login-address", address,
                              what="login attempts from this address")
    await runtime.limiter.hit(settings.login_rate_per_account_address, "login-account-address",
                              email, address,
                              what="login attempts for this account from this address")
    await runtime.limiter.hit(settings.login_rate_per_account, "login-account", email,
                              what="login attempts for this account")
    tokens = await service.login(session=session, settings=settings, email=email,
                                 password=body.password, org_id=body.organization_id)
    return _pair(tokens)


@router.post("/auth/refresh", response_model=TokenPair,
             responses=problem_responses(401, 403, 422))
async def refresh(body: RefreshWithSwitch, session: DbSession, runtime: RuntimeDep):
    """Spend a refresh token for a new pair. Each refresh token works once; using one twice
    signs out every session of that login. With `organization_id`, the new pair acts in that
    organization (switching without logging in again)."""
    tokens = await service.refresh(session=session, settings=runtime.settings,
                                   token=body.refresh_token, org_id=body.organization_id)
    return _pair(tokens)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT,
             responses=problem_responses(422))
async def logout(body: RefreshRequest, session: DbSession) -> Response:
    """Revoke the refresh token and every token rotated from the same login."""
    await service.logout(session=session, token=body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=MeRead, responses=problem_responses(401))
async def me(principal: CurrentPrincipal, session: DbSession):
    """The caller, the organization it acts in, and (for users) every membership."""
    org = await session.get(Organization, principal.org_id)
    user = await session.get(User, principal.user_id) if principal.user_id else None
    memberships: list[MembershipRead] = []
    if user is not None:
        rows = await session.execute(
            select(Membership, Organization)
            .join(Organization, Organization.id == Membership.org_id)
            .where(Membership.user_id == user.id).order_by(Organization.name)
        )
        memberships = [
            MembershipRead(organization=OrganizationBrief.model_validate(o), role=m.role)
            for m, o in rows
        ]
    return MeRead(
        user=UserRead.model_validate(user) if user else None,
        organization=OrganizationBrief.model_validate(org), role=principal.role,
        memberships=memberships,
    )


@router.get("/api-keys", response_model=list[ApiKeyRead], tags=["api keys"],
            responses=problem_responses(401, 403))
async def list_api_keys(principal: Admin, session: DbSession):
    return await service.get_all_api_keys(session=session, org_id=principal.org_id)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201, tags=["api keys"],
             responses=problem_responses(401, 403, 422))
async def create_api_key(body: ApiKeyCreate, principal: Admin, session: DbSession):
    """Create an organization API key with a role no higher than yours. The key is in this
    response only; send it as `Authorization: Bearer rzk_...` or `X-API-Key`."""
    if principal.user_id is None:
        raise Forbidden("API keys cannot create API keys; log in as a user")
    key, secret = await service.create_api_key(
        session=session, principal=principal, name=body.name, role=body.role
    )
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), key=secret)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyRead, tags=["api keys"],
               responses=problem_responses(401, 403, 404))
async def revoke_api_key(key_id: uuid.UUID, principal: Admin, session: DbSession):
    """Revoke a key: it stops working on the next request."""
    return await service.revoke_api_key(session=session, org_id=principal.org_id, key_id=key_id)
