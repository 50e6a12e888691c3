"""Request and response bodies of the auth endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from core.security import EmailAddress, Role
from core.types import Text


class LoginRequest(BaseModel):
    email: EmailAddress
    password: str = Field(min_length=1, max_length=1024)
    organization_id: uuid.UUID | None = Field(
        None, description="Which organization to act in; default: the first one joined."
    )


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class RefreshWithSwitch(RefreshRequest):
    organization_id: uuid.UUID | None = Field(
        None, description="Act in this organization from now on (one you are a member of: "
        "`GET /api/v1/me` lists them); default the one the token is for. A refused switch "
        "does not spend the token.")


class OrganizationBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    slug: str


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    organization: OrganizationBrief
    role: Role


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    email: str
    name: str | None
    created_at: datetime


class MembershipRead(BaseModel):
    organization: OrganizationBrief
    role: Role


class MeRead(BaseModel):
    user: UserRead | None = Field(description="None when the caller is an API key.")
    organization: OrganizationBrief
    role: Role
    memberships: list[MembershipRead]


class ApiKeyCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=120)
    role: Role = Role.editor


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself. Shown once: only its hash is stored.")
