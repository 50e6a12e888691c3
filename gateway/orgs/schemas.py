"""Request and response bodies of the organization endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from core.security import EmailAddress, Role
from gateway.auth.schemas import OrganizationBrief


class OrganizationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)


class OrganizationUpdate(BaseModel):
    name: str = Field(min_length=1, max_length=120)


class OrganizationRead(OrganizationBrief):
    created_at: datetime


class MemberCreate(BaseModel):
    email: EmailAddress
    role: Role = Role.editor
    name: str | None = Field(None, max_length=120)
    password: str | None = Field(
        None, min_length=10, max_length=1024,
        description="For a new account; omitted, one is generated and returned once.",
    )


class MemberUpdate(BaseModel):
    role: Role


class MemberRead(BaseModel):
    user_id: uuid.UUID
    email: str
    name: str | None
    role: Role
    joined_at: datetime


class MemberCreated(MemberRead):
    initial_password: str | None = Field(
        None, description="Set only when a new account was created with a generated password."
    )
