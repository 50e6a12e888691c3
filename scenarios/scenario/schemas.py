"""Request and response bodies of the scenario endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.types import Revision, Text

EXPORT_FORMAT = "rozmova.scenario"


class ScenarioCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(min_length=1, max_length=120)
    description: Text | None = Field(None, max_length=2000)
    document: dict[str, Any] | None = Field(
        None, description="Scenario document (see GET /api/v1/schemas/scenario); omitted, a "
        "one-block starter in the bot's languages.")


class ScenarioUpdate(BaseModel):
    """Only the fields sent change; `description: null` clears it, a name cannot be null."""

    model_config = ConfigDict(extra="forbid")
    name: Text = Field(None, min_length=1, max_length=120)  # type: ignore[assignment]
    description: Text | None = Field(None, max_length=2000)


class ScenarioRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bot_id: uuid.UUID
    name: str
    description: str | None
    revision: int = Field(description="Draft revision; send it back as If-Match to save.")
    latest_version: int = Field(description="Highest published version number; 0 if none.")
    live_version: int | None = Field(description="The version new conversations start on.")
    created_at: datetime
    updated_at: datetime


class IssueRead(BaseModel):
    code: str
    message: str
    path: str = Field(description="JSON pointer into the document.")
    severity: Literal["error", "warning"]
    block_id: str | None = None


class ValidationRead(BaseModel):
    valid: bool
    errors: list[IssueRead]
    warnings: list[IssueRead]


class ScenarioDetail(ScenarioRead):
    document: dict[str, Any] = Field(description="The draft scenario document.")
    validation: ValidationRead | None = Field(
        None, description="Validation of the draft as saved (drafts may have graph errors).")


class ScenarioPage(BaseModel):
    items: list[ScenarioRead]
    total: int


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    changelog: Text = Field("", max_length=2000, description="What changed, for the history.")
    revision: Revision | None = Field(
        None, description="Publish only if the draft is still at this revision.")


class RollbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    changelog: Text | None = Field(None, max_length=2000)


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    changelog: str
    author: str
    created_at: datetime
    document_hash: str
    rolled_back_from: int | None
    live: bool = False


class PublishedRead(VersionRead):
    warnings: list[IssueRead] = Field(
        default_factory=list, description="What validation warned about in the published "
        "document (it was published anyway).")


class VersionDetail(VersionRead):
    document: dict[str, Any]


class VersionPage(BaseModel):
    items: list[VersionRead]
    total: int


class ExportFile(BaseModel):
    """One scenario as one file: what export writes and import reads."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["rozmova.scenario"] = EXPORT_FORMAT
    name: Text = Field(min_length=1, max_length=120)
    description: Text | None = Field(None, max_length=2000)
    document: dict[str, Any]
