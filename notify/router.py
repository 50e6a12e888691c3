"""An organization's notification targets: e-mail (its SMTP server; the password in a secret)
and webhooks (signed with a key held in a secret), for the events it wants (handoff, report,
conversation_failed, recording_report: a report on an uploaded recording, heard only by
targets for all bots), for all its bots or one. Reading takes the viewer role, changing the
editor role (like secrets, since a target decides where conversations' summaries go)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import select

from core.errors import NotFound
from core.http import DbSession, Editor, Viewer, problem_responses
from notify.models import NotificationTarget

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

NAME = r"^[a-z][a-z0-9_-]{0,63}$"
TargetName = Annotated[str, Path(pattern=NAME, description="The target's name.")]
Event = Literal["handoff", "report", "conversation_failed", "recording_report"]
Address = Annotated[str, StringConstraints(pattern=r"^[^@\s<>,;]{1,64}@[^@\s<>,;]{1,255}$")]
SecretName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]


class TargetPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["email", "webhook"]
    events: list[Event] = Field(min_length=1, max_length=3)
    bot_id: uuid.UUID | None = Field(None, description="One bot's notices only (default: all).")
    host: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    port: int | None = Field(None, ge=1, le=65535)
    sender: Address | None = None
    recipients: list[Address] = Field(default_factory=list, max_length=20)
    username: Annotated[str, StringConstraints(max_length=255)] | None = None
    starttls: bool = False
    use_tls: bool = False
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S{1,2040}$")] | None = None
    secret: SecretName | None = Field(None, description="The organization's secret with the "
                                      "SMTP password, or the webhook's signing key.")

    @model_validator(mode="after")
    def _complete(self) -> TargetPut:
        if self.kind == "email":
            if not (self.host and self.port and self.sender and self.recipients):
                raise ValueError("an email target needs host, port, sender and recipients")
            if self.url is not None:
                raise ValueError("url applies only to webhooks")
        else:
            if self.url is None or self.secret is None:
                raise ValueError("a webhook target needs url and the secret that signs it")
            if self.host or self.recipients or self.sender:
                raise ValueError("host, sender and recipients apply only to email")
        if len(set(self.events)) != len(self.events):
            raise ValueError("events must not repeat")
        return self


class TargetRead(TargetPut):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    created_at: datetime
    updated_at: datetime


async def _get(session: DbSession, org_id: uuid.UUID, name: str) -> NotificationTarget:
    found = await session.scalar(select(NotificationTarget).where(
        NotificationTarget.org_id == org_id, NotificationTarget.name == name))
    if found is None:
        raise NotFound(f"no notification target '{name}' in your organization")
    return found


@router.get("/targets", response_model=list[TargetRead], responses=problem_responses(401))
async def list_targets(principal: Viewer, session: DbSession):
    return list(await session.scalars(select(NotificationTarget).where(
        NotificationTarget.org_id == principal.org_id).order_by(NotificationTarget.name)))


@router.put("/targets/{name}", response_model=TargetRead,
            responses={201: {"model": TargetRead, "description": "Created"},
                       **problem_responses(401, 403, 409, 422)})
async def put_target(name: TargetName, body: TargetPut, principal: Editor, session: DbSession,
                     response: Response):
    """Create or replace a target: 201 when new. Webhooks are signed
    (`X-Rozmova-Signature: sha256=HMAC(key, "{timestamp}.{body}")`, see notify/webhook.py)."""
    found = await session.scalar(select(NotificationTarget).where(
        NotificationTarget.org_id == principal.org_id, NotificationTarget.name == name)
        .with_for_update())
    if found is None:
        found = NotificationTarget(org_id=principal.org_id, name=name, **body.model_dump())
        session.add(found)
        response.status_code = status.HTTP_201_CREATED
    else:
        for key, value in body.model_dump().items():
            setattr(found, key, value)
    await session.flush()
    return found


@router.delete("/targets/{name}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404))
async def delete_target(name: TargetName, principal: Editor, session: DbSession) -> Response:
    await session.delete(await _get(session, principal.org_id, name))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
