"""Organization endpoints: the caller's organizations, the current one, and its members."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from core.errors import Forbidden, NotFound
from core.http import Admin, CurrentPrincipal, DbSession, Viewer, problem_responses
from gateway.orgs import service
from gateway.orgs.models import Membership, Organization
from gateway.orgs.schemas import (
    MemberCreate, MemberCreated, MemberRead, MemberUpdate, OrganizationCreate,
    OrganizationRead, OrganizationUpdate,
)
from gateway.auth.models import User

router = APIRouter(prefix="/api/v1", tags=["organizations"])


def _member(membership: Membership, user: User) -> MemberRead:
    return MemberRead(user_id=user.id, email=user.email, name=user.name, role=membership.role,
                      joined_at=membership.created_at)


@router.get("/organizations", response_model=list[OrganizationRead],
            responses=problem_responses(401))
async def list_organizations(principal: CurrentPrincipal, session: DbSession):
    """Every organization the calling user belongs to (an API key sees its own only)."""
    if principal.user_id is None:
        return [await session.get(Organization, principal.org_id)]
    return await service.get_all_for_user(session=session, user_id=principal.user_id)


@router.post("/organizations", response_model=OrganizationRead, status_code=201,
             responses=problem_responses(401, 403, 422))
async def create_organization(body: OrganizationCreate, principal: CurrentPrincipal,
                              session: DbSession):
    """Create an organization; the calling user becomes its owner. Log in with its id (or
    refresh) to act in it."""
    if principal.user_id is None:
        raise Forbidden("an API key cannot create organizations; log in as a user")
    return await service.create(session=session, name=body.name, owner_id=principal.user_id)


@router.get("/organization", response_model=OrganizationRead, responses=problem_responses(401))
async def get_organization(principal: Viewer, session: DbSession):
    """The organization the caller acts in."""
    org = await session.get(Organization, principal.org_id)
    if org is None:
        raise NotFound("your organization no longer exists")
    return org


@router.patch("/organization", response_model=OrganizationRead,
              responses=problem_responses(401, 403, 422))
async def rename_organization(body: OrganizationUpdate, principal: Admin, session: DbSession):
    org = await session.get(Organization, principal.org_id)
    org.name = body.name
    await session.flush()
    return org


@router.get("/organization/members", response_model=list[MemberRead],
            responses=problem_responses(401))
async def list_members(principal: Viewer, session: DbSession):
    return [_member(m, u) for m, u in await service.get_members(session=session,
                                                               org_id=principal.org_id)]


@router.post("/organization/members", response_model=MemberCreated, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def add_member(body: MemberCreate, principal: Admin, session: DbSession):
    """Add a person by email. An unknown email gets a new account, with the given password or
    a generated one returned once in `initial_password`."""
    membership, user, generated = await service.add_member(
        session=session, principal=principal, email=str(body.email), role=body.role,
        name=body.name, password=body.password,
    )
    return MemberCreated(**_member(membership, user).model_dump(), initial_password=generated)


@router.patch("/organization/members/{user_id}", response_model=MemberRead,
              responses=problem_responses(401, 403, 404, 409, 422))
async def update_member(user_id: uuid.UUID, body: MemberUpdate, principal: Admin,
                        session: DbSession):
    return _member(*await service.update_member(session=session, principal=principal,
                                                 user_id=user_id, role=body.role))


@router.delete("/organization/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404, 409))
async def remove_member(user_id: uuid.UUID, principal: Admin, session: DbSession) -> Response:
    await service.remove_member(session=session, principal=principal, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
