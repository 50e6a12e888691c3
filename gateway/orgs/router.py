"""Organization endpoints: the caller's organizations, the current one, its members, and
invitations to join it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from core.errors import Forbidden, NotFound
from core.http import (
    Admin, CurrentPrincipal, DbSession, RuntimeDep, Viewer, problem_responses,
)
from core.security import Principal
from gateway.auth import service as auth_service
from gateway.auth.models import User
from gateway.auth.schemas import MembershipRead, OrganizationBrief, TokenPair
from gateway.orgs import service
from gateway.orgs.models import Invitation, Membership, Organization
from gateway.orgs.schemas import (
    InvitationAccept, InvitationCreate, InvitationCreated, InvitationRead, InvitationRegister,
    MemberRead, MemberUpdate, OrganizationCreate, OrganizationRead, OrganizationUpdate,
)

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


@router.post("/organization/members", response_model=InvitationCreated, status_code=201,
             deprecated=True, responses=problem_responses(401, 403, 409, 422))
async def add_member(body: InvitationCreate, principal: Admin, session: DbSession,
                     runtime: RuntimeDep):
    """Invite a person to the organization you act in: the same as
    `POST /api/v1/organizations/{org_id}/invitations`. Nobody joins until they accept."""
    return await _invite(body, principal, session, runtime)


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


# --- invitations -------------------------------------------------------------------------------

def _invitation(invitation: Invitation) -> InvitationRead:
    return InvitationRead(
        id=invitation.id, email=invitation.email, role=invitation.role,
        status=service.invitation_status(invitation), invited_by=invitation.invited_by,
        created_at=invitation.created_at, expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at, revoked_at=invitation.revoked_at,
    )


def _acting_in(org_id: uuid.UUID, principal: Principal) -> None:
    if org_id != principal.org_id:
        raise NotFound(f"you do not act in organization {org_id}; log in with its id "
                       "(organization_id) to manage it")


async def _invite(body: InvitationCreate, principal: Principal, session: DbSession,
                  runtime: RuntimeDep) -> InvitationCreated:
    invitation, token = await service.create_invitation(
        session=session, principal=principal, email=str(body.email), role=body.role,
        ttl_seconds=runtime.settings.invitation_ttl_seconds,
    )
    return InvitationCreated(**_invitation(invitation).model_dump(), token=token)


@router.post("/organizations/{org_id}/invitations", response_model=InvitationCreated,
             status_code=201, tags=["invitations"],
             responses=problem_responses(401, 403, 404, 409, 422))
async def create_invitation(org_id: uuid.UUID, body: InvitationCreate, principal: Admin,
                            session: DbSession, runtime: RuntimeDep):
    """Invite an email address to join with a role no higher than yours. The answer does not
    say whether the address has an account. Give the token (shown once) to the person: they
    accept it logged in, or create their account with it. A new invitation to the same
    address replaces a pending one."""
    _acting_in(org_id, principal)
    return await _invite(body, principal, session, runtime)


@router.get("/organizations/{org_id}/invitations", response_model=list[InvitationRead],
            tags=["invitations"], responses=problem_responses(401, 403, 404))
async def list_invitations(org_id: uuid.UUID, principal: Admin, session: DbSession):
    """Every invitation of the organization, newest first, with its status."""
    _acting_in(org_id, principal)
    return [_invitation(i) for i in await service.get_all_invitations(session=session,
                                                                       org_id=org_id)]


@router.delete("/organizations/{org_id}/invitations/{invitation_id}",
               response_model=InvitationRead, tags=["invitations"],
               responses=problem_responses(401, 403, 404))
async def revoke_invitation(org_id: uuid.UUID, invitation_id: uuid.UUID, principal: Admin,
                            session: DbSession):
    """Withdraw a pending invitation: its token stops working."""
    _acting_in(org_id, principal)
    return _invitation(await service.revoke_invitation(session=session, principal=principal,
                                                       invitation_id=invitation_id))


@router.post("/invitations/accept", response_model=MembershipRead, tags=["invitations"],
             responses=problem_responses(401, 403, 404, 409, 422))
async def accept_invitation(body: InvitationAccept, principal: CurrentPrincipal,
                            session: DbSession):
    """Join the inviting organization, logged in as the invited email address's account. Log
    in (or refresh) with its id to act in it."""
    if principal.user_id is None:
        raise Forbidden("an API key cannot accept invitations; log in as the invited person")
    membership, organization = await service.accept_invitation(
        session=session, user_id=principal.user_id, token=body.token)
    return MembershipRead(organization=OrganizationBrief.model_validate(organization),
                          role=membership.role)


@router.post("/auth/register", response_model=TokenPair, status_code=201,
             tags=["auth", "invitations"], responses=problem_responses(404, 409, 422))
async def register_with_invitation(body: InvitationRegister, session: DbSession,
                                   runtime: RuntimeDep):
    """Create an account for the invited email address, with your own password, and join:
    the answer is a login in the inviting organization. An address that has an account
    already accepts instead (POST /api/v1/invitations/accept)."""
    user, membership, organization = await service.register_with_invitation(
        session=session, token=body.token, password=body.password, name=body.name)
    tokens = await auth_service.issue_tokens(session=session, settings=runtime.settings,
                                             user=user, membership=membership,
                                             organization=organization)
    return TokenPair(
        access_token=tokens.access_token, refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        organization=OrganizationBrief.model_validate(tokens.organization), role=tokens.role,
    )
