"""Request and response bodies of the organization endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from core.security import EmailAddress, Role
from core.types import Text
from gateway.auth.schemas import OrganizationBrief
from gateway.orgs.models import InvitationStatus


class OrganizationCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=120)


class OrganizationUpdate(BaseModel):
    name: Text = Field(min_length=1, max_length=120)


class OrganizationRead(OrganizationBrief):
    created_at: datetime


class MemberUpdate(BaseModel):
    role: Role


class MemberRead(BaseModel):
    user_id: uuid.UUID
    email: str
    name: str | None
    role: Role
    joined_at: datetime


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailAddress
    role: Role = Role.editor


class InvitationRead(BaseModel):
    id: uuid.UUID
    email: str
    role: Role
    status: InvitationStatus
    invited_by: uuid.UUID | None = Field(description="The inviting user; None for an API key.")
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationCreated(InvitationRead):
    token: str = Field(
        description="Give it to the invited person: with it they accept (POST "
        "/api/v1/invitations/accept, logged in) or create an account (POST "
        "/api/v1/auth/register). Shown once: only its hash is stored.")


class InvitationAccept(BaseModel):
    token: str = Field(min_length=1, max_length=512)


class InvitationRegister(BaseModel):
    token: str = Field(min_length=1, max_length=512)
    password: str = Field(min_length=10, max_length=1024)
    name: Text | None = Field(None, max_length=120)
