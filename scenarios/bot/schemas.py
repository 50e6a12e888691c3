"""Request and response bodies of the bot endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core.types import Text

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]


Origin = Annotated[str, StringConstraints(pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$",
                                          max_length=300)]


class WidgetTheme(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text | None = Field(None, max_length=60, description="Header of the chat panel.")
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$", description="Accent colour.")
    avatar_url: str | None = Field(None, pattern=r"^https?://", max_length=2048)


class FloodLimit(BaseModel):
    """How fast one WebSocket connection may send frames before it is closed (1008)."""

    model_config = ConfigDict(extra="forbid")

    burst: int = Field(60, ge=5, le=10_000,
                       description="Frames a connection may send at once (a person typing "
                       "fast, a widget resending its unsent messages after a reconnect).")
    per_second: float = Field(5.0, ge=0.1, le=1000,
                              description="Frames per second after the burst, sustained.")


class BotSettings(BaseModel):
    """Behaviour knobs an author sets per bot; unknown keys are refused so typos surface."""

    model_config = ConfigDict(extra="forbid")

    conversation_timeout_seconds: int = Field(
        1800, ge=1, le=30 * 86_400,
        description="Inactivity (seconds) after which the scenario's timeout handler runs. An "
        "input with its own `timeout_seconds` sends `no_input` after that time instead.",
    )
    on_expiry: Literal["restart", "resume"] = Field(
        "restart", description="What an expired conversation does when the person writes again."
    )
    expiry_seconds: int = Field(
        7 * 86_400, ge=1, le=365 * 86_400,
        description="Inactivity after which a conversation is considered over.",
    )
    commands_in_handoff: bool = Field(
        False, description="While an operator has the conversation, the scenario's own "
        "commands run (and the conversation goes back to the operator) instead of reaching "
        "the operator as text. /start, /restart and /help always answer.")
    sentiment: bool = Field(
        True, description="Score how each message of a person sounds (negative, neutral, "
        "positive; Ukrainian and English): stored with the message and summed up in the mood "
        "trends (GET /api/v1/bots/{id}/mood, /users/{end_user_id}/mood).")
    detect_language: bool = Field(
        True, description="Tell the language of each message of a person (among the bot's "
        "languages), stored with the message.")
    switch_language: bool = Field(
        False, description="Answer in the language the person writes in: when a message is "
        "in another of the bot's languages with at least `language_confidence`, the "
        "conversation switches to it before the scenario answers.")
    language_confidence: float = Field(
        0.8, ge=0.5, le=1.0, description="How sure the language of a message must be for "
        "`switch_language` to act (short words such as \"ok\" never are).")
    allowed_origins: list[Origin] = Field(
        default_factory=list, max_length=50,
        description="Web pages (scheme://host[:port]) whose widget may chat with this bot; "
        "the platform's own pages always may.")
    theme: WidgetTheme = Field(default_factory=WidgetTheme, description="The widget's look.")
    flood_limit: FloodLimit = Field(
        default_factory=FloodLimit,
        description="WebSocket flood limit per connection; resends of messages already "
        "stored do not count.")


class BotCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=120)
    description: Text | None = Field(None, max_length=2000)
    default_language: LanguageCode = Field("uk", description="Must be one of `languages`.")
    languages: list[LanguageCode] = Field(default_factory=lambda: ["uk", "en"], min_length=1,
                                          max_length=32)
    settings: BotSettings = Field(default_factory=BotSettings)

    @model_validator(mode="after")
    def _default_is_enabled(self) -> BotCreate:
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages must not repeat")
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language '{self.default_language}' must be one of languages "
                f"{self.languages}"
            )
        return self


class BotUpdate(BaseModel):
    """Only the fields sent change. `description` and `main_scenario_id` may be null (cleared);
    the others may be left out but not sent as null."""

    model_config = ConfigDict(extra="forbid")

    # Defaults of None that the types refuse: "not sent" is allowed, an explicit null is not.
    name: Text = Field(None, min_length=1, max_length=120)  # type: ignore[assignment]
    description: Text | None = Field(None, max_length=2000)
    default_language: LanguageCode = Field(  # type: ignore[assignment]
        None, description="Must be one of the bot's languages (after this update).")
    languages: list[LanguageCode] = Field(None, min_length=1, max_length=32)  # type: ignore[assignment]
    settings: BotSettings = Field(  # type: ignore[assignment]
        None, description="Only the settings sent change; the others keep their values.")
    main_scenario_id: uuid.UUID | None = None


class BotRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    default_language: str
    languages: list[str]
    settings: BotSettings
    main_scenario_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class BotPage(BaseModel):
    items: list[BotRead]
    total: int
